/** ok / expiring / mismatch from what BTP signs with and what the communication system holds. */
import { X509Certificate } from 'node:crypto';
import { daysUntilExpiry, parseCertificate } from '../../../shared/certificates';
import { classifyTenant, type TrustCertificates } from '../../../orchestrations/certificateCheck/classification';
import { makeTestCertificate } from '../sandbox/ias.testCertificate';

const tenant = { tenantHost: 'my100001-api.s4hana.ondemand.com', subaccountId: 'sub-1', communicationSystemId: 'BTP_SUB_1', expiryWindowDays: 30 };
const active = makeTestCertificate('cfapps.eu10.hana.ondemand.com/sub-1');
const passive = makeTestCertificate('cfapps.eu10.hana.ondemand.com/sub-1');
const other = makeTestCertificate('someone-else');

const summary = (pem: string, now: Date) => {
  const c = parseCertificate(pem);
  return { pem: c.pem, summary: { commonName: c.commonName, fingerprintSha256: c.fingerprintSha256, notAfter: c.notAfter, daysLeft: daysUntilExpiry(c, now) } };
};
const holding = (pem: string) => ({ ID: 'BTP_SUB_1', OAuth2IdentityProviderCertificatePublicKeyBase64: new X509Certificate(pem).raw.toString('base64') });
// The test certificates end on 2027-01-01.
const longBefore = new Date('2026-06-01T00:00:00Z');
const tenDaysBefore = new Date('2026-12-22T00:00:00Z');
const certs = (now: Date): TrustCertificates => ({ active: summary(active.pem, now), passive: summary(passive.pem, now) });

describe('classifyTenant', () => {
  it('is ok when the system holds the active certificate and it ends after the window', () => {
    expect(classifyTenant(tenant, certs(longBefore), holding(active.pem))).toMatchObject({ status: 'ok', daysLeft: 214 });
  });

  it('is expiring inside the window, with the days left and the rotation to start', () => {
    const found = classifyTenant(tenant, certs(tenDaysBefore), holding(active.pem));
    expect(found).toMatchObject({ status: 'expiring', daysLeft: 10 });
    expect(found.fix).toMatch(/POST \/api\/rotations \{"subaccountId": "sub-1"\}/);
  });

  it('counts an expired certificate as expiring, and says it expired', () => {
    const found = classifyTenant(tenant, certs(new Date('2027-02-01T00:00:00Z')), holding(active.pem));
    expect(found.status).toBe('expiring');
    expect(found.detail).toMatch(/expired on/);
  });

  it('is a mismatch when the system holds another certificate, with the repair', () => {
    const found = classifyTenant(tenant, certs(longBefore), holding(other.pem));
    expect(found.status).toBe('mismatch');
    expect(found.detail).toMatch(/holds another signing certificate/);
    expect(found.fix).toMatch(/POST \/api\/repairs/);
  });

  it('says when the system holds the passive certificate (a cut-over half done)', () => {
    expect(classifyTenant(tenant, certs(longBefore), holding(passive.pem)).detail).toMatch(/holds the subaccount's passive certificate/);
  });

  it('compares subject and issuer where the tenant does not return the certificate field', () => {
    const c = new X509Certificate(active.pem);
    const system = { ID: 'BTP_SUB_1', OAuth2IdentityProviderCertificateSubject: c.subject.split('\n').join(', '), OAuth2IdentityProviderCertificateIssuer: c.issuer.split('\n').join(', ') };
    expect(classifyTenant(tenant, certs(longBefore), system).status).toBe('ok');
  });

  it('is a mismatch when the system is gone or the subaccount has no certificate', () => {
    expect(classifyTenant(tenant, certs(longBefore), undefined)).toMatchObject({ status: 'mismatch', detail: expect.stringMatching(/no communication system BTP_SUB_1/) });
    expect(classifyTenant(tenant, {}, holding(active.pem))).toMatchObject({ status: 'mismatch', detail: expect.stringMatching(/has no trust certificate/) });
  });
});
