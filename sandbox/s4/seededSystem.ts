/** A communication system as an onboarding leaves it, put straight into a seeded tenant (benchmarks over many tenants). */
import { randomUUID, X509Certificate } from 'node:crypto';
import { applySigningCertificate } from './signingCertificate';
import { newEtag, type S4Tenant } from './tenantState';

export function seedOnboardedSystem(tenant: S4Tenant, system: { id: string; samlIssuer: string; signingCertificatePem: string }, now: Date): void {
  const uuid = randomUUID();
  const record = {
    UUID: uuid, ID: system.id, Name: system.id, Description: `sap-trust · seeded`, Type: 'customer_managed', HostName: null, HostNameUI: null,
    TCPPort: 443, SAPClient: null, LogicalSystemID: null, BusinessSystemID: null, IsInboundOnly: true, IsOwnSystem: false, IsHubSystem: false,
    IsOAuth2IdentityProviderActive: true, OAuth2IdentityProviderName: system.samlIssuer, OAuth2IdentityProviderUserLogonType: 'user_uuid',
    OAuth2IdentityProviderCertificatePublicKeyBase64: null, OAuth2IdentityProviderCertificateSubject: null, OAuth2IdentityProviderCertificateIssuer: null,
    '@etag': newEtag(now),
  };
  applySigningCertificate(record, new X509Certificate(system.signingCertificatePem));
  tenant.systems[uuid] = record;
}
