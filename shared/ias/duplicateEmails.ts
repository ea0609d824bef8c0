/** E-mail addresses that more than one Identity Directory user has (compared case-insensitively, as mail is). */
import type { ScimUser } from '../sap/ias/identityDirectoryUsers';

export function duplicateEmails(users: ScimUser[]): { email: string; userIds: string[] }[] {
  const owners = new Map<string, Set<string>>();
  for (const user of users) {
    for (const { value } of user.emails ?? []) {
      const email = value.trim().toLowerCase();
      if (!email) continue;
      if (!owners.has(email)) owners.set(email, new Set());
      owners.get(email)!.add(user.id);
    }
  }
  return [...owners.entries()].filter(([, ids]) => ids.size > 1).map(([email, ids]) => ({ email, userIds: [...ids].sort() })).sort((a, b) => a.email.localeCompare(b.email));
}
