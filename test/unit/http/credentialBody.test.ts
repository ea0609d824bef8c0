import { credentialFromBody } from '../../../functions/http/credentialBody';
import { credentialValueProblems, purposeOf, SECRET_VALUE_MAX_BYTES } from '../../../shared/schemas/credentialValue';
import { SECRET_CONTENT_TYPES } from '../../../shared/secrets';

const serviceKey = {
  clientid: 'sb-clone!b1|destination-xsappname!b404',
  clientsecret: 'not-a-real-secret',
  url: 'https://sub.authentication.eu10.hana.ondemand.com',
  uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
  uaadomain: 'authentication.eu10.hana.ondemand.com',
};

describe('purposeOf', () => {
  it('reads purpose= from a content type', () => {
    expect(purposeOf(SECRET_CONTENT_TYPES.destinationServiceKey)).toBe('btp-destination-service-key');
    expect(purposeOf('application/json;purpose="S4-SAP-COM-0A48-USER"')).toBe('s4-sap-com-0a48-user');
    expect(purposeOf('application/json')).toBeUndefined();
    expect(purposeOf(undefined)).toBeUndefined();
  });
});

describe('credentialValueProblems', () => {
  it('accepts what each purpose holds', () => {
    expect(credentialValueProblems(serviceKey, SECRET_CONTENT_TYPES.destinationServiceKey)).toEqual([]);
    expect(credentialValueProblems({ credentials: serviceKey }, SECRET_CONTENT_TYPES.destinationServiceKey)).toEqual([]);
    expect(credentialValueProblems({ user: 'COMM_MGMT_0A48', password: 'pw' }, SECRET_CONTENT_TYPES.bootstrapUser)).toEqual([]);
    expect(credentialValueProblems('anything', 'text/plain')).toEqual([]);
  });

  it('refuses "USER:password" for an SAP_COM_0A48 user without echoing it', () => {
    const problems = credentialValueProblems('COMM_MGMT_0A48:Secret-pw-1', SECRET_CONTENT_TYPES.bootstrapUser);
    expect(problems).toEqual([{ field: 'value', message: expect.stringMatching(/JSON object \{"user".*"password".*not a string/) }]);
    expect(JSON.stringify(problems)).not.toContain('Secret-pw-1');
  });

  it('names the missing and unknown fields of an SAP_COM_0A48 user', () => {
    const fields = credentialValueProblems({ username: 'X', password: 'pw' }, SECRET_CONTENT_TYPES.bootstrapUser).map((p) => p.field).sort();
    expect(fields).toEqual(['value.user', 'value.username']);
  });

  it('names every field a service key lacks', () => {
    const problems = credentialValueProblems({ username: 'x' }, SECRET_CONTENT_TYPES.destinationServiceKey);
    expect(problems.map((p) => p.field).sort()).toEqual(['value.clientid', 'value.clientsecret', 'value.uri', 'value.url']);
    expect(problems[0].message).toMatch(/needs clientid, clientsecret, url and uri/);
  });

  it('refuses a purpose it does not know, listing the known ones', () => {
    expect(credentialValueProblems({}, 'application/json; purpose=s4-user')).toEqual([
      { field: 'contentType', message: expect.stringMatching(/unknown purpose "s4-user"; known: btp-destination-service-key, s4-sap-com-0a48-user/) },
    ]);
  });
});

describe('credentialFromBody', () => {
  it('stores a JSON value as text with its content type', () => {
    expect(credentialFromBody({ value: serviceKey, contentType: SECRET_CONTENT_TYPES.destinationServiceKey })).toEqual({
      ok: true,
      value: JSON.stringify(serviceKey),
      contentType: SECRET_CONTENT_TYPES.destinationServiceKey,
    });
    expect(credentialFromBody({ value: 'pw' })).toEqual({ ok: true, value: 'pw', contentType: 'text/plain' });
  });

  it('a service key sent without the wrapper gets one line saying to wrap it in value', () => {
    expect(credentialFromBody(serviceKey)).toEqual({ ok: false, fields: [{ field: 'body', message: expect.stringMatching(/^wrap the credential in "value"/) }] });
  });

  it('a value over Key Vault\'s 25 KB is 413; one at the limit is stored', () => {
    expect(credentialFromBody({ value: 'x'.repeat(SECRET_VALUE_MAX_BYTES) })).toMatchObject({ ok: true });
    const over = credentialFromBody({ value: 'é'.repeat(SECRET_VALUE_MAX_BYTES / 2 + 1) });
    expect(over).toMatchObject({ ok: false, response: { status: 413, jsonBody: { error: expect.stringMatching(/Key Vault holds at most 25 KB \(25,600 bytes\)/) } } });
  });
});
