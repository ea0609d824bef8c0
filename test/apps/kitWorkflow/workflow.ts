/**
 * A second workflow declared with the kit, for tests (not product code): a shelf is a directory under a
 * root, a label file in it and a generated key in the secret store. Directory first, then label ∥ key.
 */
import { z } from 'zod';
import { defineWorkflow } from '../../../shared/workflow/defineWorkflow';
import { prepareShelf, ShelfRequest, ShelfSpec } from './request';
import { folder } from './steps/folder';
import { key } from './steps/key';
import { label } from './steps/label';

export const ShelfResult = z.object({ dir: z.string(), labelFile: z.string(), keySecret: z.string() });

export const shelf = defineWorkflow({
  kind: 'shelves',
  name: 'shelf',
  noun: 'shelf',
  idPrefix: 'shelf',
  request: ShelfRequest,
  prepare: prepareShelf,
  input: ShelfSpec,
  key: (spec) => spec.name,
  subject: z.object({ name: z.string() }),
  subjectOf: (spec) => ({ name: spec.name }),
  steps: [folder, label, key],
  result: ShelfResult,

  *orchestrate(run, spec) {
    const { dir } = yield* run.step(folder.with({ root: spec.root, dir: spec.dir }));
    const [labelled, keyed] = yield* run.all(label.with({ dir, label: spec.label }), key.with({ name: spec.name }));
    return { dir, labelFile: labelled.file, keySecret: keyed.keySecret };
  },
});
