/**
 * The communication user S/4 knows the BTP side by. Its password is generated in the write and
 * stored before the user is created, so a retried activity uses the same one; it never leaves the
 * activity except into the secret store and to S/4. A user that another integration uses is never
 * taken over unless the request says `adopt`.
 */
import { communicationUserPasswordSecret, generateSapPassword } from '../../../shared/secrets';
import { defineStep } from '../../../shared/workflow/defineStep';
import { fieldChanges, MASKED } from '../../../shared/workflow/stepPlan';
import { ownedDescription } from '../ownership';
import { CommunicationUserRef } from '../references';
import { SpecInput } from '../spec';
import { usageOfUser } from './communicationUserUsage';
import type { CommunicationUser } from '../../../shared/sap/s4';

/** The secret's tag that records that S/4 holds this password: a retry after a failed write must write it again. */
const APPLIED_TAG = 's4-applied';

interface CurrentUser {
  user: CommunicationUser | undefined;
  usedBy: string[];
  passwordApplied: boolean;
  /** Set by prepareWrite: the stored password the write gives S/4. */
  password?: string;
}

export const communicationUser = defineStep({
  id: 'communicationUser',
  title: 'S/4 communication user',
  system: ({ spec }) => spec.s4.tenant,
  input: SpecInput,
  output: CommunicationUserRef,
  async read(deps, { spec }): Promise<CurrentUser> {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const secret = communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName);
    const [user, stored] = await Promise.all([s4.users.findByName(spec.s4.communicationUserName), deps.secrets.properties(secret.name)]);
    const usedBy = user ? await usageOfUser(s4, user.ID, spec.s4.communicationSystemId) : [];
    return { user, usedBy, passwordApplied: stored?.tags[APPLIED_TAG] === 'yes' };
  },
  diff({ user, usedBy, passwordApplied }, { spec }) {
    const name = spec.s4.communicationUserName;
    const object = `communication user ${name}`;
    const passwordSecret = communicationUserPasswordSecret(spec.s4.host, name).name;
    const wanted = { Description: ownedDescription(spec) };
    if (!user) {
      return {
        action: 'create',
        object,
        changes: [{ field: 'Name', to: name }, ...fieldChanges(undefined, wanted), { field: 'Password', to: `${MASKED}: generated and stored as ${passwordSecret}` }],
        output: { userName: name, userId: '(assigned by S/4 on create)', passwordSecret },
      };
    }
    const output = { userName: name, userId: user.ID, passwordSecret };
    if (usedBy.length > 0 && !spec.adopt.includes('communicationUser')) {
      return {
        action: 'conflict',
        object,
        changes: [],
        output,
        detail: `setting its password would break ${usedBy.join('; ')}`,
        conflict: {
          usedBy,
          fix: `Choose another "s4.communicationUserName" for this onboarding, or send "adopt": ["communicationUser"] to take user ${name} over knowingly (its password is reset, which breaks the integrations named).`,
        },
      };
    }
    const changes = [...fieldChanges(user as Record<string, unknown>, wanted), ...(passwordApplied ? [] : [{ field: 'Password', from: MASKED, to: `${MASKED}: generated and stored as ${passwordSecret}` }])];
    return changes.length === 0 ? { action: 'unchanged', object, changes, output } : { action: 'update', object, changes, output, detail: `set ${changes.map((c) => c.field.toLowerCase()).join(' and ')}` };
  },
  // Stored (with fsync) before S/4 gets it, while the journal records the intent rather than after it.
  async prepareWrite(deps, { spec }, current) {
    const secret = communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName);
    return { ...current, password: await deps.secrets.getOrCreate(secret.name, () => generateSapPassword(), secret.meta) };
  },
  async write(deps, { spec }, { user, password: prepared }, diff) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const secret = communicationUserPasswordSecret(spec.s4.host, spec.s4.communicationUserName);
    const password = prepared ?? (await deps.secrets.getOrCreate(secret.name, () => generateSapPassword(), secret.meta));
    const markApplied = () => deps.secrets.set(secret.name, password, { ...secret.meta, tags: { ...secret.meta.tags, [APPLIED_TAG]: 'yes' } });
    if (!user) {
      const created = await s4.users.create({ name: spec.s4.communicationUserName, description: ownedDescription(spec), password });
      await markApplied();
      return { output: { ...diff.output, userId: created.ID } };
    }
    const fields = new Set(diff.changes.map((c) => c.field));
    await s4.users.update(user.ID, { ...(fields.has('Description') ? { description: ownedDescription(spec) } : {}), ...(fields.has('Password') ? { password } : {}) });
    if (fields.has('Password')) await markApplied();
    return { output: diff.output };
  },
});
