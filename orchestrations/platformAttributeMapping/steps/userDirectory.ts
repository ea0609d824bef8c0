/** BTP identifies platform users by e-mail: every address must be unique in the tenant (seed 001). Read through SCIM, reported, never changed. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { duplicateEmails } from '../../../shared/ias/duplicateEmails';
import { iasSystem, MappingSpec } from '../spec';

const Input = z.object({ spec: MappingSpec });
type Input = z.infer<typeof Input>;
const Output = z.object({ users: z.number().int(), duplicateEmails: z.number().int(), complete: z.boolean() });

/** Enough to act on; the rest is counted. */
const LISTED = 10;

export const userDirectory = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'userDirectory',
  title: 'Unique e-mail addresses',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: Output,
  async check(deps, { spec }) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const { users, complete } = await ias.users.list();
    const duplicates = duplicateEmails(users);
    const warnings = duplicates.map((d) => `e-mail ${d.email} belongs to ${d.userIds.length} users (${d.userIds.join(', ')}): BTP cannot tell them apart`).slice(0, LISTED);
    if (duplicates.length > LISTED) warnings.push(`… and ${duplicates.length - LISTED} more e-mail addresses used by several users`);
    if (!complete) warnings.push(`only the first ${users.length} users were read; duplicates beyond them are not reported`);
    return { output: { users: users.length, duplicateEmails: duplicates.length, complete }, detail: `${users.length} users, ${duplicates.length ? `${duplicates.length} e-mail address(es) not unique` : 'every e-mail address unique'}`, ...(warnings.length ? { warnings } : {}) };
  },
});
