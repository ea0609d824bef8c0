/**
 * Per S/4 tenant, when the certificate BTP signs with (the subaccount's active trust certificate)
 * differs from the one the tenant's communication systems hold, for the systems whose SAML issuer is
 * a subaccount's CN. It is the outage a certificate rotation causes (contracts A.3: one signing
 * certificate per communication system, so rotation is a cut-over), measured exactly, without
 * token exchanges.
 *
 * The core calls observe() after every SAP write and every admin seed or reset; a tenant gets an
 * event whenever its set of (system, held certificate, BTP certificate) changes, stamped with the
 * sandbox clock. A write to one S/4 tenant can change only that tenant's picture, so it is observed
 * for that tenant alone: re-reading every tenant on each of a rotation's N pushes made the
 * measurement itself O(N²) and stretched the very window it measures. Kept in memory only: a
 * restart starts a new timeline.
 */
import { createHash } from 'node:crypto';
import type { BtpSlice } from '../btp/btpState';
import { base64Body, trustCertificateCn } from '../btp/trustCertificate';
import { SIGNING_CERTIFICATE_FIELD } from '../s4/fieldModel';
import type { S4Slice } from '../s4/tenantState';

export interface TrustedSystem {
  communicationSystem: string;
  samlIssuer: string;
  subaccount: string;
  /** SHA-256 of the certificate the communication system holds; null when it holds none. */
  heldFingerprint: string | null;
  /** SHA-256 of the subaccount's active trust certificate; null when it has none. */
  btpFingerprint: string | null;
  matches: boolean;
}

export interface TimelineEvent {
  at: string;
  atMs: number;
  /** The request that changed it: `PATCH my100001-api.s4hana.ondemand.com/sap/opu/…`, `admin reset`, … */
  cause: string;
  /** True while at least one system holds another certificate than the one BTP signs with. */
  mismatched: boolean;
  systems: TrustedSystem[];
}

export interface MismatchInterval {
  start: string;
  end: string | null;
  /** Length of a closed interval; null while it is still open. */
  ms: number | null;
}

export interface TenantTimelineView {
  mismatched: boolean;
  events: TimelineEvent[];
  mismatches: MismatchInterval[];
  longestClosedMismatchMs: number | null;
}

export interface TimelineSources {
  btp(): BtpSlice | undefined;
  s4(): S4Slice | undefined;
  now(): Date;
}

const MAX_EVENTS_PER_TENANT = 1000;
const MAX_CACHED_FINGERPRINTS = 2000;

export class CertificateTimeline {
  private readonly tenants = new Map<string, { signature: string; events: TimelineEvent[] }>();
  private readonly fingerprints = new Map<string, string>();

  constructor(private readonly sources: TimelineSources) {}

  /**
   * Records an event for every tenant whose trust picture changed since the last call; with
   * `onlyTenant`, the cause touched that S/4 tenant alone and no other tenant is read.
   */
  observe(cause: string, onlyTenant?: string): void {
    const now = this.sources.now();
    const current = this.trustPicture(onlyTenant);
    const names = onlyTenant !== undefined ? [onlyTenant].filter((t) => current.has(t) || this.tenants.has(t)) : new Set([...this.tenants.keys(), ...current.keys()]);
    for (const name of names) {
      const systems = current.get(name) ?? [];
      const signature = JSON.stringify(systems);
      const known = this.tenants.get(name);
      if (known?.signature === signature) continue;
      const timeline = known ?? { signature, events: [] };
      timeline.signature = signature;
      timeline.events.push({ at: now.toISOString(), atMs: now.getTime(), cause, mismatched: systems.some((s) => !s.matches), systems });
      if (timeline.events.length > MAX_EVENTS_PER_TENANT) timeline.events.splice(0, timeline.events.length - MAX_EVENTS_PER_TENANT);
      this.tenants.set(name, timeline);
    }
  }

  /** Forgets the history; the present state becomes every tenant's first event. */
  clear(cause: string): void {
    this.tenants.clear();
    this.observe(cause);
  }

  tenantNames(): string[] {
    return [...this.tenants.keys()].sort();
  }

  view(tenant: string): TenantTimelineView | undefined {
    const timeline = this.tenants.get(tenant);
    if (!timeline) return undefined;
    const mismatches: MismatchInterval[] = [];
    let open: TimelineEvent | undefined;
    for (const event of timeline.events) {
      if (event.mismatched && !open) open = event;
      if (!event.mismatched && open) {
        mismatches.push({ start: open.at, end: event.at, ms: event.atMs - open.atMs });
        open = undefined;
      }
    }
    if (open) mismatches.push({ start: open.at, end: null, ms: null });
    const closed = mismatches.map((m) => m.ms).filter((ms): ms is number => ms !== null);
    return {
      mismatched: open !== undefined,
      events: timeline.events,
      mismatches,
      longestClosedMismatchMs: closed.length > 0 ? Math.max(...closed) : null,
    };
  }

  private fingerprint(base64Der: string): string {
    let fp = this.fingerprints.get(base64Der);
    if (!fp) {
      const hex = createHash('sha256').update(new Uint8Array(Buffer.from(base64Der, 'base64'))).digest('hex').toUpperCase();
      fp = hex.match(/../g)!.join(':');
      if (this.fingerprints.size >= MAX_CACHED_FINGERPRINTS) this.fingerprints.clear();
      this.fingerprints.set(base64Der, fp);
    }
    return fp;
  }

  /** Tenant (every one, or only `onlyTenant`) → the systems that trust a subaccount by SAML issuer, with both certificates. */
  private trustPicture(onlyTenant?: string): Map<string, TrustedSystem[]> {
    const bySamlIssuer = new Map<string, { guid: string; active: string | null }>();
    for (const sub of Object.values(this.sources.btp()?.subaccounts ?? {})) {
      bySamlIssuer.set(trustCertificateCn(sub.region, sub.guid), { guid: sub.guid, active: sub.active ? base64Body(sub.active.certificatePem) : null });
    }
    const picture = new Map<string, TrustedSystem[]>();
    const tenants = this.sources.s4()?.tenants ?? {};
    const wanted = onlyTenant === undefined ? Object.entries(tenants) : tenants[onlyTenant] ? [[onlyTenant, tenants[onlyTenant]] as const] : [];
    for (const [name, tenant] of wanted) {
      const systems: TrustedSystem[] = [];
      for (const system of Object.values(tenant.systems)) {
        const issuer = system.OAuth2IdentityProviderName;
        const subaccount = typeof issuer === 'string' ? bySamlIssuer.get(issuer) : undefined;
        if (!subaccount) continue;
        const heldRaw = system[SIGNING_CERTIFICATE_FIELD];
        const held = typeof heldRaw === 'string' && heldRaw.length > 0 ? heldRaw.replace(/\s+/g, '') : null;
        systems.push({
          communicationSystem: String(system.ID),
          samlIssuer: String(issuer),
          subaccount: subaccount.guid,
          heldFingerprint: held ? this.fingerprint(held) : null,
          btpFingerprint: subaccount.active ? this.fingerprint(subaccount.active) : null,
          matches: held !== null && held === subaccount.active,
        });
      }
      systems.sort((a, b) => a.communicationSystem.localeCompare(b.communicationSystem));
      picture.set(name, systems);
    }
    return picture;
  }
}
