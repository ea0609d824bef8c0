/**
 * The floor the certificate check's wall time cannot go below as long as every tenant is its own TLS
 * host (`my800123-api.s4hana.ondemand.com`): one new handshake per tenant, whatever the product does
 * around it. Measured bare: Node's https client (in this process) sends one GET to each of N distinct
 * SNI hosts, 16 in flight, to a bare https server in a child process that answers with the sandbox's
 * own CA and server key (certificateAuthority.ts), and the client trusts it the way the product does
 * (createSapAgent: Node's roots plus the CA, certificate and host name verified). No axios, no SAP
 * client, no Durable host: what is left is the handshake and one HTTP exchange.
 *
 * The check runs on one worker thread (devhost, like one Functions worker), so its wall is at least
 * tenants × the client's CPU per request; and client and server share the machine's cores, so it is
 * at least tenants × (client + server CPU) ÷ cores. The larger of the two ÷ the bench's ideal is the
 * floor of the ratio wall ÷ (SAP calls × latency ÷ concurrency).
 */
import { fork } from 'node:child_process';
import https from 'node:https';
import { createSapAgent } from '../../shared/sap/http/agent';
import { loadOrCreateCa } from '../../sandbox/core/certificateAuthority';

const SERVER_FLAG = '--bench-tls-floor-server';
const BODY = JSON.stringify({ value: [{ UUID: '00000000-0000-0000-0000-000000000001', ID: 'BTP_TRUST' }] });

export interface TlsFloorMeasurement {
  requests: number;
  inFlight: number;
  wallMs: number;
  clientMsPerRequest: number;
  serverMsPerRequest: number;
}

export interface TlsFloor {
  /** ms the check cannot beat: the larger of the one-thread bound and the all-cores bound. */
  floorMs: number;
  /** floorMs ÷ the bench's ideal (SAP calls × latency ÷ concurrency). */
  ratio: number;
  boundBy: 'one worker thread' | 'the cores';
  oneThreadMs: number;
  allCoresMs: number;
}

/** max(tenants × client, tenants × (client + server) ÷ cores) ÷ ideal. */
export function tlsFloor(input: { tenants: number; clientMsPerRequest: number; serverMsPerRequest: number; cores: number; idealMs: number }): TlsFloor {
  const { tenants, clientMsPerRequest, serverMsPerRequest, cores, idealMs } = input;
  if (!(cores >= 1) || !(idealMs > 0)) throw new Error(`tlsFloor needs cores ≥ 1 and an ideal above 0 ms, got ${cores} cores and ${idealMs} ms`);
  const oneThreadMs = tenants * clientMsPerRequest;
  const allCoresMs = (tenants * (clientMsPerRequest + serverMsPerRequest)) / cores;
  const floorMs = Math.max(oneThreadMs, allCoresMs);
  return { floorMs, ratio: floorMs / idealMs, boundBy: oneThreadMs >= allCoresMs ? 'one worker thread' : 'the cores', oneThreadMs, allCoresMs };
}

/**
 * N GETs to N distinct hosts, `inFlight` at once, after a warm-up on other hosts. `sandboxDir` is the
 * sandbox's own directory (<dataDir>/sandbox): the server loads its CA from there.
 */
export async function measureTlsFloor(options: { sandboxDir: string; requests: number; inFlight: number; warmUp?: number }): Promise<TlsFloorMeasurement> {
  const { sandboxDir, requests, inFlight } = options;
  const server = fork(__filename, [SERVER_FLAG, sandboxDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const nextMessage = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`TLS floor server exited (${code}) before answering`));
      server.once('exit', onExit);
      server.once('message', (m) => {
        server.off('exit', onExit);
        resolve(m as T);
      });
    });
  const serverCpu = async () => {
    const answer = nextMessage<{ cpu: NodeJS.CpuUsage }>();
    server.send('cpu');
    const { cpu } = await answer;
    return cpu.user + cpu.system;
  };
  let agent: https.Agent | undefined;
  try {
    const { port, caPem } = await nextMessage<{ port: number; caPem: string }>();
    agent = createSapAgent({ connectTo: `127.0.0.1:${port}`, extraCaPem: caPem });
    const get = (host: string) =>
      new Promise<void>((resolve, reject) => {
        https
          .get(`https://${host}/sap/opu/odata4/floor`, { agent, headers: { accept: 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`TLS floor server answered ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    const hosts = (from: number, count: number) => Array.from({ length: count }, (_, i) => `my${from + i}-api.s4hana.ondemand.com`);
    const inLanes = async (list: string[]) => {
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(inFlight, list.length) }, async () => {
        while (next < list.length) await get(list[next++]);
      }));
    };
    await inLanes(hosts(900_000, options.warmUp ?? 50));

    const serverBefore = await serverCpu();
    const clientBefore = process.cpuUsage();
    const started = Date.now();
    await inLanes(hosts(100_000, requests));
    const wallMs = Date.now() - started;
    const client = process.cpuUsage(clientBefore);
    const serverUs = (await serverCpu()) - serverBefore;
    return { requests, inFlight, wallMs, clientMsPerRequest: (client.user + client.system) / 1000 / requests, serverMsPerRequest: serverUs / 1000 / requests };
  } finally {
    agent?.destroy();
    server.kill();
  }
}

/** The child: a bare https server with the sandbox's CA, a certificate per SNI name as the sandbox issues them. */
function serve(sandboxDir: string): void {
  const ca = loadOrCreateCa(sandboxDir);
  const server = https.createServer({ SNICallback: (name, cb) => cb(null, ca.contextFor(name)) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ port: typeof address === 'object' && address ? address.port : 0, caPem: ca.caPem });
  });
  process.on('message', (m) => {
    if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module && process.argv[2] === SERVER_FLAG) serve(process.argv[3]);
