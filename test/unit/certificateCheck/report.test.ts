/** GET /api/certificates rows and the CLI table: most urgent first. */
import { byUrgency, certificateReportRow, type CertificateReportRow } from '../../../orchestrations/certificateCheck/report';
import { certificateReportLines } from '../../../cli/certificatesReport';
import { parseCommandLine, UsageError } from '../../../cli/commandLine';
import { tenantRecord } from '../../support/tenantRecords';

const row = (tenantHost: string, status: CertificateReportRow['status'], daysLeft: number): CertificateReportRow => ({
  subaccountId: 'sub-1', tenantHost, commonName: 'cfapps.eu10.hana.ondemand.com/sub-1', fingerprintSha256: 'AB:CD:EF:01:23:45:67:89:AB:CD', notAfter: '2027-01-01T00:00:00.000Z', daysLeft, status,
});

describe('the certificate report', () => {
  it('puts mismatch first, then unreachable, then expiring by days left, then unchecked and ok', () => {
    const rows = [row('ok', 'ok', 300), row('exp-20', 'expiring', 20), row('unchecked', 'unchecked', 400), row('mis', 'mismatch', 500), row('exp-3', 'expiring', 3), row('down', 'unreachable', 100)];
    expect(rows.sort(byUrgency).map((r) => r.tenantHost)).toEqual(['mis', 'down', 'exp-3', 'exp-20', 'unchecked', 'ok']);
  });

  it('takes days left from the certificate the registry records, and the last check and rotation as they are', () => {
    const record = { ...tenantRecord(), lastCheck: { at: '2026-12-02T02:00:00.000Z', status: 'expiring' as const, detail: 'ends soon' }, lastRotation: { at: '2026-11-01T02:00:00.000Z', rotationId: 'rotate-1', outcome: 'completed' as const } };
    const r = certificateReportRow(record, new Date(Date.parse(record.trustCertificate.notAfter) - 5.5 * 86_400_000));
    expect(r).toMatchObject({ daysLeft: 5, status: 'expiring', lastCheck: record.lastCheck, lastRotation: record.lastRotation, commonName: record.trustCertificate.commonName });
    expect(certificateReportRow(tenantRecord(), new Date()).status).toBe('unchecked');
  });

  it('prints a table sorted by urgency, with the skipped rows and a hint', () => {
    const lines = certificateReportLines({ generatedAt: '', tenants: [row('ok-host', 'ok', 300), row('mis-host', 'mismatch', 500)], skipped: [{ where: "table TenantRegistry, PartitionKey 'x', RowKey 'y'", problem: 'subaccountId: missing' }] });
    expect(lines[0]).toMatch(/^STATUS\s+DAYS\s+EXPIRES\s+TENANT\s+SUBACCOUNT\s+CERTIFICATE CN\s+SHA-256\s+LAST CHECK\s+LAST ROTATION$/);
    expect(lines[1]).toMatch(/^mismatch\s+500\s+2027-01-01\s+mis-host\s+sub-1\s+cfapps\.eu10\.hana\.ondemand\.com\/sub-1\s+ABCDEF012345\s+-\s+-$/);
    expect(lines[2]).toMatch(/^ok\s+300 /);
    expect(lines).toContain("skipped a corrupt registry row (table TenantRegistry, PartitionKey 'x', RowKey 'y'): subaccountId: missing");
    expect(lines[lines.length - 1]).toMatch(/^1 of 2 tenants need attention/);
  });

  it('is a command of its own, with --json and no arguments', () => {
    expect(parseCommandLine(['certificates']).command).toEqual({ kind: 'certificates', json: false });
    expect(parseCommandLine(['certificates', '--json']).command).toEqual({ kind: 'certificates', json: true });
    expect(() => parseCommandLine(['certificates', 'extra'])).toThrow(UsageError);
    expect(() => parseCommandLine(['certificates', '--status', 'ok'])).toThrow(/does not apply/);
  });
});
