import { checkTrustDocument, validateTrustDocument } from '../../../shared/neoTrust/validateTrustDocument';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { clone, makeKeyPairCertificate, seed004Example, type KeyPairCertificate } from '../../support/neoTrustDocuments';

const NOW = new Date();
let sp: KeyPairCertificate;
let idp: KeyPairCertificate;
let other: KeyPairCertificate;
let expired: KeyPairCertificate;

beforeAll(() => {
  sp = makeKeyPairCertificate('https://hana.ondemand.com/a1b2c3');
  idp = makeKeyPairCertificate('tenant.accounts.ondemand.com');
  other = makeKeyPairCertificate('someone-else');
  expired = makeKeyPairCertificate('expired-idp', { from: new Date(Date.UTC(2020, 0, 1)), to: new Date(Date.UTC(2021, 0, 1)) });
});

const example = (n: 1 | 2 | 3 | 4) => seed004Example(n, { sp, idp });
const idp0 = (doc: TrustDocument) => doc.applicationIdentityProviders!.identityProviders[0];
const IDP0 = 'applicationIdentityProviders.identityProviders[0]';

describe('seed 004 examples are valid and classified under their use case', () => {
  it.each([
    [1, 'fully-featured-idps'],
    [2, 'restricted-idps'],
    [3, 'principal-propagation'],
    [4, 'cross-subaccount-principal-propagation'],
  ] as const)('example %i is %s with no errors', (n, useCase) => {
    const checked = checkTrustDocument(example(n), NOW);
    if (!checked.ok) throw new Error(JSON.stringify(checked.fields));
    expect(checked.validation.useCase).toBe(useCase);
    expect(checked.validation.errors).toEqual([]);
  });

  it('example 2 signs with SHA-1: accepted with a warning on its path', () => {
    const v = validateTrustDocument(example(2), NOW);
    expect(v.warnings).toEqual([expect.objectContaining({ rule: 'signature-algorithm', path: `${IDP0}.signatureAlgorithm`, severity: 'warning' })]);
  });
});

type Mutation = [name: string, base: 1 | 2 | 3 | 4, mutate: (d: TrustDocument) => void, rule: string, path: string];

const RULE_BREAKS: Mutation[] = [
  ['Custom without a fully featured IdP', 1, (d) => void (idp0(d).onlyForIdpInitiatedSSO = 'true'), 'use-case/fully-featured-idps', 'applicationIdentityProviders.identityProviders'],
  ['Custom without a local service provider', 1, (d) => void delete d.localServiceProvider, 'use-case/fully-featured-idps', 'localServiceProvider'],
  ['Custom without the signing key', 1, (d) => void delete d.localServiceProvider!.signingKey, 'use-case/fully-featured-idps', 'localServiceProvider.signingKey'],
  ['Custom with principal propagation', 1, (d) => void (d.localServiceProvider!.principalPropagationEnabled = 'true'), 'use-case/principal-propagation', 'localServiceProvider.principalPropagationEnabled'],
  ['Default with a fully featured IdP', 2, (d) => void (idp0(d).onlyForIdpInitiatedSSO = 'false'), 'use-case/restricted-idps', `${IDP0}.onlyForIdpInitiatedSSO`],
  ['cross-subaccount PP with only a SAML-bearer IdP', 4, (d) => Object.assign(idp0(d), { onlyForIdpInitiatedSSO: 'false', onlyForOAuthSAMLBearerFlow: 'true' }), 'use-case/cross-subaccount-principal-propagation', 'applicationIdentityProviders.identityProviders'],
  ['configurationType None with an IdP', 2, (d) => void (d.configurationType = 'None'), 'use-case/no-trust', 'applicationIdentityProviders.identityProviders'],
  ['an SSO URL that is no URL', 1, (d) => void (idp0(d).ssoUrl = 'example.com/sso'), 'url-valid', `${IDP0}.ssoUrl`],
  ['a central redirect URL over ftp', 1, (d) => void (d.localServiceProvider!.centralRedirectUrl = 'ftp://example.com'), 'url-valid', 'localServiceProvider.centralRedirectUrl'],
  ['an empty custom-domain SLO URL', 1, (d) => void (d.localServiceProvider!.customDomainSloUrls![0].customDomainSloUrl = ''), 'url-valid', 'localServiceProvider.customDomainSloUrls[0].customDomainSloUrl'],
  ['SHA-512', 1, (d) => void (idp0(d).signatureAlgorithm = 'SHA-512'), 'signature-algorithm', `${IDP0}.signatureAlgorithm`],
  ['an unknown SSO binding', 1, (d) => void (idp0(d).ssoBinding = 'HTTP-Artifact'), 'binding-known', `${IDP0}.ssoBinding`],
  ['an unknown SLO binding', 1, (d) => void (idp0(d).sloBinding = 'POST'), 'binding-known', `${IDP0}.sloBinding`],
  ['a PEM IdP certificate', 1, (d) => void (idp0(d).signingCertificate = idp.pem), 'certificate-parses', `${IDP0}.signingCertificate`],
  ['an IdP certificate that is no certificate', 1, (d) => void (idp0(d).signingCertificate = Buffer.from('hello').toString('base64')), 'certificate-parses', `${IDP0}.signingCertificate`],
  ['an expired IdP certificate', 1, (d) => void (idp0(d).signingCertificate = expired.certificate), 'certificate-not-expired', `${IDP0}.signingCertificate`],
  ['an expired local SP certificate', 3, (d) => Object.assign(d.localServiceProvider!, { signingKey: expired.key, signingCertificate: expired.certificate }), 'certificate-not-expired', 'localServiceProvider.signingCertificate'],
  ['a signing key of another key pair', 1, (d) => void (d.localServiceProvider!.signingKey = other.key), 'signing-key-matches-certificate', 'localServiceProvider.signingKey'],
  ['a signing key that is no key', 1, (d) => void (d.localServiceProvider!.signingKey = 'bm90IGEga2V5'), 'private-key-parses', 'localServiceProvider.signingKey'],
  ['a regexp that compiles nowhere', 1, (d) => void (idp0(d).assertionBasedGroups![0].rules[1].value = '[a-'), 'regexp-compiles', `${IDP0}.assertionBasedGroups[0].rules[1].value`],
  ['a regexp Java refuses but JavaScript takes (a brace)', 1, (d) => void (idp0(d).assertionBasedGroups![1].rules[0].value = 'dev{ops}'), 'regexp-compiles', `${IDP0}.assertionBasedGroups[1].rules[0].value`],
  ['a regexp Java refuses but JavaScript takes (\\y)', 1, (d) => void (idp0(d).assertionBasedGroups![1].rules[0].value = '\\year'), 'regexp-compiles', `${IDP0}.assertionBasedGroups[1].rules[0].value`],
  ['an unknown group rule operation', 1, (d) => void (idp0(d).assertionBasedGroups![0].rules[0].operation = 'contains'), 'group-rule-operation', `${IDP0}.assertionBasedGroups[0].rules[0].operation`],
  ['two IdPs of one name', 1, (d) => d.applicationIdentityProviders!.identityProviders.push(clone(idp0(d))), 'idp-names-unique', 'applicationIdentityProviders.identityProviders[1].name'],
  ['an Attribute user ID source without attribute', 1, (d) => void (idp0(d).userIdSource = { type: 'Attribute', value: ' ' }), 'user-id-source', `${IDP0}.userIdSource.value`],
  ['a subject user ID source with a value', 2, (d) => void (idp0(d).userIdSource = { type: 'subject', value: 'mail' }), 'user-id-source', `${IDP0}.userIdSource.value`],
  ['an unknown user ID source type', 1, (d) => void (idp0(d).userIdSource = { type: 'email', value: 'mail' }), 'user-id-source', `${IDP0}.userIdSource.type`],
  ['a default IdP that does not exist', 1, (d) => void (d.localServiceProvider!.defaultIdentityProviderName = 'OtherIdP'), 'default-idp-exists', 'localServiceProvider.defaultIdentityProviderName'],
];

describe('documents that break a rule are refused with 422 naming the rule and the path', () => {
  it.each(RULE_BREAKS)('%s', (_name, base, mutate, rule, path) => {
    const doc = clone(example(base));
    mutate(doc);
    const checked = checkTrustDocument(doc, NOW, 'document');
    if (checked.ok || checked.status !== 422) throw new Error(`expected 422, got ${JSON.stringify(checked)}`);
    expect(checked.validation.errors).toContainEqual(expect.objectContaining({ rule, path }));
    expect(checked.fields).toContainEqual({ field: `document.${path}`, message: expect.stringContaining(`[${rule}]`) });
  });

  it('no message carries the private key', () => {
    const doc = clone(example(1));
    doc.localServiceProvider!.signingKey = other.key;
    const checked = checkTrustDocument(doc, NOW);
    expect(JSON.stringify(checked)).not.toContain(other.key.slice(40, 100));
  });
});

/** Every string leaf of example 1, replaced by a number and by a boolean: a 400 naming exactly that path. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): void {
  let at = doc as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
}

const pathText = (path: (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');

describe('wrong types and missing fields are refused with 400 naming the JSON path', () => {
  const leaves = stringLeaves(seed004Example(1));
  it(`covers all ${leaves.length} string fields of example 1`, () => expect(leaves.length).toBeGreaterThan(40));

  it.each(leaves.map((p) => [pathText(p), p] as const))('%s as a number or a boolean', (text, path) => {
    for (const wrong of [42, true]) {
      const doc = clone(example(1));
      setAt(doc, path, wrong);
      const checked = checkTrustDocument(doc, NOW, 'document');
      if (checked.ok || checked.status !== 400) throw new Error(`expected 400 for ${text}=${String(wrong)}`);
      expect(checked.fields.map((f) => f.field)).toEqual([`document.${text}`]);
    }
  });

  it.each([
    ['configurationType', (d: TrustDocument) => void delete (d as Partial<TrustDocument>).configurationType],
    [`${IDP0}.name`, (d: TrustDocument) => void delete (idp0(d) as Partial<ReturnType<typeof idp0>>).name],
    [`${IDP0}.signingCertificate`, (d: TrustDocument) => void delete (idp0(d) as Partial<ReturnType<typeof idp0>>).signingCertificate],
    ['localServiceProvider.name', (d: TrustDocument) => void delete (d.localServiceProvider as Partial<NonNullable<TrustDocument['localServiceProvider']>>).name],
  ])('a missing %s', (path, mutate) => {
    const doc = clone(example(1));
    mutate(doc);
    const checked = checkTrustDocument(doc, NOW, 'document');
    if (checked.ok || checked.status !== 400) throw new Error('expected 400');
    expect(checked.fields).toContainEqual({ field: `document.${path}`, message: 'is required' });
  });

  it('a boolean "enabled" is named as the string the API wants', () => {
    const doc = clone(example(1)) as unknown as { applicationIdentityProviders: { identityProviders: { enabled: unknown }[] } };
    doc.applicationIdentityProviders.identityProviders[0].enabled = true;
    const checked = checkTrustDocument(doc, NOW);
    if (checked.ok) throw new Error('expected a refusal');
    expect(checked.fields).toEqual([{ field: `${IDP0}.enabled`, message: expect.stringContaining('"true" or "false"') }]);
  });

  it('a misspelt key is an unknown field on its path', () => {
    const doc = clone(example(1)) as unknown as Record<string, unknown>;
    (doc.localServiceProvider as Record<string, unknown>).signingkey = 'x';
    const checked = checkTrustDocument(doc, NOW);
    if (checked.ok) throw new Error('expected a refusal');
    expect(checked.status).toBe(400);
    expect(checked.fields).toContainEqual({ field: 'localServiceProvider.signingkey', message: expect.stringContaining('unknown field') });
  });
});
