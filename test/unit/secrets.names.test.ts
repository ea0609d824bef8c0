import {
  communicationUserPasswordSecret,
  isSecretName,
  s4TenantOf,
  secretName,
  SECRET_NAME_PATTERN,
} from '../../shared/secrets/secretNames';
import { generateSapPassword, isSapSafePassword, SAP_PASSWORD_ALPHABET } from '../../shared/secrets/sapPassword';

describe('secret names', () => {
  it('derives the communication-user password name from tenant and user', () => {
    const s = communicationUserPasswordSecret('my100001-api.s4hana.ondemand.com', 'COM0501_1A2B3C4D');
    expect(s.name).toBe('s4-my100001-comm-user-com0501-1a2b3c4d-password');
    expect(s.meta.tags).toMatchObject({ tenant: 'my100001', purpose: 'communication-user-password', 'managed-by': 'sap-trust-onboarding' });
    expect(s.meta.contentType.length).toBeLessThanOrEqual(255);
  });

  it('is deterministic and tells tenants apart', () => {
    const a = communicationUserPasswordSecret('my100001-api.s4hana.ondemand.com', 'COM0501_X').name;
    expect(communicationUserPasswordSecret('MY100001-api.s4hana.ondemand.com', 'COM0501_X').name).toBe(a);
    expect(communicationUserPasswordSecret('my100002-api.s4hana.ondemand.com', 'COM0501_X').name).not.toBe(a);
  });

  it('turns any input into a Key Vault legal name', () => {
    for (const parts of [['s4', 'a_b.c/d'], ['ÄÖÜ tenant', '--x--'], ['x'.repeat(300)], ['y'.repeat(126), 'z'.repeat(126)]]) {
      const name = secretName(...parts);
      expect(name).toMatch(SECRET_NAME_PATTERN);
      expect(isSecretName(name)).toBe(true);
    }
  });

  it('keeps long names unique by a hash of the whole', () => {
    const a = secretName('x'.repeat(200), 'a');
    const b = secretName('x'.repeat(200), 'b');
    expect(a.length).toBeLessThanOrEqual(127);
    expect(a).not.toBe(b);
  });

  it('reads the tenant from API and UI hosts', () => {
    expect(s4TenantOf('my100001-api.s4hana.ondemand.com')).toBe('my100001');
    expect(s4TenantOf('my438741-api.s4hana.cloud.sap')).toBe('my438741');
    expect(s4TenantOf('my100001.s4hana.ondemand.com')).toBe('my100001');
  });

  it('rejects names Key Vault would reject', () => {
    expect(isSecretName('has_underscore')).toBe(false);
    expect(isSecretName('')).toBe(false);
    expect(isSecretName('a'.repeat(128))).toBe(false);
    expect(isSecretName('ok-Name-1')).toBe(true);
  });
});

describe('communication-user passwords', () => {
  it('are 40 characters by default, from the SAP-safe alphabet, with every class, starting with a letter', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateSapPassword();
      expect(p).toHaveLength(40);
      expect([...p].every((c) => SAP_PASSWORD_ALPHABET.includes(c))).toBe(true);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[-._~]/);
      expect(p).toMatch(/^[A-Za-z]/);
      expect(p).not.toMatch(/(.)\1\1/);
      expect(isSapSafePassword(p)).toBe(true);
    }
  });

  it('differ every time', () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateSapPassword()));
    expect(seen.size).toBe(500);
  });

  it('refuse lengths below 32', () => {
    expect(() => generateSapPassword(31)).toThrow(RangeError);
    expect(generateSapPassword(32)).toHaveLength(32);
  });

  it('the checker rejects weak passwords', () => {
    expect(isSapSafePassword('a'.repeat(40))).toBe(false);
    expect(isSapSafePassword('Ab1-' + 'x'.repeat(36))).toBe(false); // xxx repeats
    expect(isSapSafePassword('1Ab-' + 'xyz'.repeat(12))).toBe(false); // leading digit
    expect(isSapSafePassword('Ab1!' + 'xyz'.repeat(12))).toBe(false); // ! outside the alphabet
  });
});
