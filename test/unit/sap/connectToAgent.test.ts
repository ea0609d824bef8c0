/**
 * The agent that sends SAP calls to another address (SAP_CONNECT_TO: the sandbox, a proxy) keeps the
 * real host name for SNI and the certificate check, and resumes a host's TLS session on a new socket
 * as the plain agent does in production; a session is never offered to another host.
 */
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { createSapAgent } from '../../../shared/sap/http';
import { startTlsTestServer, type TlsTestServer } from './support/tlsTestServer';

const TENANT = 'my100001-api.s4hana.ondemand.com';
const OTHER_TENANT = 'my100002-api.s4hana.ondemand.com';

let server: TlsTestServer;
beforeAll(async () => {
  server = await startTlsTestServer([TENANT, OTHER_TENANT]);
});
afterAll(() => server.close());

/** One GET on a socket of its own (`Connection: close`), and whether that socket resumed a session. */
function getOnNewSocket(agent: https.Agent, host: string): Promise<{ status: number; resumed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host, path: '/sap/opu/odata4/x', agent, headers: { connection: 'close' } }, (res) => {
      const resumed = (res.socket as TLSSocket).isSessionReused();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, resumed }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('resumes the TLS session of a host it has met, on a new socket, with the real host as SNI', async () => {
  server.reset();
  const agent = createSapAgent({ connectTo: server.connectTo, extraCaPem: server.ca.certPem });
  try {
    const first = await getOnNewSocket(agent, TENANT);
    const second = await getOnNewSocket(agent, TENANT);
    expect(first).toEqual({ status: 200, resumed: false });
    expect(second).toEqual({ status: 200, resumed: true });
    expect(server.connections).toBe(2);
    expect(server.requests.map((r) => [r.servername, r.host])).toEqual([
      [TENANT, TENANT],
      [TENANT, TENANT],
    ]);
  } finally {
    agent.destroy();
  }
});

it('does not offer one host\'s session to another', async () => {
  const agent = createSapAgent({ connectTo: server.connectTo, extraCaPem: server.ca.certPem });
  try {
    await getOnNewSocket(agent, TENANT);
    expect(await getOnNewSocket(agent, OTHER_TENANT)).toEqual({ status: 200, resumed: false });
  } finally {
    agent.destroy();
  }
});
