/** The certificate part of a registry row, shared by the onboarding's record step and the rotation's recordTenants. */
import { recordedCertificate } from '../../shared/registry/recordedCertificate';
import { TenantRecord } from '../../shared/registry';

it('keeps fingerprint, CN and end date of a certificate reference, and leaves its PEM and DER out of the row', () => {
  const reference = {
    commonName: 'sandbox-sub.authentication.sap.hana.ondemand.com',
    fingerprintSha256: 'AB:CD:EF',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    base64Der: 'MIIB',
  };
  const recorded = recordedCertificate(reference);
  expect(recorded).toEqual({ fingerprintSha256: 'AB:CD:EF', commonName: 'sandbox-sub.authentication.sap.hana.ondemand.com', notAfter: '2027-01-01T00:00:00.000Z' });
  expect(TenantRecord.shape.trustCertificate.parse(recorded)).toEqual(recorded);
});
