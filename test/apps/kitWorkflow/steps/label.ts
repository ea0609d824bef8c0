/** LABEL.txt in the shelf's directory, holding the label of the request. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { defineStep } from '../../../../shared/workflow/defineStep';
import { fieldChanges } from '../../../../shared/workflow/stepPlan';

const fileOf = (dir: string) => path.join(dir, 'LABEL.txt');

export const label = defineStep({
  id: 'label',
  title: 'Shelf label',
  system: ({ dir }: { dir: string; label: string }) => `directory ${dir}`,
  input: z.object({ dir: z.string(), label: z.string() }),
  output: z.object({ file: z.string() }),
  read: (_deps, { dir }) => fs.readFile(fileOf(dir), 'utf8').catch(() => undefined),
  diff(current, { dir, label }) {
    const object = `file ${fileOf(dir)}`;
    const output = { file: fileOf(dir) };
    const changes = fieldChanges(current === undefined ? undefined : { text: current }, { text: label });
    return { action: current === undefined ? 'create' : changes.length ? 'update' : 'unchanged', object, changes, output };
  },
  async write(_deps, { dir, label }) {
    await fs.writeFile(fileOf(dir), label);
    return { output: { file: fileOf(dir) } };
  },
});
