/**
 * The communication user's password in the secret store. Ours when the onboarding stored it (its
 * `managed-by` tag); a secret of that name stored by hand is left alone.
 */
import { communicationUserPasswordSecret, MANAGED_BY } from '../../../shared/secrets';
import { defineStep } from '../../../shared/workflow/defineStep';
import { SpecInput } from '../../onboarding/spec';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';

const STORE = 'secret store';

export const passwordSecret = defineStep({
  id: 'passwordSecret',
  title: "Delete the communication user's password secret",
  system: () => STORE,
  input: SpecInput,
  output: Removal,
  read: (deps, { spec }) => deps.secrets.properties(communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName).name),
  diff(stored, { spec }) {
    const name = communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName).name;
    const object = `secret ${name}`;
    if (!stored) return alreadyGone(object);
    if (stored.tags['managed-by'] !== MANAGED_BY) {
      return notOurs(object, 'it was stored by hand, not by the onboarding', ['someone else (the secret has no managed-by tag of the onboarding)'], `Leave secret ${name} alone, or delete it in the secret store yourself if nobody needs it.`);
    }
    return removal(object, goneFields({ 'communication user': stored.tags['communication-user'], updatedOn: stored.updatedOn }));
  },
  async write(deps, { spec }, _stored, diff) {
    const removed = await deps.secrets.delete(communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName).name);
    return { output: { ...diff.output, removed } };
  },
});
