/**
 * POST /api/certificate-checks (and the timer): the body may set the expiry window for this check;
 * everything else comes from the settings. The day is the run's key and its id (`certcheck-<day>`): one check
 * per day, again only when asked for with `recheck`.
 */
import { z } from 'zod';
import { settings } from '../../shared/config';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import type { Prepared } from '../../shared/workflow/defineWorkflow';

export const CertificateCheckRequest = z
  .strictObject({
    expiryWindowDays: z.number().min(1, 'must be at least 1 day').max(365, 'must be at most 365 days').optional().meta({ description: 'Days before expiry that count as expiring; default CERTIFICATE_EXPIRY_WINDOW_DAYS (30).' }),
    recheck: z.boolean().optional().meta({ description: "true: check again although today's check (certcheck-<day>) has already run; it is started again under the same id. Without it a second start the same day answers 409 with that check's id." }),
  })
  .meta({ description: 'Check every recorded tenant now. Optional body.' });

export const CertificateCheckInput = z.object({
  /** The UTC day of the check, `YYYY-MM-DD`: the run's key. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  expiryWindowDays: z.number(),
  concurrency: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  startedBy: z.enum(['api', 'timer']),
  /** Asked for explicitly: start the day's check again after it has ended. */
  recheck: z.boolean().optional(),
});
export type CertificateCheckInput = z.infer<typeof CertificateCheckInput>;

export const checkDay = (at: Date) => at.toISOString().slice(0, 10);

export function certificateCheckInput(body: z.infer<typeof CertificateCheckRequest>, startedBy: 'api' | 'timer', now = new Date()): CertificateCheckInput {
  const { expiryWindowDays, concurrency, batchSize } = settings().certificateCheck;
  return { date: checkDay(now), expiryWindowDays: body.expiryWindowDays ?? expiryWindowDays, concurrency, batchSize, startedBy, ...(body.recheck ? { recheck: true } : {}) };
}

export async function prepareCertificateCheck(body: unknown): Promise<Prepared<CertificateCheckInput>> {
  const parsed = CertificateCheckRequest.safeParse(body ?? {});
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, CertificateCheckRequest) };
  return { ok: true, input: certificateCheckInput(parsed.data, 'api') };
}
