/**
 * What `npm run sandbox` prints at start: the settings that point the product here, every simulated
 * base URL and the seeded test credentials (this is a local simulator with obviously fake secrets,
 * so they are shown in full; request secrets are never logged).
 */
import type { SandboxSeed } from './seedFile';

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Rec[]) : []);
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

export function sandboxBanner(info: { port: number; adminUrl: string; caFile: string; connectTo: string; seed: SandboxSeed }): string {
  const lines = [
    `SAP sandbox listening on 127.0.0.1:${info.port}`,
    `  admin API:          ${info.adminUrl}/state`,
    `  point the product here with:`,
    `    SAP_CONNECT_TO=${info.connectTo}`,
    `    SAP_EXTRA_CA_FILE=${info.caFile}`,
  ];
  for (const sub of list(info.seed.subaccounts)) {
    const key = (sub.serviceKey ?? {}) as Rec;
    lines.push(`  BTP subaccount ${str(sub.guid)} (${str(sub.region)}, subdomain ${str(sub.subdomain)})`);
    lines.push(`    XSUAA token:        ${str(key.url)}/oauth/token`);
    lines.push(`    Destination service: ${str(key.uri)}/destination-configuration/v1`);
    lines.push(`    service key:        clientid=${str(key.clientid)} clientsecret=${str(key.clientsecret)}`);
    lines.push(`    service key JSON:   ${JSON.stringify(key)}`);
  }
  for (const t of list(info.seed.s4Tenants)) {
    const user = (t.bootstrapUser ?? {}) as Rec;
    lines.push(`  S/4HANA Cloud tenant ${str(t.tenant)}: https://${str(t.tenant)}-api.s4hana.ondemand.com`);
    lines.push(`    SAP_COM_0A48 user:  ${str(user.name)} / ${str(user.password)}`);
  }
  for (const t of list(info.seed.iasTenants)) {
    lines.push(`  IAS tenant ${str(t.tenant)}: https://${str(t.tenant)}.accounts.ondemand.com`);
    for (const c of list(t.clients)) lines.push(`    API client:         ${str(c.clientId)} / ${str(c.clientSecret)}`);
    for (const a of list(t.admins)) lines.push(`    administrator:      ${str(a.user)} / ${str(a.password)}`);
  }
  for (const n of list(info.seed.neoSubaccounts)) {
    const landscape = typeof n.landscape === 'string' ? n.landscape : 'hana.ondemand.com';
    lines.push(`  Neo subaccount ${str(n.subaccount)}: https://api.${landscape}`);
    for (const c of list(n.clients)) lines.push(`    platform API client: ${str(c.clientId)} / ${str(c.clientSecret)}`);
  }
  return lines.join('\n');
}
