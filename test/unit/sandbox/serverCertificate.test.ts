/**
 * The sandbox's server certificates: an ECDSA P-256 key (cheap handshakes, as the certificate check
 * opens one connection per tenant), signed by the sandbox CA, for the wildcard of the host's domain; a
 * client that trusts only the CA connects (Node checks the host name against it).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { loadOrCreateCa } from '../../../sandbox/core/certificateAuthority';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'sandbox-ca-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function handshake(ca: ReturnType<typeof loadOrCreateCa>, servername: string): Promise<{ peer: tls.DetailedPeerCertificate }> {
  const server = tls.createServer({ SNICallback: (name, cb) => cb(null, ca.contextFor(name)) }, (socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: ca.caPem }, () => {
        resolve({ peer: socket.getPeerCertificate(true) });
        socket.end();
      });
      socket.on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('sandbox server certificates', () => {
  it('carry a P-256 key signed by the CA for the wildcard of the host, and a client that trusts only the CA connects', async () => {
    const ca = loadOrCreateCa(dir);
    const { peer } = await handshake(ca, 'my100003-api.s4hana.ondemand.com');
    const leaf = new X509Certificate(peer.raw);
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.subjectAltName).toBe('DNS:*.s4hana.ondemand.com');
    expect(leaf.verify(new X509Certificate(ca.caPem).publicKey)).toBe(true);
    expect(leaf.keyUsage ?? []).not.toContain('keyEncipherment');
  });
});
