/**
 * One TCP port on 127.0.0.1 for both protocols: the first byte of a connection decides. 0x16 is a
 * TLS handshake record → HTTPS for the simulated SAP hosts (certificate chosen by SNI); anything
 * else → plain HTTP, which serves only the admin API under /__sandbox/.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { CertificateAuthority } from './certificateAuthority';
import { send } from './httpExchange';

const TLS_HANDSHAKE = 0x16;

export interface SandboxListener {
  port: number;
  close(): Promise<void>;
}

export interface ServerHandlers {
  ca: CertificateAuthority;
  admin(req: IncomingMessage, res: ServerResponse): void;
  sap(req: IncomingMessage, res: ServerResponse): void;
}

const MALFORMED = '{"error":"malformed request"}';
const BAD_REQUEST = `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${MALFORMED.length}\r\n\r\n${MALFORMED}`;

export async function listen(handlers: ServerHandlers, port: number): Promise<SandboxListener> {
  const sockets = new Set<net.Socket>();

  const plain = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/__sandbox')) return handlers.admin(req, res);
    send(res, { status: 404, body: { error: 'plain HTTP serves only /__sandbox/*; the simulated SAP hosts answer over HTTPS on this port' } });
  });
  const secure = https.createServer(
    {
      SNICallback: (servername, cb) => {
        try {
          cb(null, handlers.ca.contextFor(servername));
        } catch (err) {
          cb(err as Error);
        }
      },
    },
    (req, res) => handlers.sap(req, res),
  );
  for (const server of [plain, secure]) {
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end(BAD_REQUEST);
      else socket.destroy();
    });
  }
  secure.on('tlsClientError', (_err, socket) => socket.destroy());

  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address() as net.AddressInfo;

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        plain.close();
        secure.close();
      }),
  };
}
