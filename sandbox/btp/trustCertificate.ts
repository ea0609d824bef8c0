/**
 * The subaccount trust certificate of the Destination service, shaped like the recorded real one
 * (contracts A.3 and its 2026-12 update): a self-signed certificate with the subject
 * `CN=cfapps.<region>.hana.ondemand.com/<subaccount-guid>, O=SAP, OU=CP Destination Configuration`
 * (RDNs in that order), RSA 4096, sha512WithRSA, valid exactly two years, a random serial that is
 * negative about every other time.
 *
 * Per subaccount, `trustCertificateKeyBits` (tests lower it to 2048 for speed; default
 * SANDBOX_CERT_KEY_BITS or 4096) and `trustCertificateValiditySeconds` (tests make certificates
 * expire; default two years) shape the certificates generated from then on.
 */
import forge from 'node-forge';
import { parsedPem } from '../core/parsedCertificate';
import { generateRsaKeyPair, generateRsaKeyPairAsync, randomSerial, type KeyPairPem } from '../core/certificateAuthority';
import type { Subaccount, TrustKeyPair } from './btpState';

export const TRUST_KEY_BITS_CHOICES = [2048, 3072, 4096] as const;
export type TrustKeyBits = (typeof TRUST_KEY_BITS_CHOICES)[number];
export const DEFAULT_TRUST_KEY_BITS: TrustKeyBits = 4096;
export const KEY_BITS_ENV = 'SANDBOX_CERT_KEY_BITS';

type CertificateOwner = Pick<Subaccount, 'region' | 'guid' | 'trustCertificateKeyBits' | 'trustCertificateValiditySeconds'>;

/** SANDBOX_CERT_KEY_BITS when set (2048, 3072 or 4096), else 4096 as SAP. */
export function defaultTrustKeyBits(env: NodeJS.ProcessEnv = process.env): TrustKeyBits {
  const raw = env[KEY_BITS_ENV]?.trim();
  if (!raw) return DEFAULT_TRUST_KEY_BITS;
  const bits = Number(raw);
  if (!TRUST_KEY_BITS_CHOICES.includes(bits as TrustKeyBits)) {
    throw new Error(`${KEY_BITS_ENV} must be one of ${TRUST_KEY_BITS_CHOICES.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return bits as TrustKeyBits;
}

export function trustKeyBits(sub: CertificateOwner): TrustKeyBits {
  return sub.trustCertificateKeyBits ?? defaultTrustKeyBits();
}

export function trustCertificateCn(region: string, guid: string): string {
  return `cfapps.${region}.hana.ondemand.com/${guid}`;
}

function notAfterFor(sub: CertificateOwner, notBefore: Date): Date {
  if (sub.trustCertificateValiditySeconds !== undefined) return new Date(notBefore.getTime() + sub.trustCertificateValiditySeconds * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 2);
  return notAfter;
}

/** The subaccount's certificate over a given key pair (seeding many subaccounts from one key). */
export function selfSigned(sub: CertificateOwner, keys: KeyPairPem, now: Date): TrustKeyPair {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial('either');
  cert.validity.notBefore = now;
  cert.validity.notAfter = notAfterFor(sub, now);
  const subject = [
    { name: 'commonName', value: trustCertificateCn(sub.region, sub.guid) },
    { name: 'organizationName', value: 'SAP' },
    { name: 'organizationalUnitName', value: 'CP Destination Configuration' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha512.create());
  return { privateKeyPem: keys.privateKeyPem, certificatePem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n') };
}

/** Blocking: for seeding at start. Handlers use generateTrustKeyPairAsync. */
export function generateTrustKeyPair(sub: CertificateOwner, now: Date): TrustKeyPair {
  return selfSigned(sub, generateRsaKeyPair(trustKeyBits(sub)), now);
}

export async function generateTrustKeyPairAsync(sub: CertificateOwner, now: Date): Promise<TrustKeyPair> {
  return selfSigned(sub, await generateRsaKeyPairAsync(trustKeyBits(sub)), now);
}

/** The CN of a certificate's subject: the SAML issuer the Destination service uses. */
export function certificateCn(pem: string): string {
  const subject = parsedPem(pem).subject;
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? '';
}

export function certificateSummary(pem: string): { subject: string; notAfter: string; fingerprint256: string } {
  const cert = parsedPem(pem);
  return { subject: cert.subject.split('\n').join(', '), notAfter: new Date(cert.validTo).toISOString(), fingerprint256: cert.fingerprint256 };
}

/** The base64 DER inside a PEM certificate. */
export function base64Body(pem: string): string {
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
