import { X509Certificate } from 'node:crypto';
import { CA, CS, CU, S4Harness, assertionXml, base64url, basic, signAssertionXml, signingIdentity, TENANT, type AssertionInput, type SigningIdentity } from './s4Fixtures';

const CN = 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555';
const CLIENT = 'COM501SID100';
const SECRET = 'Client-Secret-abcdefghijklmnopqrstuvwxyz';
const AUDIENCE = `https://${TENANT}.s4hana.ondemand.com`;
const TOKEN_URL = `https://${TENANT}-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token`;
const GRANT = 'urn:ietf:params:oauth:grant-type:saml2-bearer';

let trusted: SigningIdentity;
let stranger: SigningIdentity;

beforeAll(() => {
  trusted = signingIdentity(CN);
  stranger = signingIdentity(CN);
});

/** A tenant configured as the onboarding leaves it: user, system with IdP + certificate, oauth2 inbound user, arrangement. */
async function onboarded(options: { arrangement?: boolean } = {}) {
  const h = new S4Harness();
  const user = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: CLIENT, Description: 'inbound', Password: SECRET } });
  const system = await h.write('POST', `${CS}CommunicationSystems`, {
    body: {
      ID: 'BTP_SUBACCOUNT', Name: 'BTP', IsInboundOnly: true, IsOAuth2IdentityProviderActive: true, OAuth2IdentityProviderName: CN,
      OAuth2IdentityProviderUserLogonType: 'user_uuid', OAuth2IdentityProviderCertificatePublicKeyBase64: trusted.certBase64Der,
    },
  });
  const inbound = await h.write('POST', `${CS}InboundUsers`, {
    body: { CommunicationSystemUUID: system.json.UUID, CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' },
  });
  if (options.arrangement !== false) {
    const arrangement = await h.write('POST', `${CA}CommunicationArrangements`, {
      body: { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_SUBACCOUNT', InboundUser: { CommunicationSystemInboundUserUUID: inbound.json.UUID } },
    });
    expect(arrangement.status).toBe(201);
  }
  return h;
}

function signed(input: Partial<AssertionInput> = {}, identity = trusted): string {
  return signAssertionXml(assertionXml({ issuer: CN, audience: AUDIENCE, recipient: TOKEN_URL, ...input }), identity);
}

async function requestToken(h: S4Harness, assertion: string, options: { password?: string; clientId?: string; auth?: string | null; encode?: (x: string) => string } = {}) {
  const form = new URLSearchParams({ grant_type: GRANT, assertion: (options.encode ?? base64url)(assertion), client_id: options.clientId ?? CLIENT });
  return h.call('POST', '/sap/bc/sec/oauth2/token', {
    auth: options.auth === undefined ? basic(CLIENT, options.password ?? SECRET) : options.auth,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

function lastLog(h: S4Harness) {
  return h.tenant.tokenLog[h.tenant.tokenLog.length - 1];
}

describe('S/4 OAuth token endpoint, SAML 2.0 bearer grant', () => {
  it('grants a Bearer token for an assertion signed with the key whose certificate is on the communication system', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed());
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), scope: 'SAP_COM_0501' });
    expect(res.json.access_token.length).toBeGreaterThan(20);
    expect(lastLog(h)).toEqual(expect.objectContaining({ outcome: 'granted', clientId: CLIENT, issuer: CN, communicationSystemID: 'BTP_SUBACCOUNT' }));
    expect(JSON.stringify(h.tenant.tokenLog)).not.toContain(res.json.access_token);
  });

  it('also accepts plain base64 encoding of the assertion', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed(), { encode: (x) => Buffer.from(x).toString('base64') });
    expect(res.status).toBe(200);
  });

  it('refuses a tampered assertion (NameID changed after signing): invalid_grant', async () => {
    const h = await onboarded();
    const tampered = signed({ nameId: 'alice' }).replace('>alice<', '>mallory<');
    const res = await requestToken(h, tampered);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
    expect(res.json.error_description).toContain('signature does not verify');
    expect(lastLog(h)).toEqual(expect.objectContaining({ outcome: 'denied', error: 'invalid_grant', nameId: 'mallory' }));
  });

  it('refuses an assertion signed by another key with the same CN: invalid_grant', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed({}, stranger));
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
    expect(lastLog(h).reason).toContain('signature does not verify');
  });

  it('refuses an unsigned assertion: invalid_grant', async () => {
    const h = await onboarded();
    const res = await requestToken(h, assertionXml({ issuer: CN, audience: AUDIENCE }));
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('refuses an issuer other than the system SAML issuer: invalid_client', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed({ issuer: 'https://mysubaccount.authentication.eu10.hana.ondemand.com' }));
    expect([res.status, res.json.error]).toEqual([401, 'invalid_client']);
    expect(res.json.error_description).toContain('is not the SAML issuer of communication system BTP_SUBACCOUNT');
  });

  it('refuses a wrong client password, a missing Basic header and an unknown client: invalid_client, without echoing the password', async () => {
    const h = await onboarded();
    const wrong = await requestToken(h, signed(), { password: 'Wrong-password-abcdefghijklmnop' });
    expect([wrong.status, wrong.json.error]).toEqual([401, 'invalid_client']);
    expect(wrong.text).not.toContain('Wrong-password');
    expect(JSON.stringify(h.tenant.tokenLog)).not.toContain('Wrong-password');
    expect(lastLog(h).reason).toContain('wrong password');
    const none = await requestToken(h, signed(), { auth: null });
    expect([none.status, none.json.error]).toEqual([401, 'invalid_client']);
    expect(none.json.error_description).toContain('No OAuth 2.0 client authentication credentials');
    const unknown = await requestToken(h, signed(), { auth: basic('SOMEONE', SECRET), clientId: 'SOMEONE' });
    expect([unknown.status, unknown.json.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses the API host as audience (it must be the UI host without -api): invalid_grant', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed({ audience: `https://${TENANT}-api.s4hana.ondemand.com` }));
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
    expect(res.json.error_description).toContain(`is not ${AUDIENCE}`);
  });

  it('refuses an expired assertion: invalid_grant', async () => {
    const h = await onboarded();
    const res = await requestToken(h, signed({ notOnOrAfter: new Date(Date.now() - 5 * 60_000), notBefore: new Date(Date.now() - 10 * 60_000) }));
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
    expect(lastLog(h).reason).toContain('expired');
  });

  it('refuses a client whose inbound user no arrangement references with the 401 HTML "Logon failed" page', async () => {
    const h = await onboarded({ arrangement: false });
    const res = await requestToken(h, signed());
    expect(res.status).toBe(401);
    expect(res.headers?.['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Logon failed');
    expect(res.json).toBeUndefined();
    expect(lastLog(h)).toEqual(expect.objectContaining({
      outcome: 'denied', error: 'logon_failed',
      reason: `inbound user ${CLIENT} of communication system BTP_SUBACCOUNT is not the inbound user of any communication arrangement`,
    }));
  });

  it('accepts a client only while an arrangement references its own inbound user, not merely its system', async () => {
    const h = await onboarded({ arrangement: false });
    const system = Object.values(h.tenant.systems).find((s) => s.ID === 'BTP_SUBACCOUNT')!;
    const mine = Object.values(h.tenant.inboundUsers).find((i) => i.CommunicationSystemUUID === system.UUID)!;
    const other = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'OTHER_CLIENT', Description: 'other', Password: `${SECRET}-other` } });
    const otherInbound = await h.write('POST', `${CS}InboundUsers`, {
      body: { CommunicationSystemUUID: system.UUID, CommunicationUserID: other.json.ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' },
    });
    const arrangement = await h.write('POST', `${CA}CommunicationArrangements`, {
      body: { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_SUBACCOUNT', InboundUser: { CommunicationSystemInboundUserUUID: otherInbound.json.UUID } },
    });
    expect(arrangement.status).toBe(201);
    expect((await requestToken(h, signed())).status).toBe(401);

    const repoint = await h.write('PATCH', `${CA}CommunicationArrangements(${String(arrangement.json.UUID)})/InboundUser`, {
      body: { CommunicationSystemInboundUserUUID: mine.UUID },
    });
    expect(repoint.status).toBe(204);
    const granted = await requestToken(h, signed());
    expect([granted.status, granted.json.scope]).toEqual([200, 'SAP_COM_0501']);

    const removed = await h.write('DELETE', `${CA}CommunicationArrangements(${String(arrangement.json.UUID)})`);
    expect(removed.status).toBe(204);
    const after = await requestToken(h, signed());
    expect([after.status, after.text]).toEqual([401, expect.stringContaining('Logon failed')]);
  });

  it('refuses when the OAuth 2.0 IdP is switched off on the system: invalid_grant', async () => {
    const h = await onboarded();
    const system = Object.values(h.tenant.systems).find((s) => s.ID === 'BTP_SUBACCOUNT')!;
    await h.write('PATCH', `${CS}CommunicationSystems(${String(system.UUID)})`, { body: { IsOAuth2IdentityProviderActive: false } });
    const res = await requestToken(h, signed());
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
    expect(res.json.error_description).toContain('not active');
  });

  it('refuses a wrong grant type, a wrong recipient and garbage instead of an assertion', async () => {
    const h = await onboarded();
    const grant = await h.call('POST', '/sap/bc/sec/oauth2/token', {
      auth: basic(CLIENT, SECRET), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials',
    });
    expect([grant.status, grant.json.error]).toEqual([400, 'unsupported_grant_type']);
    const recipient = await requestToken(h, signed({ recipient: 'https://elsewhere.example/token' }));
    expect([recipient.status, recipient.json.error]).toEqual([400, 'invalid_grant']);
    const garbage = await requestToken(h, '', { encode: () => '%%%not-base64' });
    expect([garbage.status, garbage.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('works for a manually uploaded certificate on a tenant that rejects the field in the API', async () => {
    const h = await onboarded();
    h.service.applySwitches!(h.slice, TENANT, { rejectSigningCertificateField: true });
    const upload = await h.call('POST', '/__sandbox/manual/communication-systems/BTP_SUBACCOUNT/signing-certificate', { auth: null, body: { certificate: stranger.certPem } });
    expect(upload.status).toBe(200);
    expect((await requestToken(h, signed({}, stranger))).status).toBe(200);
    expect((await requestToken(h, signed({}, trusted))).status).toBe(400);
  });

  it('refuses an assertion while the signing certificate on the system has expired by the sandbox clock: invalid_grant', async () => {
    const h = await onboarded();
    const validTo = new Date(new X509Certificate(trusted.certPem).validTo);
    h.now = new Date(validTo.getTime() + 1000);
    const res = await requestToken(h, signed());
    expect([res.status, res.json.error]).toEqual([400, 'invalid_grant']);
    expect(res.json.error_description).toBe(`Error in ST program SAML2_ASSERTION: the signing certificate of communication system BTP_SUBACCOUNT expired at ${validTo.toISOString()}`);
  });

  it('with refuseSigningCertificateUpdate, refuses a PATCH that changes the certificate (400, nothing changed) but keeps the field, same-value PATCHes, creates and the Fiori upload', async () => {
    const h = await onboarded();
    h.service.applySwitches!(h.slice, TENANT, { refuseSigningCertificateUpdate: true });
    const system = Object.values(h.tenant.systems).find((s) => s.ID === 'BTP_SUBACCOUNT')!;
    const url = `${CS}CommunicationSystems(${String(system.UUID)})`;
    const refused = await h.write('PATCH', url, { body: { Description: 'new', OAuth2IdentityProviderCertificatePublicKeyBase64: stranger.certBase64Der } });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({
      target: 'OAuth2IdentityProviderCertificatePublicKeyBase64',
      message: 'The signing certificate of communication system BTP_SUBACCOUNT cannot be changed by API; upload it in the Communication Systems app',
    });
    expect(system.OAuth2IdentityProviderCertificatePublicKeyBase64).toBe(trusted.certBase64Der);
    expect(system.Description).not.toBe('new');
    expect((await h.write('PATCH', url, { body: { Description: 'new', OAuth2IdentityProviderCertificatePublicKeyBase64: trusted.certBase64Der } })).status).toBe(204);
    expect((await h.call('GET', `${CS}$metadata`)).text).toContain('OAuth2IdentityProviderCertificatePublicKeyBase64');
    const created = await h.write('POST', `${CS}CommunicationSystems`, { body: { ID: 'SECOND', Name: 'Second', IsInboundOnly: true, OAuth2IdentityProviderCertificatePublicKeyBase64: stranger.certBase64Der } });
    expect(created.status).toBe(201);
    const upload = await h.call('POST', '/__sandbox/manual/communication-systems/BTP_SUBACCOUNT/signing-certificate', { auth: null, body: { certificate: stranger.certPem } });
    expect(upload.status).toBe(200);
    expect(system.OAuth2IdentityProviderCertificatePublicKeyBase64).toBe(stranger.certBase64Der);
  });
});
