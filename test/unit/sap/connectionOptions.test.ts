import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostMatchesPattern, isSapHostAllowed, sapConnectionOptionsFromEnv } from '../../../shared/sap/http';
import { parseRetryAfter } from '../../../shared/sap/http/sapMessage';
import { createTestCa } from './support/tlsTestServer';

describe('sapConnectionOptionsFromEnv', () => {
  it('reads every setting, the CA file content and the extra patterns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapopts-'));
    const ca = createTestCa();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    const o = sapConnectionOptionsFromEnv({
      SAP_CONNECT_TO: '127.0.0.1:4004',
      SAP_EXTRA_CA_FILE: join(dir, 'ca.pem'),
      SAP_HOST_ALLOWLIST_EXTRA: '*.example.test, sap.local',
      SAP_HTTP_TIMEOUT_MS: '1500',
    });
    expect(o).toEqual({ connectTo: '127.0.0.1:4004', extraCaPem: ca.certPem, allowlistExtra: ['*.example.test', 'sap.local'], timeoutMs: 1500 });
  });

  it('is empty when nothing is set (production defaults)', () => {
    expect(sapConnectionOptionsFromEnv({})).toEqual({});
  });

  it('names every bad setting at once', () => {
    expect(() => sapConnectionOptionsFromEnv({ SAP_CONNECT_TO: 'nohostport', SAP_HTTP_TIMEOUT_MS: '-5' })).toThrow(/SAP_CONNECT_TO.*SAP_HTTP_TIMEOUT_MS/);
  });

  it('rejects an unreadable CA file and a malformed pattern', () => {
    expect(() => sapConnectionOptionsFromEnv({ SAP_EXTRA_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/SAP_EXTRA_CA_FILE/);
    expect(() => sapConnectionOptionsFromEnv({ SAP_HOST_ALLOWLIST_EXTRA: 'a.test,*' })).toThrow(/SAP_HOST_ALLOWLIST_EXTRA.*\*/);
  });
});

describe('allowlist patterns', () => {
  it.each([
    ['my100001-api.s4hana.ondemand.com', true],
    ['my100001-api.s4hana.cloud.sap', true],
    ['destination-configuration.cfapps.eu10.hana.ondemand.com', true],
    ['tenant.accounts.ondemand.com', true],
    ['tenant.accounts.cloud.sap', true],
    ['hana.ondemand.com', false],
    ['evilhana.ondemand.com.attacker.net', false],
    ['xhana.ondemand.com', false],
    ['127.0.0.1', false],
    ['localhost', false],
  ])('%s allowed: %s', (host, allowed) => {
    expect(isSapHostAllowed(host)).toBe(allowed);
  });

  it('matches extra patterns exactly or as a subdomain wildcard', () => {
    expect(hostMatchesPattern('a.example.test', '*.example.test')).toBe(true);
    expect(hostMatchesPattern('example.test', '*.example.test')).toBe(false);
    expect(isSapHostAllowed('sap.local', ['sap.local'])).toBe(true);
    expect(isSapHostAllowed('x.sap.local', ['sap.local'])).toBe(false);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
