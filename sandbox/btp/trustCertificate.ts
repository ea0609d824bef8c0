/**
 * The subaccount trust certificate of the Destination service (contracts A.3, E.1): a real RSA key
 * pair (2048 bits in the sandbox for speed; SAP uses 4096) and a self-signed certificate with the
 * subject `CN=cfapps.<region>.hana.ondemand.com/<subaccount-guid>, OU=CP Destination Configuration, O=SAP`,
 * valid two years, sha512WithRSA as in SAP's example.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { generateRsaKeyPair, randomSerial } from '../core/certificateAuthority';
import type { Subaccount, TrustKeyPair } from './btpState';

export const TRUST_KEY_BITS = 2048;

export function trustCertificateCn(region: string, guid: string): string {
  return `cfapps.${region}.hana.ondemand.com/${guid}`;
}

export function generateTrustKeyPair(sub: Pick<Subaccount, 'region' | 'guid'>, now: Date): TrustKeyPair {
  const keys = generateRsaKeyPair(TRUST_KEY_BITS);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = now;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 2);
  cert.validity.notAfter = notAfter;
  const subject = [
    { name: 'commonName', value: trustCertificateCn(sub.region, sub.guid) },
    { name: 'organizationalUnitName', value: 'CP Destination Configuration' },
    { name: 'organizationName', value: 'SAP' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha512.create());
  return { privateKeyPem: keys.privateKeyPem, certificatePem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n') };
}

/** The CN of a certificate's subject: the SAML issuer the Destination service uses. */
export function certificateCn(pem: string): string {
  const subject = new X509Certificate(pem).subject;
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? '';
}

export function certificateSummary(pem: string): { subject: string; notAfter: string; fingerprint256: string } {
  const cert = new X509Certificate(pem);
  return { subject: cert.subject.split('\n').join(', '), notAfter: new Date(cert.validTo).toISOString(), fingerprint256: cert.fingerprint256 };
}

function base64Body(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** The SAML metadata `GET /v1/saml2Metadata` returns base64-encoded: active and passive signing keys. */
export function saml2MetadataXml(sub: Subaccount): string {
  const entity = trustCertificateCn(sub.region, sub.guid);
  const keys = [sub.active, sub.passive].filter((k): k is TrustKeyPair => k !== undefined);
  const descriptors = keys
    .map((k) => `<ns3:KeyDescriptor use="signing"><KeyInfo><KeyName>${entity}</KeyName><X509Data><X509Certificate>${base64Body(k.certificatePem)}</X509Certificate></X509Data></KeyInfo></ns3:KeyDescriptor>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<ns3:EntityDescriptor xmlns="http://www.w3.org/2000/09/xmldsig#" xmlns:ns2="http://www.w3.org/2001/04/xmlenc#" xmlns:ns4="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ns3="urn:oasis:names:tc:SAML:2.0:metadata" ID="${entity}" entityID="${entity}">` +
    `<ns3:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${descriptors}</ns3:SPSSODescriptor>` +
    `<ns3:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${descriptors}</ns3:IDPSSODescriptor>` +
    `</ns3:EntityDescriptor>`
  );
}
