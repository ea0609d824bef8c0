/** What `POST /api/shelves` takes, and the orchestration input it becomes (no secret in either). */
import * as path from 'node:path';
import { z } from 'zod';
import { validationErrors } from '../../../shared/schemas/fieldErrors';
import type { Prepared } from '../../../shared/workflow/defineWorkflow';

export const ShelfRequest = z.strictObject({
  /** An absolute directory the shelf goes into; it may appear later (a share not mounted yet). */
  root: z.string().refine((p) => path.isAbsolute(p), 'must be an absolute path'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits and hyphens'),
  label: z.string().min(1).max(200),
});

export const ShelfSpec = z.object({ root: z.string(), name: z.string(), dir: z.string(), label: z.string() });
export type ShelfSpec = z.infer<typeof ShelfSpec>;

export async function prepareShelf(body: unknown): Promise<Prepared<ShelfSpec>> {
  const parsed = ShelfRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, ShelfRequest) };
  const { root, name, label } = parsed.data;
  return { ok: true, input: { root, name, label, dir: path.join(root, name) } };
}
