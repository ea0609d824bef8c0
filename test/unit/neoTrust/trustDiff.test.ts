import { trustChanges, asFieldChanges } from '../../../shared/neoTrust/trustDiff';
import { canonicalJson, documentFingerprint, redactTrustDocument } from '../../../shared/neoTrust/redaction';
import { clone, makeKeyPairCertificate, seed004Example, type KeyPairCertificate } from '../../support/neoTrustDocuments';

let sp: KeyPairCertificate;
let idp: KeyPairCertificate;
let sp2: KeyPairCertificate;
beforeAll(() => {
  sp = makeKeyPairCertificate('https://hana.ondemand.com/a1b2c3');
  sp2 = makeKeyPairCertificate('https://hana.ondemand.com/x9y8z7');
  idp = makeKeyPairCertificate('tenant.accounts.ondemand.com');
});

describe('the diff of two trust configurations', () => {
  it('is empty for the same document in another order', () => {
    const a = seed004Example(1, { sp, idp });
    const b = clone(a);
    b.applicationIdentityProviders!.identityProviders[0].assertionBasedGroups!.reverse();
    expect(trustChanges(a, b)).toEqual([]);
  });

  it('names IdPs, attributes, groups and flags added, removed or changed', () => {
    const a = seed004Example(1, { sp, idp });
    const b = clone(a);
    const idpB = b.applicationIdentityProviders!.identityProviders[0];
    idpB.ssoUrl = 'https://idp.example.com/sso';
    idpB.assertionBasedAttributes!.push({ assertionAttribute: 'mail', principalAttribute: 'email' });
    idpB.defaultAttributes = [];
    idpB.assertionBasedGroups![0].rules[0].value = 'Managers';
    idpB.defaultGroups!.push({ group: 'Everyone' });
    b.localServiceProvider!.forceAuthenticationEnabled = 'true';
    b.applicationIdentityProviders!.identityProviders.push({ ...clone(idpB), name: 'SecondIdP' });
    const changes = trustChanges(a, b);
    const rows = changes.map((c) => `${c.change} ${c.field}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        'changed localServiceProvider.forceAuthenticationEnabled',
        'changed identityProviders["ExampleIdP"].ssoUrl',
        'added identityProviders["ExampleIdP"].assertionBasedAttributes["mail"]',
        'removed identityProviders["ExampleIdP"].defaultAttributes["Company"]',
        'changed identityProviders["ExampleIdP"].assertionBasedGroups["Manager"]',
        'added identityProviders["ExampleIdP"].defaultGroups["Everyone"]',
        'added identityProviders["SecondIdP"]',
      ]),
    );
    expect(changes).toHaveLength(7);
    expect(trustChanges(b, a).map((c) => c.change)).toContain('removed');
  });

  it('shows a changed private key by its public key, never the key', () => {
    const a = seed004Example(3, { sp, idp });
    const b = seed004Example(3, { sp: sp2, idp });
    const changes = trustChanges(a, b);
    expect(changes.map((c) => c.field)).toEqual(['localServiceProvider.signingKey', 'localServiceProvider.signingCertificate']);
    const text = JSON.stringify(asFieldChanges(changes));
    expect(text).toContain('public key sha256');
    expect(text).not.toContain(sp.key.slice(50, 120));
    expect(text).not.toContain(sp2.key.slice(50, 120));
  });

  it('tells configurations apart by type and local service provider', () => {
    expect(trustChanges(seed004Example(2, { sp, idp }), seed004Example(4, { sp, idp })).map((c) => c.field)).toEqual(
      expect.arrayContaining(['localServiceProvider', 'localServiceProvider.signingKey', 'identityProviders["OnlyForIdPInitiatedSSO"]', 'identityProviders["ExampleOnlyForIdPInitiatedSSO"]']),
    );
  });
});

describe('the redacted copy and the fingerprint', () => {
  it('replaces the private key only, and the fingerprint covers it', () => {
    const doc = seed004Example(1, { sp, idp });
    const redacted = redactTrustDocument(doc);
    expect(redacted.localServiceProvider!.signingKey).toMatch(/^\(secret, not shown; public key sha256 [0-9a-f]{32}\)$/);
    expect(JSON.stringify(redacted)).not.toContain(sp.key.slice(50, 120));
    expect({ ...redacted, localServiceProvider: { ...redacted.localServiceProvider, signingKey: doc.localServiceProvider!.signingKey } }).toEqual(doc);
    const otherKey = clone(doc);
    otherKey.localServiceProvider!.signingKey = sp2.key;
    expect(documentFingerprint(otherKey)).not.toBe(documentFingerprint(doc));
    expect(documentFingerprint(JSON.parse(canonicalJson(doc)))).toBe(documentFingerprint(doc));
  });
});
