/** A generated key for the shelf, kept in the secret store; only its name travels on. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineStep } from '../../../../shared/workflow/defineStep';
import { fieldChanges } from '../../../../shared/workflow/stepPlan';

export const keySecretOf = (name: string) => `shelf-${name}-key`;

export const key = defineStep({
  id: 'key',
  title: 'Shelf key',
  system: () => 'secret store',
  input: z.object({ name: z.string() }),
  output: z.object({ keySecret: z.string() }),
  read: ({ secrets }, { name }) => secrets.exists(keySecretOf(name)),
  diff(found, { name }) {
    const object = `secret ${keySecretOf(name)}`;
    const output = { keySecret: keySecretOf(name) };
    if (found) return { action: 'unchanged', object, changes: [], output };
    return { action: 'create', object, changes: fieldChanges(undefined, { value: 'a new random key' }, { secretFields: ['value'] }), output };
  },
  async write({ secrets }, { name }) {
    await secrets.getOrCreate(keySecretOf(name), () => randomBytes(24).toString('base64url'), { contentType: 'shelf key', tags: { shelf: name } });
    return { output: { keySecret: keySecretOf(name) } };
  },
});
