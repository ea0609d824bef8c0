import { tlsFloor } from '../../../bench/certificates/tlsFloor';

describe('floor of the certificate check set by one TLS handshake per tenant host', () => {
  it('is the client CPU on one worker thread when that outweighs the cores', () => {
    // 10,000 tenants × 2.4 ms = 24 s on one thread; (2.4 + 1.4) × 10,000 ÷ 2 = 19 s on the cores.
    const floor = tlsFloor({ tenants: 10_000, clientMsPerRequest: 2.4, serverMsPerRequest: 1.4, cores: 2, idealMs: 8_000 });
    expect(floor.oneThreadMs).toBeCloseTo(24_000);
    expect(floor.allCoresMs).toBeCloseTo(19_000);
    expect(floor.floorMs).toBeCloseTo(24_000);
    expect(floor.boundBy).toBe('one worker thread');
    expect(floor.ratio).toBeCloseTo(3);
  });

  it('is client and server CPU shared over the cores when the server costs more than the client', () => {
    const floor = tlsFloor({ tenants: 1_000, clientMsPerRequest: 1, serverMsPerRequest: 3, cores: 2, idealMs: 1_000 });
    expect(floor.floorMs).toBeCloseTo(2_000);
    expect(floor.boundBy).toBe('the cores');
    expect(floor.ratio).toBeCloseTo(2);
  });

  it('gives a one-core machine the sum of both, whichever is larger', () => {
    expect(tlsFloor({ tenants: 100, clientMsPerRequest: 2, serverMsPerRequest: 1, cores: 1, idealMs: 150 }).ratio).toBeCloseTo(2);
  });

  it('refuses an ideal of zero and a machine without cores rather than dividing by them', () => {
    expect(() => tlsFloor({ tenants: 1, clientMsPerRequest: 1, serverMsPerRequest: 1, cores: 2, idealMs: 0 })).toThrow(/ideal/);
    expect(() => tlsFloor({ tenants: 1, clientMsPerRequest: 1, serverMsPerRequest: 1, cores: 0, idealMs: 10 })).toThrow(/cores/);
  });
});
