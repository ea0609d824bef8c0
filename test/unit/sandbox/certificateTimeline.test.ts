/** The certificate timeline over hand-made BTP and S/4 slices and a hand-moved clock. */
import type { BtpSlice, Subaccount } from '../../../sandbox/btp/btpState';
import { SIGNING_CERTIFICATE_FIELD } from '../../../sandbox/s4/fieldModel';
import type { S4Slice } from '../../../sandbox/s4/tenantState';
import { emptyTenant } from '../../../sandbox/s4/tenantState';
import { CertificateTimeline } from '../../../sandbox/timeline/certificateTimeline';

const GUID = '11111111-2222-3333-4444-555555555555';
const CN = `cfapps.eu10.hana.ondemand.com/${GUID}`;
// Stand-ins for base64 DER: the timeline compares and hashes them, it does not parse them.
const OLD = Buffer.from('old certificate').toString('base64');
const NEW = Buffer.from('new certificate').toString('base64');
const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;

function landscape() {
  const sub = { guid: GUID, region: 'eu10', subdomain: 's', serviceKey: {} as never, destinations: {}, active: { privateKeyPem: '', certificatePem: pem(OLD) } } as Subaccount;
  const btp: BtpSlice = { subaccounts: { [GUID]: sub }, tokens: {} };
  const s4: S4Slice = { tenants: { my100001: emptyTenant('my100001', 'SBX'), my100002: emptyTenant('my100002', 'SBX') } };
  const system = (id: string, issuer: string, cert: string | null) => ({ UUID: id, ID: id, OAuth2IdentityProviderName: issuer, [SIGNING_CERTIFICATE_FIELD]: cert, '@etag': 'x' });
  s4.tenants.my100001.systems.A = system('BTP_A', CN, OLD);
  s4.tenants.my100002.systems.X = system('OTHER', 'someone-else.example.com', NEW);
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  const timeline = new CertificateTimeline({ btp: () => btp, s4: () => s4, now: () => new Date(now) });
  return { sub, s4, timeline, tick: (ms: number) => (now += ms) };
}

describe('certificate timeline', () => {
  it('records one event per change of either side and reports the mismatch intervals with their exact length', () => {
    const { sub, s4, timeline, tick } = landscape();
    timeline.observe('start');
    expect(timeline.view('my100001')).toMatchObject({ mismatched: false, mismatches: [], longestClosedMismatchMs: null });

    tick(1000);
    timeline.observe('GET-like call that changes nothing');
    expect(timeline.view('my100001')!.events).toHaveLength(1);

    sub.active = { privateKeyPem: '', certificatePem: pem(NEW) }; // BTP rotates
    timeline.observe('POST rotateCertificate');
    tick(250);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = NEW; // the push reaches S/4
    timeline.observe('PATCH CommunicationSystems');
    tick(5000);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = OLD; // someone puts the old one back
    timeline.observe('PATCH CommunicationSystems again');
    tick(40);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = NEW;
    timeline.observe('and fixes it');

    const view = timeline.view('my100001')!;
    expect(view.events.map((e) => [e.cause, e.mismatched])).toEqual([
      ['start', false],
      ['POST rotateCertificate', true],
      ['PATCH CommunicationSystems', false],
      ['PATCH CommunicationSystems again', true],
      ['and fixes it', false],
    ]);
    expect(view.mismatches).toEqual([
      { start: '2026-12-01T10:00:01.000Z', end: '2026-12-01T10:00:01.250Z', ms: 250 },
      { start: '2026-12-01T10:00:06.250Z', end: '2026-12-01T10:00:06.290Z', ms: 40 },
    ]);
    expect(view.longestClosedMismatchMs).toBe(250);
    expect(view.events[1].systems).toEqual([
      { communicationSystem: 'BTP_A', samlIssuer: CN, subaccount: GUID, heldFingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/), btpFingerprint: expect.any(String), matches: false },
    ]);
    expect(view.events[1].systems[0].heldFingerprint).not.toBe(view.events[1].systems[0].btpFingerprint);
  });

  it('keeps an interval open (end null) while the mismatch lasts, and counts a system without certificate as a mismatch', () => {
    const { s4, timeline, tick } = landscape();
    timeline.observe('start');
    tick(10);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = null;
    timeline.observe('certificate removed');
    expect(timeline.view('my100001')).toMatchObject({ mismatched: true, mismatches: [{ start: '2026-12-01T10:00:00.010Z', end: null, ms: null }], longestClosedMismatchMs: null });
  });

  it('ignores systems whose SAML issuer is no subaccount CN, and ends the relation when the system is deleted', () => {
    const { s4, timeline, tick } = landscape();
    timeline.observe('start');
    expect(timeline.view('my100002')!.events[0]).toMatchObject({ mismatched: false, systems: [] });
    tick(10);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = NEW;
    timeline.observe('wrong certificate');
    tick(30);
    delete s4.tenants.my100001.systems.A;
    timeline.observe('DELETE CommunicationSystems');
    const view = timeline.view('my100001')!;
    expect(view.events.at(-1)).toMatchObject({ cause: 'DELETE CommunicationSystems', mismatched: false, systems: [] });
    expect(view.mismatches).toEqual([{ start: '2026-12-01T10:00:00.010Z', end: '2026-12-01T10:00:00.040Z', ms: 30 }]);
  });

  it('observes a write to one S/4 tenant for that tenant alone, with the event a full observation would record', () => {
    const { s4, timeline, tick } = landscape();
    s4.tenants.my100002.systems.X.OAuth2IdentityProviderName = CN; // my100002 trusts the subaccount too, with the new certificate
    timeline.observe('start');
    tick(20);
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = NEW;
    s4.tenants.my100002.systems.X[SIGNING_CERTIFICATE_FIELD] = OLD; // changed behind the timeline's back: not this cause
    timeline.observe('PATCH my100001', 'my100001');
    expect(timeline.view('my100001')!.events.map((e) => [e.cause, e.mismatched, e.at])).toEqual([
      ['start', false, '2026-12-01T10:00:00.000Z'],
      ['PATCH my100001', true, '2026-12-01T10:00:00.020Z'],
    ]);
    expect(timeline.view('my100002')!.events.map((e) => e.cause)).toEqual(['start']);
    timeline.observe('PATCH my404', 'my404');
    expect(timeline.tenantNames()).toEqual(['my100001', 'my100002']);
    tick(5);
    timeline.observe('POST rotateCertificate');
    expect(timeline.view('my100002')!.events.map((e) => [e.cause, e.mismatched])).toEqual([
      ['start', true],
      ['POST rotateCertificate', false],
    ]);
  });

  it('clear() forgets the history and starts again from the present state', () => {
    const { s4, timeline, tick } = landscape();
    timeline.observe('start');
    s4.tenants.my100001.systems.A[SIGNING_CERTIFICATE_FIELD] = NEW;
    timeline.observe('mismatch');
    tick(10);
    timeline.clear('cleared');
    expect(timeline.view('my100001')!.events).toEqual([expect.objectContaining({ cause: 'cleared', mismatched: true })]);
    expect(timeline.view('my100001')!.mismatches).toEqual([{ start: '2026-12-01T10:00:00.010Z', end: null, ms: null }]);
    expect(timeline.view('my404')).toBeUndefined();
  });
});
