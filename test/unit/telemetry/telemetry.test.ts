import { startTelemetry, operatorLog, telemetryIsOn, traceSapCall } from '../../../shared/telemetry/telemetry';
import { runInStepContext } from '../../../shared/telemetry/stepContext';
import { authenticationStringProblem, telemetryOptionsFromEnv } from '../../../shared/telemetry/telemetryOptions';
import { certificateAlertsOf, CERTIFICATE_ALERT_DAYS } from '../../../shared/telemetry/stepTelemetry';
import { loadSettings, SettingsError } from '../../../shared/config/settings';

describe('telemetry off', () => {
  it('stays off without APPLICATIONINSIGHTS_CONNECTION_STRING and loads no part of Azure Monitor', async () => {
    expect(startTelemetry({ APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' })).toBe('off');
    expect(telemetryIsOn()).toBe(false);
    expect(Object.keys(require.cache).some((m) => m.includes('monitor-opentelemetry'))).toBe(false);
    await expect(traceSapCall({ api: 'S4', system: 's', host: 'h', operation: 'o', method: 'GET' }, async () => 42, () => ({}), () => ({}))).resolves.toBe(42);
  });

  it('writes log lines to the console with the run id and the step of the activity', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      runInStepContext({ workflow: 'onboarding', runId: 'onboard-my100001-abc-r2', step: 'destination' }, () => operatorLog('info', 'step destination created in 12 ms'));
      operatorLog('info', 'outside any step');
      expect(info.mock.calls).toEqual([['[onboard-my100001-abc-r2 destination] step destination created in 12 ms'], ['outside any step']]);
    } finally {
      info.mockRestore();
    }
  });
});

describe('telemetry settings', () => {
  const connection = 'InstrumentationKey=0b7e6a52-0a4c-4b8e-9f4e-1f0c1d2e3f40;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

  it('uses Entra authentication with the managed identity the authentication string names', () => {
    expect(telemetryOptionsFromEnv({ APPLICATIONINSIGHTS_CONNECTION_STRING: connection, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=6f1c2a9e-3b7d-4e55-9a61-2c8d0e4f7a13' })).toEqual({
      connectionString: connection,
      entra: { clientId: '6f1c2a9e-3b7d-4e55-9a61-2c8d0e4f7a13' },
    });
    expect(telemetryOptionsFromEnv({ APPLICATIONINSIGHTS_CONNECTION_STRING: connection, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' })?.entra).toEqual({});
    expect(telemetryOptionsFromEnv({ APPLICATIONINSIGHTS_CONNECTION_STRING: connection })?.entra).toBeUndefined();
    expect(telemetryOptionsFromEnv({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ' })).toBeUndefined();
  });

  it('names a malformed authentication string, a client id that is no GUID and a connection string that is none', () => {
    expect(authenticationStringProblem('ClientId=6f1c2a9e-3b7d-4e55-9a61-2c8d0e4f7a13')).toMatch(/Authorization=AAD/);
    expect(authenticationStringProblem('Authorization=AAD;ClientId=my-identity')).toMatch(/GUID/);
    expect(authenticationStringProblem('AAD')).toMatch(/must be/);
    try {
      loadSettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.com', APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key', AZURE_CLIENT_ID: 'not-a-guid', DURABLE_HISTORY_RETENTION_DAYS: '0' }, { localSettingsFile: false });
      throw new Error('expected a SettingsError');
    } catch (e) {
      expect(e).toBeInstanceOf(SettingsError);
      expect((e as SettingsError).problems.map((p) => p.setting).sort()).toEqual(['APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'AZURE_CLIENT_ID', 'DURABLE_HISTORY_RETENTION_DAYS']);
    }
  });

  it('defaults the history retention to 30 days and telemetry to off', () => {
    expect(loadSettings({}, { localSettingsFile: false })).toMatchObject({ historyRetentionDays: 30, telemetry: 'off' });
    expect(loadSettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: connection }, { localSettingsFile: false }).telemetry).toBe('on');
  });
});

describe('certificate alerts of a step output', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  const cert = (notAfter: string) => ({ commonName: 'cn', fingerprintSha256: 'AB:CD', notBefore: '2025-01-01T00:00:00Z', notAfter });

  it(`reports a trust certificate that expires within ${CERTIFICATE_ALERT_DAYS} days, or has expired`, () => {
    expect(certificateAlertsOf(cert('2026-12-11T00:00:00Z'), now)).toEqual([expect.objectContaining({ kind: 'expiring', daysLeft: 10, fingerprintSha256: 'AB:CD' })]);
    expect(certificateAlertsOf(cert('2026-11-30T00:00:00Z'), now)).toEqual([expect.objectContaining({ kind: 'expired' })]);
    expect(certificateAlertsOf(cert('2027-06-01T00:00:00Z'), now)).toEqual([]);
  });

  it('reports a communication system that does not hold the certificate, and nothing for other outputs', () => {
    expect(certificateAlertsOf({ systemId: 'BTP_1', certificateMatches: false, certificateProblem: 'another certificate is uploaded' }, now)).toEqual([
      { kind: 'not held by S/4', detail: 'another certificate is uploaded' },
    ]);
    expect(certificateAlertsOf({ userName: 'COM0501_X' }, now)).toEqual([]);
    expect(certificateAlertsOf(undefined, now)).toEqual([]);
  });
});
