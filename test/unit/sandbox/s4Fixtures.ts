/** Test fixtures for the S/4 sandbox: a harness that calls handle() directly, real keys, signed SAML assertions. */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import type { SandboxRequest, SandboxResponse } from '../../../sandbox/core/service';
import { createS4Service } from '../../../sandbox/s4/s4Service';
import type { S4Slice } from '../../../sandbox/s4/tenantState';

export const TENANT = 'my100001';
export const API_HOST = `${TENANT}-api.s4hana.ondemand.com`;
export const BOOTSTRAP = { name: 'SAP_COM_0A48_USER', password: 'Bootstrap-Password-0123456789' };
export const CU = '/sap/opu/odata4/sap/aps_com_cu_a4c_odata/srvd_a2x/sap/aps_com_cu_a4c_odata/0001/';
export const CS = '/sap/opu/odata4/sap/aps_com_cs_a4c_odata/srvd_a2x/sap/aps_com_cs_a4c_odata/0001/';
export const CA = '/sap/opu/odata4/sap/aps_com_ca_a4c_odata/srvd_a2x/sap/aps_com_ca_a4c_odata/0001/';

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  query?: string;
  auth?: string | null;
  host?: string;
}

export type Answer = SandboxResponse & { json: any; text: string };

/** One tenant's S/4 service with the bootstrap seed; `call` goes straight to handle(). */
export class S4Harness {
  readonly service = createS4Service();
  readonly slice: S4Slice = this.service.initialState();
  now = new Date();
  changes = 0;
  private session?: { token: string; cookie: string };

  constructor(seedExtra: Record<string, unknown> = {}) {
    this.service.seed(this.slice, { s4Tenants: [{ tenant: TENANT, bootstrapUser: BOOTSTRAP, ...seedExtra }] });
  }

  get tenant() {
    return this.slice.tenants[TENANT];
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const auth = options.auth === undefined ? basic(BOOTSTRAP.name, BOOTSTRAP.password) : options.auth;
    if (auth !== null) headers.authorization = auth;
    let body: Buffer;
    if (options.body === undefined) body = Buffer.alloc(0);
    else if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = Buffer.from(options.body as string);
    else {
      body = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    const rawQuery = options.query ?? '';
    const req: SandboxRequest = {
      method,
      host: options.host ?? API_HOST,
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body,
    };
    const hostParams = this.service.matchHost(req.host);
    if (!hostParams) throw new Error(`service does not answer for ${req.host}`);
    const res = await this.service.handle(req, this.slice, {
      hostParams,
      changed: () => { this.changes += 1; },
      now: () => this.now,
      outboundAgent: () => { throw new Error('not used'); },
    });
    const text = typeof res.body === 'string' ? res.body : Buffer.isBuffer(res.body) ? res.body.toString() : JSON.stringify(res.body ?? null);
    let json: any;
    try { json = typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : JSON.parse(text); } catch { json = undefined; }
    return { ...res, json, text };
  }

  /** A write with a freshly fetched CSRF token and session cookie. */
  async write(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    if (!this.session) {
      const fetched = await this.call('GET', CU, { headers: { 'X-CSRF-Token': 'Fetch' } });
      const cookies = fetched.headers?.['set-cookie'] as string[];
      this.session = { token: String(fetched.headers?.['x-csrf-token']), cookie: cookies.map((c) => c.split(';')[0]).join('; ') };
    }
    return this.call(method, path, { ...options, headers: { 'x-csrf-token': this.session.token, cookie: this.session.cookie, ...(options.headers ?? {}) } });
  }
}

export interface SigningIdentity {
  certPem: string;
  certBase64Der: string;
  privateKeyPem: string;
}

/** A self-signed RSA certificate shaped like a BTP subaccount trust certificate. */
export function signingIdentity(cn: string): SigningIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + randomUUID().replace(/-/g, '').slice(0, 16);
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
  const attrs = [{ name: 'commonName', value: cn }, { shortName: 'OU', value: 'CP Destination Configuration' }, { name: 'organizationName', value: 'SAP' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const certBase64Der = forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
  return { certPem, certBase64Der, privateKeyPem };
}

export interface AssertionInput {
  issuer: string;
  audience: string;
  recipient?: string;
  nameId?: string;
  notOnOrAfter?: Date;
  notBefore?: Date;
}

export function assertionXml(a: AssertionInput): string {
  const id = `_${randomUUID()}`;
  const now = new Date();
  const notOnOrAfter = (a.notOnOrAfter ?? new Date(now.getTime() + 10 * 60_000)).toISOString();
  const notBefore = (a.notBefore ?? new Date(now.getTime() - 60_000)).toISOString();
  return (
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" IssueInstant="${now.toISOString()}" Version="2.0">` +
    `<saml2:Issuer>${a.issuer}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${a.nameId ?? 'a1b2c3d4-user-uuid'}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}"${a.recipient ? ` Recipient="${a.recipient}"` : ''}/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml2:AudienceRestriction><saml2:Audience>${a.audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${now.toISOString()}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `</saml2:Assertion>`
  );
}

/** Enveloped RSA-SHA256 signature over the assertion, placed after the Issuer as SAML requires. */
export function signAssertionXml(xml: string, identity: SigningIdentity): string {
  const sig = new SignedXml({
    privateKey: identity.privateKeyPem,
    publicCert: identity.certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "/*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: "/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

export function base64url(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64url');
}
