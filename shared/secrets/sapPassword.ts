/**
 * Passwords for S/4HANA communication users. The password is both the user's Basic-auth password
 * and the OAuth client secret of the same-named client (contracts B.3).
 *
 * S/4's password policy is UNCONFIRMED (contracts B.3): the API example asks for ≥ 20 characters and
 * third parties report Basic-auth failures with special characters. So: long (default 40), every
 * character class present (letters both cases, digits, one special) to satisfy any complexity rule,
 * and the specials limited to URL-unreserved `-._~`, which need no escaping in Basic auth, form
 * bodies, JSON or OData. The first character is a letter (ABAP rejects a leading `!`/`?`/space) and
 * no character repeats three times in a row (ABAP rejects three identical leading characters).
 */
import { randomInt } from 'node:crypto';

export const SAP_PASSWORD_MIN_LENGTH = 32;
export const SAP_PASSWORD_DEFAULT_LENGTH = 40;

const CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  special: '-._~',
} as const;

export const SAP_PASSWORD_ALPHABET = CLASSES.lower + CLASSES.upper + CLASSES.digit + CLASSES.special;

/** True when the password follows the rules above (used by tests and by the read-back of stored secrets). */
export function isSapSafePassword(password: string): boolean {
  if (password.length < SAP_PASSWORD_MIN_LENGTH) return false;
  if (![...password].every((c) => SAP_PASSWORD_ALPHABET.includes(c))) return false;
  if (!Object.values(CLASSES).every((set) => [...password].some((c) => set.includes(c)))) return false;
  if (!/^[A-Za-z]/.test(password)) return false;
  return !/(.)\1\1/.test(password);
}

export function generateSapPassword(length: number = SAP_PASSWORD_DEFAULT_LENGTH): string {
  if (!Number.isInteger(length) || length < SAP_PASSWORD_MIN_LENGTH || length > 128) {
    throw new RangeError(`a communication-user password must be ${SAP_PASSWORD_MIN_LENGTH}..128 characters long`);
  }
  for (;;) {
    const chars = Array.from({ length }, () => pick(SAP_PASSWORD_ALPHABET));
    // One of each class at distinct random positions, then a letter first.
    const positions = distinctPositions(length, 4);
    Object.values(CLASSES).forEach((set, i) => (chars[positions[i]] = pick(set)));
    if (!/[A-Za-z]/.test(chars[0])) chars[0] = pick(CLASSES.lower + CLASSES.upper);
    const password = chars.join('');
    // The leading-letter fix can remove the only digit/special; rejection keeps the distribution uniform otherwise.
    if (isSapSafePassword(password)) return password;
  }
}

function pick(set: string): string {
  return set[randomInt(set.length)];
}

function distinctPositions(length: number, count: number): number[] {
  const taken = new Set<number>();
  while (taken.size < count) taken.add(randomInt(length));
  return [...taken];
}
