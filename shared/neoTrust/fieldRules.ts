/**
 * The field rules of a trust document (issue 11, item 3): each violation is a finding with its rule
 * name and JSON path. `now` decides expiry, so a check is reproducible.
 */
import type { X509Certificate } from 'node:crypto';
import { javaRegexProblem } from './javaRegex';
import { keyMatchesCertificate, parseDerCertificate, parsePkcs8Key } from './keyMaterial';
import { finding, idpPath, lspPath, type JsonPath, type TrustFinding } from './trustFinding';
import { identityProvidersOf, type TrustDocument } from './trustDocument';

export const BINDINGS = ['HTTP-POST', 'HTTP-Redirect'] as const;
export const SIGNATURE_ALGORITHMS = ['SHA-1', 'SHA-256'] as const;
export const USER_ID_SOURCE_TYPES = ['subject', 'Attribute'] as const;
export const GROUP_RULE_OPERATIONS = ['equals', 'regexp'] as const;

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http(s) URL, not ${url.protocol}`;
  return undefined;
}

function checkUrl(out: TrustFinding[], path: JsonPath, value: string | undefined, emptyAllowed: boolean): void {
  if (value === undefined || (value === '' && emptyAllowed)) return;
  const problem = value === '' ? 'must not be empty' : urlProblem(value);
  if (problem) out.push(finding('url-valid', path, `${problem} (got ${JSON.stringify(value.slice(0, 100))})`));
}

function checkCertificate(out: TrustFinding[], path: JsonPath, value: string, now: Date): X509Certificate | undefined {
  const parsed = parseDerCertificate(value);
  if (!parsed.ok) {
    out.push(finding('certificate-parses', path, parsed.problem));
    return undefined;
  }
  const cert = parsed.value;
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    out.push(finding('certificate-not-expired', path, `expired on ${new Date(cert.validTo).toISOString()} (${cert.subject.replace(/\n/g, ', ')}); get a current certificate from the identity provider or generate a new signing key pair`));
  } else if (new Date(cert.validFrom).getTime() > now.getTime()) {
    out.push(finding('certificate-not-expired', path, `is valid only from ${new Date(cert.validFrom).toISOString()}`, 'warning'));
  }
  return cert;
}

function checkEnum(out: TrustFinding[], rule: string, path: JsonPath, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value)) return;
  out.push(finding(rule, path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value.slice(0, 60))}`));
}

export function fieldFindings(doc: TrustDocument, now: Date): TrustFinding[] {
  const out: TrustFinding[] = [];
  const lsp = doc.localServiceProvider;
  const idps = identityProvidersOf(doc);
  if (lsp) {
    checkUrl(out, lspPath('centralRedirectUrl'), lsp.centralRedirectUrl, true);
    (lsp.customDomainSloUrls ?? []).forEach((u, i) => checkUrl(out, lspPath('customDomainSloUrls', i, 'customDomainSloUrl'), u.customDomainSloUrl, false));
    const cert = lsp.signingCertificate !== undefined ? checkCertificate(out, lspPath('signingCertificate'), lsp.signingCertificate, now) : undefined;
    if (lsp.signingKey !== undefined) {
      const key = parsePkcs8Key(lsp.signingKey);
      if (!key.ok) out.push(finding('private-key-parses', lspPath('signingKey'), key.problem));
      else if (cert && !keyMatchesCertificate(key.value, cert)) {
        out.push(finding('signing-key-matches-certificate', lspPath('signingKey'), 'is not the private key of localServiceProvider.signingCertificate; export both from the same key pair'));
      }
    }
    const defaultIdp = lsp.defaultIdentityProviderName;
    if (defaultIdp && !idps.some((idp) => idp.name === defaultIdp)) {
      out.push(finding('default-idp-exists', lspPath('defaultIdentityProviderName'), `names "${defaultIdp}", but no application identity provider has that name (have: ${idps.map((i) => i.name).join(', ') || 'none'})`));
    }
  }
  const seen = new Map<string, number>();
  idps.forEach((idp, i) => {
    const first = seen.get(idp.name);
    if (first !== undefined) out.push(finding('idp-names-unique', idpPath(i, 'name'), `"${idp.name}" is also the name of identity provider [${first}]; names must be unique`));
    else seen.set(idp.name, i);
    checkUrl(out, idpPath(i, 'ssoUrl'), idp.ssoUrl, idp.onlyForIdpInitiatedSSO === 'true' || idp.onlyForOAuthSAMLBearerFlow === 'true');
    checkUrl(out, idpPath(i, 'sloUrl'), idp.sloUrl, true);
    checkEnum(out, 'binding-known', idpPath(i, 'ssoBinding'), idp.ssoBinding, BINDINGS);
    checkEnum(out, 'binding-known', idpPath(i, 'sloBinding'), idp.sloBinding, BINDINGS);
    checkEnum(out, 'signature-algorithm', idpPath(i, 'signatureAlgorithm'), idp.signatureAlgorithm, SIGNATURE_ALGORITHMS);
    if (idp.signatureAlgorithm === 'SHA-1') {
      out.push(finding('signature-algorithm', idpPath(i, 'signatureAlgorithm'), 'SHA-1 is weak; use SHA-256 if the identity provider signs with it', 'warning'));
    }
    checkCertificate(out, idpPath(i, 'signingCertificate'), idp.signingCertificate, now);
    const source = idp.userIdSource;
    if (source) {
      checkEnum(out, 'user-id-source', idpPath(i, 'userIdSource', 'type'), source.type, USER_ID_SOURCE_TYPES);
      if (source.type === 'Attribute' && source.value.trim() === '') {
        out.push(finding('user-id-source', idpPath(i, 'userIdSource', 'value'), 'must name the assertion attribute that holds the user ID when type is "Attribute"'));
      }
      if (source.type === 'subject' && source.value !== '') {
        out.push(finding('user-id-source', idpPath(i, 'userIdSource', 'value'), 'must be "" when type is "subject" (the user ID is the assertion subject)'));
      }
    }
    (idp.assertionBasedGroups ?? []).forEach((group, g) =>
      group.rules.forEach((rule, r) => {
        const at = idpPath(i, 'assertionBasedGroups', g, 'rules', r);
        checkEnum(out, 'group-rule-operation', [...at, 'operation'], rule.operation, GROUP_RULE_OPERATIONS);
        if (rule.operation !== 'regexp') return;
        const problem = javaRegexProblem(rule.value);
        if (problem) out.push(finding('regexp-compiles', [...at, 'value'], `${JSON.stringify(rule.value.slice(0, 100))} ${problem}`));
      }),
    );
  });
  return out;
}
