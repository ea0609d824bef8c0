/** The shelf's directory under its root; waits (transiently) while the root does not exist. */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { defineStep } from '../../../../shared/workflow/defineStep';
import { TransientStepError } from '../../../../shared/workflow/stepOutcome';

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

export const folder = defineStep({
  id: 'folder',
  title: 'Shelf directory',
  system: ({ root }: { root: string; dir: string }) => `directory ${root}`,
  input: z.object({ root: z.string(), dir: z.string() }),
  output: z.object({ dir: z.string() }),
  async read(_deps, { root, dir }) {
    if (!(await exists(root))) throw new TransientStepError(`directory ${root}`, `the directory ${root} does not exist (yet)`);
    return exists(dir);
  },
  diff: (found, { dir }) =>
    found ? { action: 'unchanged', object: `directory ${dir}`, changes: [], output: { dir } } : { action: 'create', object: `directory ${dir}`, changes: [{ field: 'path', to: dir }], output: { dir } },
  async write(_deps, { dir }) {
    await fs.mkdir(dir, { recursive: true });
    return { output: { dir } };
  },
});
