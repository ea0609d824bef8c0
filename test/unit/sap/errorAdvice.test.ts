import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError, type SapApi, type SapErrorKind } from '../../../shared/sap/errors';

const error = (api: SapApi, kind: SapErrorKind, extra: Partial<ConstructorParameters<typeof SapError>[0]> = {}) =>
  new SapError({ api, kind, system: 'sys1', operation: 'op', status: 400, sapMessage: 'm', ...extra });

describe('advice for a SAP error', () => {
  it('gives each API its own advice for a refused credential, naming the stored secret', () => {
    const s4 = adviceFor(error('S4', 'Unauthorized', { status: 401, credential: 's4-sys1-sap-com-0a48-user' }));
    const btp = adviceFor(error('Destination', 'Unauthorized', { status: 401, credential: 'btp-key' }));
    const ias = adviceFor(error('Ias', 'Unauthorized', { status: 401, credential: 'ias-client' }));
    const neo = adviceFor(error('Neo', 'Unauthorized', { status: 401, credential: 'neo-client' }));
    expect(s4).toMatch(/SAP_COM_0A48 user stored as s4-sys1-sap-com-0a48-user.*not be locked/);
    expect(btp).toMatch(/Destination service key stored as btp-key may have been rotated/);
    expect(ias).toMatch(/IAS API client stored as ias-client/);
    expect(neo).toMatch(/Neo platform API client stored as neo-client/);
    for (const other of [btp, ias, neo]) expect(other).not.toMatch(/locked/);
    expect(s4).toContain('PUT /api/credentials/s4-sys1-sap-com-0a48-user');
  });

  it('does not invent a secret name when the client was built without one', () => {
    const advice = adviceFor(error('S4', 'Unauthorized', { status: 401 }));
    expect(advice).toMatch(/Check the SAP_COM_0A48 user:/);
    expect(advice).not.toContain('/api/credentials');
  });

  it('tells how long SAP asked to wait on a Transient error, and nothing about waiting otherwise', () => {
    expect(adviceFor(error('Neo', 'Transient', { status: 429, retryAfterMs: 42_000 }))).toContain('SAP asked to wait 42 s');
    expect(adviceFor(error('Neo', 'Transient', { status: 503 }))).not.toContain('asked to wait');
  });
});
