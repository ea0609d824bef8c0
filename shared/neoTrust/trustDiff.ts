/**
 * What an import would change in a subaccount's trust configuration: identity providers, their
 * attributes and groups, and the flags of the configuration and the local service provider, each
 * added, removed or changed. Identity providers are matched by name, attributes and groups by their
 * key, so order does not count. Values are shown as the API holds them, except the private key
 * (described by its public key) and certificates (by subject and SHA-256).
 *
 * An empty diff is also the read-back check: the target holds exactly what was sent.
 */
import { createHash } from 'node:crypto';
import type { FieldChange } from '../workflow/stepPlan';
import { parseDerCertificate } from './keyMaterial';
import { canonicalJson, describePrivateKey } from './redaction';
import type { IdentityProvider, LocalServiceProvider, TrustDocument } from './trustDocument';

export interface TrustChange {
  change: 'added' | 'removed' | 'changed';
  /** `localServiceProvider.principalPropagationEnabled`, `identityProviders["IdP"].defaultGroups["Developers"]`. */
  field: string;
  from?: string;
  to?: string;
}

const LSP_FIELDS = ['name', 'signingKey', 'signingCertificate', 'principalPropagationEnabled', 'forceAuthenticationEnabled', 'useCustomApplicationDomains', 'centralRedirectUrl', 'defaultIdentityProviderName'] as const;
const IDP_FIELDS = ['description', 'enabled', 'ssoUrl', 'ssoBinding', 'assertionConsumerService', 'sloUrl', 'sloBinding', 'userIdPrefix', 'userIdSuffix', 'signatureAlgorithm', 'signingCertificate', 'onlyForIdpInitiatedSSO', 'onlyForOAuthSAMLBearerFlow'] as const;

function certificateText(value: string): string {
  const parsed = parseDerCertificate(value);
  if (!parsed.ok) return `(not a certificate: sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 16)})`;
  return `${parsed.value.subject.replace(/\n/g, ', ')}, sha256 ${parsed.value.fingerprint256.replace(/:/g, '').toLowerCase().slice(0, 32)}, until ${new Date(parsed.value.validTo).toISOString().slice(0, 10)}`;
}

function shown(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (field === 'signingKey') return describePrivateKey(value);
  if (field === 'signingCertificate') return certificateText(value);
  return value;
}

const q = (name: string) => JSON.stringify(name);

function compareScalars<T extends object>(out: TrustChange[], prefix: string, fields: readonly (keyof T & string)[], from: T | undefined, to: T | undefined): void {
  for (const field of fields) {
    const a = from?.[field] as string | undefined;
    const b = to?.[field] as string | undefined;
    if ((a ?? '') === (b ?? '')) continue;
    const change: TrustChange['change'] = a === undefined || a === '' ? 'added' : b === undefined || b === '' ? 'removed' : 'changed';
    out.push({ change, field: `${prefix}.${field}`, ...(a ? { from: shown(field, a) } : {}), ...(b ? { to: shown(field, b) } : {}) });
  }
}

/** Keyed lists (attributes by name, groups by name): added, removed, or changed content. */
function compareKeyed<T>(out: TrustChange[], prefix: string, from: readonly T[] | undefined, to: readonly T[] | undefined, key: (item: T) => string, text: (item: T) => string): void {
  const before = new Map((from ?? []).map((item) => [key(item), item]));
  const after = new Map((to ?? []).map((item) => [key(item), item]));
  for (const [k, item] of after) {
    const old = before.get(k);
    if (old === undefined) out.push({ change: 'added', field: `${prefix}[${q(k)}]`, to: text(item) });
    else if (canonicalJson(old) !== canonicalJson(item)) out.push({ change: 'changed', field: `${prefix}[${q(k)}]`, from: text(old), to: text(item) });
  }
  for (const [k, item] of before) if (!after.has(k)) out.push({ change: 'removed', field: `${prefix}[${q(k)}]`, from: text(item) });
}

function compareIdp(out: TrustChange[], from: IdentityProvider, to: IdentityProvider): void {
  const at = `identityProviders[${q(to.name)}]`;
  compareScalars(out, at, IDP_FIELDS, from, to);
  const source = (s: IdentityProvider['userIdSource']) => (s ? `${s.type}${s.value ? ` ${s.value}` : ''}` : undefined);
  if ((source(from.userIdSource) ?? '') !== (source(to.userIdSource) ?? '')) {
    out.push({ change: 'changed', field: `${at}.userIdSource`, ...(from.userIdSource ? { from: source(from.userIdSource) } : {}), ...(to.userIdSource ? { to: source(to.userIdSource) } : {}) });
  }
  compareKeyed(out, `${at}.assertionBasedAttributes`, from.assertionBasedAttributes, to.assertionBasedAttributes, (a) => a.assertionAttribute, (a) => `${a.assertionAttribute} → ${a.principalAttribute}`);
  compareKeyed(out, `${at}.defaultAttributes`, from.defaultAttributes, to.defaultAttributes, (a) => a.defaultAttribute, (a) => `${a.defaultAttribute} = ${a.value}`);
  compareKeyed(out, `${at}.assertionBasedGroups`, from.assertionBasedGroups, to.assertionBasedGroups, (g) => g.group, (g) => `${g.group} if ${g.rules.map((r) => `${r.assertionAttribute} ${r.operation} ${JSON.stringify(r.value)}`).join(' and ')}`);
  compareKeyed(out, `${at}.defaultGroups`, from.defaultGroups, to.defaultGroups, (g) => g.group, (g) => g.group);
}

export function trustChanges(from: TrustDocument, to: TrustDocument): TrustChange[] {
  const out: TrustChange[] = [];
  if (from.configurationType !== to.configurationType) out.push({ change: 'changed', field: 'configurationType', from: from.configurationType, to: to.configurationType });
  const a: LocalServiceProvider | undefined = from.localServiceProvider;
  const b: LocalServiceProvider | undefined = to.localServiceProvider;
  if (!a && b) out.push({ change: 'added', field: 'localServiceProvider', to: b.name });
  if (a && !b) out.push({ change: 'removed', field: 'localServiceProvider', from: a.name });
  compareScalars(out, 'localServiceProvider', LSP_FIELDS, a, b);
  compareKeyed(out, 'localServiceProvider.customDomainSloUrls', a?.customDomainSloUrls, b?.customDomainSloUrls, (u) => u.customDomainSloUrl, (u) => u.customDomainSloUrl);
  const before = new Map((from.applicationIdentityProviders?.identityProviders ?? []).map((idp) => [idp.name, idp]));
  const after = to.applicationIdentityProviders?.identityProviders ?? [];
  for (const idp of after) {
    const old = before.get(idp.name);
    if (!old) out.push({ change: 'added', field: `identityProviders[${q(idp.name)}]`, to: idp.ssoUrl || idp.name });
    else compareIdp(out, old, idp);
  }
  for (const [name, idp] of before) if (!after.some((x) => x.name === name)) out.push({ change: 'removed', field: `identityProviders[${q(name)}]`, from: idp.ssoUrl || name });
  return out;
}

/** The kit's plan rows: `field` says what kind of change it is (`+ identityProviders["X"]`). */
export function asFieldChanges(changes: readonly TrustChange[]): FieldChange[] {
  const sign = { added: '+', removed: '-', changed: '~' } as const;
  return changes.map((c) => ({ field: `${sign[c.change]} ${c.field}`, ...(c.from !== undefined ? { from: c.from } : {}), ...(c.to !== undefined ? { to: c.to } : {}) }));
}

export function describeChanges(changes: readonly TrustChange[], limit = 10): string {
  const shownChanges = changes.slice(0, limit).map((c) => `${c.change} ${c.field}${c.from !== undefined || c.to !== undefined ? ` (${c.from ?? '–'} → ${c.to ?? '–'})` : ''}`);
  return `${shownChanges.join('; ')}${changes.length > limit ? `; and ${changes.length - limit} more` : ''}`;
}
