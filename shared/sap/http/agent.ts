/**
 * The HTTPS agent for every SAP call. TLS is always verified against Node's default roots plus the
 * configured extra CA. With `connectTo`, the TCP connection goes to that address while SNI, the
 * certificate host check and the Host header keep the real SAP host name.
 */
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { SapConnectionOptions } from './connectionOptions';

export function parseConnectTo(connectTo: string): { host: string; port: number } {
  const i = connectTo.lastIndexOf(':');
  const host = connectTo.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(connectTo.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`connectTo must be host:port, got ${JSON.stringify(connectTo)}`);
  }
  return { host, port };
}

class ConnectToAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly target: { host: string; port: number },
  ) {
    super(options);
  }

  // Through https.Agent's own createConnection, so a new socket to a host already seen resumes its TLS
  // session (the agent caches sessions by the real host's key), as the plain agent does in production.
  createConnection(options: tls.ConnectionOptions & { host?: string }, callback?: (err: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    const realHost = options.servername || options.host || '';
    return super.createConnection({ ...options, host: this.target.host, port: this.target.port, servername: realHost }, callback);
  }
}

export function createSapAgent(options: SapConnectionOptions): https.Agent {
  const agentOptions: https.AgentOptions = {
    keepAlive: true,
    rejectUnauthorized: true,
    // One context built once: a `ca` list instead would parse every root certificate again for each
    // new connection and be serialised into the agent's socket key on every request.
    ...(options.extraCaPem ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, options.extraCaPem] }) } : {}),
  };
  if (!options.connectTo) return new https.Agent(agentOptions);
  return new ConnectToAgent(agentOptions, parseConnectTo(options.connectTo));
}

const shared = new Map<string, https.Agent>();
/**
 * The agent last found for each options object, so a call does not build the key (it holds the CA's
 * PEM) again; checked against the two settings in case the object was changed since.
 */
let byOptions = new WeakMap<SapConnectionOptions, { connectTo?: string; extraCaPem?: string; agent: https.Agent }>();

/** One agent per distinct connection setting, so keep-alive sockets are reused across clients. */
export function sharedSapAgent(options: SapConnectionOptions): https.Agent {
  const known = byOptions.get(options);
  if (known && known.connectTo === options.connectTo && known.extraCaPem === options.extraCaPem) return known.agent;
  const key = JSON.stringify([options.connectTo ?? '', options.extraCaPem ?? '']);
  let agent = shared.get(key);
  if (!agent) {
    agent = createSapAgent(options);
    shared.set(key, agent);
  }
  byOptions.set(options, { connectTo: options.connectTo, extraCaPem: options.extraCaPem, agent });
  return agent;
}

/** Closes the keep-alive sockets of the shared agents (tests, shutdown). */
export function destroySharedSapAgents(): void {
  for (const agent of shared.values()) agent.destroy();
  shared.clear();
  byOptions = new WeakMap();
}
