/**
 * SAML 2.0 bearer assertions as the BTP Destination service generates them for
 * OAuth2SAMLBearerAssertion destinations (contracts A.5/A.6, RFC 7522): built here, signed with
 * RSA-SHA256 (enveloped signature, exclusive c14n) by xml-crypto, and verified by the same module
 * for the simulated S/4 token endpoint.
 */
import { createPrivateKey, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { recentlyUsed } from '../../shared/memo/recentlyUsed';

export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface SignAssertionOptions {
  issuer: string;
  nameId: string;
  /** Default urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified. */
  nameIdFormat?: string;
  nameQualifier?: string;
  audience: string;
  /** SubjectConfirmationData/@Recipient: the token service URL unless the destination overrides it. */
  recipient: string;
  /** Default urn:oasis:names:tc:SAML:2.0:ac:classes:PreviousSession. */
  authnContextClassRef?: string;
  attributes?: Record<string, string | string[]>;
  /** Validity window; default 10 minutes from `now`. */
  validForSeconds?: number;
  now?: Date;
  privateKeyPem: string;
  /** Embedded as ds:KeyInfo/X509Data when given (destination property includeSigningCertificateInSAMLAssertion). */
  certificatePem?: string;
  id?: string;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** PEM, or base64 DER without armor (as S/4 stores it), → the base64 body. */
export function certificateBase64(pemOrBase64: string): string {
  return pemOrBase64.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export function certificatePem(pemOrBase64: string): string {
  const b64 = certificateBase64(pemOrBase64);
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function buildAssertion(opts: Omit<SignAssertionOptions, 'privateKeyPem' | 'certificatePem'> & { id: string }): string {
  const now = opts.now ?? new Date();
  const notBefore = new Date(now.getTime() - 60_000);
  const notOnOrAfter = new Date(now.getTime() + (opts.validForSeconds ?? 600) * 1000);
  const e = escapeXml;
  const qualifier = opts.nameQualifier ? ` NameQualifier="${e(opts.nameQualifier)}"` : '';
  const attributes = Object.entries(opts.attributes ?? {});
  const attributeStatement =
    attributes.length === 0
      ? ''
      : `<saml2:AttributeStatement>${attributes
          .map(
            ([name, value]) =>
              `<saml2:Attribute Name="${e(name)}">${(Array.isArray(value) ? value : [value])
                .map((v) => `<saml2:AttributeValue>${e(v)}</saml2:AttributeValue>`)
                .join('')}</saml2:Attribute>`,
          )
          .join('')}</saml2:AttributeStatement>`;
  return (
    `<saml2:Assertion xmlns:saml2="${SAML_ASSERTION_NS}" ID="${e(opts.id)}" IssueInstant="${isoSeconds(now)}" Version="2.0">` +
    `<saml2:Issuer>${e(opts.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${e(opts.nameIdFormat ?? NAMEID_UNSPECIFIED)}"${qualifier}>${e(opts.nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="${BEARER}"><saml2:SubjectConfirmationData NotOnOrAfter="${isoSeconds(notOnOrAfter)}" Recipient="${e(opts.recipient)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${isoSeconds(notBefore)}" NotOnOrAfter="${isoSeconds(notOnOrAfter)}"><saml2:AudienceRestriction><saml2:Audience>${e(opts.audience)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${isoSeconds(now)}" SessionIndex="${e(opts.id)}"><saml2:AuthnContext><saml2:AuthnContextClassRef>${e(
      opts.authnContextClassRef ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PreviousSession',
    )}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    attributeStatement +
    `</saml2:Assertion>`
  );
}

// Parsed once per PEM: parsing the key again for every assertion was a fifth of the sandbox's signing time.
const privateKeys = recentlyUsed<string, KeyObject>(256);
const publicKeys = recentlyUsed<string, KeyObject>(256);
const privateKeyOf = (pem: string) => privateKeys(pem, () => createPrivateKey(pem));
const publicKeyOf = (cert: string) => publicKeys(cert, () => new X509Certificate(certificatePem(cert)).publicKey);

/** Builds and signs an assertion; returns the signed XML (encode it per samlAssertionEncoding yourself). */
export function signAssertion(opts: SignAssertionOptions): string {
  const id = opts.id ?? `_${randomUUID()}`;
  const xml = buildAssertion({ ...opts, id });
  const cert = opts.certificatePem;
  const sig = new SignedXml({
    privateKey: privateKeyOf(opts.privateKeyPem),
    publicCert: cert ? certificatePem(cert) : undefined,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: cert ? SignedXml.getKeyInfoContent : () => null,
  });
  sig.addReference({ xpath: "/*[local-name(.)='Assertion']", digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

export function encodeAssertion(xml: string, encoding: 'base64' | 'base64url' = 'base64url'): string {
  const b64 = Buffer.from(xml, 'utf8').toString('base64');
  return encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export type AssertionRejection =
  | 'malformed'
  | 'not an assertion'
  | 'unsigned'
  | 'signature invalid'
  | 'signature does not cover the assertion'
  | 'not yet valid'
  | 'expired'
  | 'wrong audience'
  | 'wrong recipient';

/** Why an assertion was refused; `reason` is stable for callers, the message says more. Never holds key material. */
export class AssertionVerificationError extends Error {
  constructor(
    readonly reason: AssertionRejection,
    message: string,
  ) {
    super(message);
    this.name = 'AssertionVerificationError';
  }
}

export interface VerifiedAssertion {
  id: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  nameQualifier?: string;
  audiences: string[];
  recipient?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  authnContextClassRef?: string;
  attributes: Record<string, string[]>;
}

export interface VerifyOptions {
  /** Default: now. */
  now?: Date;
  /** Allowed clock skew, default 60 s. */
  clockSkewSeconds?: number;
  /** When given, one Audience must equal it. */
  audience?: string;
  /** When given, SubjectConfirmationData/@Recipient must equal it. */
  recipient?: string;
}

function parseXml(xml: string): Document {
  const errors: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(xml, 'text/xml');
  } catch {
    throw new AssertionVerificationError('malformed', 'assertion is not well-formed XML');
  }
  if (errors.length > 0 || !doc?.documentElement) throw new AssertionVerificationError('malformed', 'assertion is not well-formed XML');
  return doc;
}

function children(el: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === SAML_ASSERTION_NS) out.push(n as Element);
  }
  return out;
}

function first(el: Element | undefined, ...pathNames: string[]): Element | undefined {
  let cur = el;
  for (const name of pathNames) cur = cur ? children(cur, name)[0] : undefined;
  return cur;
}

function date(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AssertionVerificationError('malformed', `not a dateTime: ${value}`);
  return d;
}

function readFacts(assertion: Element): VerifiedAssertion {
  const nameIdEl = first(assertion, 'Subject', 'NameID');
  const confirmationData = first(assertion, 'Subject', 'SubjectConfirmation', 'SubjectConfirmationData');
  const conditions = first(assertion, 'Conditions');
  const audiences = conditions
    ? children(conditions, 'AudienceRestriction').flatMap((r) => children(r, 'Audience').map((a) => (a.textContent ?? '').trim()))
    : [];
  const attributes: Record<string, string[]> = {};
  for (const statement of children(assertion, 'AttributeStatement')) {
    for (const attr of children(statement, 'Attribute')) {
      attributes[attr.getAttribute('Name') ?? ''] = children(attr, 'AttributeValue').map((v) => v.textContent ?? '');
    }
  }
  const notOnOrAfter = [date(conditions?.getAttribute('NotOnOrAfter')), date(confirmationData?.getAttribute('NotOnOrAfter'))]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    id: assertion.getAttribute('ID') ?? '',
    issuer: (first(assertion, 'Issuer')?.textContent ?? '').trim(),
    nameId: (nameIdEl?.textContent ?? '').trim(),
    nameIdFormat: nameIdEl?.getAttribute('Format') || undefined,
    nameQualifier: nameIdEl?.getAttribute('NameQualifier') || undefined,
    audiences,
    recipient: confirmationData?.getAttribute('Recipient') || undefined,
    notBefore: date(conditions?.getAttribute('NotBefore')),
    notOnOrAfter,
    authnContextClassRef: (first(assertion, 'AuthnStatement', 'AuthnContext', 'AuthnContextClassRef')?.textContent ?? '').trim() || undefined,
    attributes,
  };
}

/**
 * Verifies the enveloped signature against `trustedCert` (PEM or base64 DER) and reads the facts
 * from the signed content only (so a wrapped, unsigned copy cannot be slipped in). Also checks the
 * validity window, and audience/recipient when asked. Throws AssertionVerificationError.
 */
export function verifyAssertion(xml: string, trustedCert: string, options: VerifyOptions = {}): VerifiedAssertion {
  const root = parseXml(xml).documentElement as Element;
  if (root.localName !== 'Assertion' || root.namespaceURI !== SAML_ASSERTION_NS) {
    throw new AssertionVerificationError('not an assertion', `root element is ${root.localName}, expected saml2:Assertion`);
  }
  const signatures: Element[] = [];
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === 'Signature' && (n as Element).namespaceURI === XMLDSIG_NS) signatures.push(n as Element);
  }
  if (signatures.length !== 1) throw new AssertionVerificationError('unsigned', signatures.length === 0 ? 'assertion carries no signature' : 'assertion carries more than one signature');

  const sig = new SignedXml({ publicCert: publicKeyOf(trustedCert), getCertFromKeyInfo: () => null });
  let valid = false;
  try {
    sig.loadSignature(signatures[0] as never);
    valid = sig.checkSignature(xml);
  } catch (err) {
    throw new AssertionVerificationError('signature invalid', `signature does not verify: ${(err as Error)?.message ?? 'unknown'}`);
  }
  if (!valid) throw new AssertionVerificationError('signature invalid', 'signature does not verify against the trusted certificate');

  const signed = sig.getSignedReferences();
  const signedRoot = signed.length === 1 ? parseXml(signed[0]).documentElement : undefined;
  if (!signedRoot || signedRoot.localName !== 'Assertion' || signedRoot.getAttribute('ID') !== root.getAttribute('ID')) {
    throw new AssertionVerificationError('signature does not cover the assertion', 'the signature does not reference the assertion element');
  }
  const facts = readFacts(signedRoot);

  const now = (options.now ?? new Date()).getTime();
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  if (facts.notBefore && now + skew < facts.notBefore.getTime()) throw new AssertionVerificationError('not yet valid', `assertion is valid from ${facts.notBefore.toISOString()}`);
  if (facts.notOnOrAfter && now - skew >= facts.notOnOrAfter.getTime()) throw new AssertionVerificationError('expired', `assertion expired at ${facts.notOnOrAfter.toISOString()}`);
  if (options.audience !== undefined && !facts.audiences.includes(options.audience)) {
    throw new AssertionVerificationError('wrong audience', `audience ${JSON.stringify(facts.audiences)} does not include ${options.audience}`);
  }
  if (options.recipient !== undefined && facts.recipient !== options.recipient) {
    throw new AssertionVerificationError('wrong recipient', `recipient ${facts.recipient ?? '(none)'} is not ${options.recipient}`);
  }
  return facts;
}
