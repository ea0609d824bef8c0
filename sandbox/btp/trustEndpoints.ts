/**
 * `/v1/saml2Metadata*`: the subaccount trust certificate, its passive twin, rotation and metadata
 * (contracts A.3). 404 texts: the recorded real one where SAP was recorded (no passive key pair),
 * else the spec's (no key pair; rotate without a passive one).
 */
import type { SandboxRequest, SandboxResponse } from '../core/service';
import type { Subaccount } from './btpState';
import { destinationError, destinationTextError, json } from './destinationResponses';
import { generateTrustKeyPairAsync, saml2MetadataXml } from './trustCertificate';

const noKeyPair = (sub: Subaccount) => destinationError(404, `Keypair for subaccount - ${sub.guid} does not exist`);
const noPassiveKeyPair = () => destinationError(404, 'There is no such key pair for this account');
const noPassiveToRotate = (sub: Subaccount) => destinationError(404, `Passive Keypair for subaccount - ${sub.guid} does not exist`);
const methodNotAllowed = (allow: string) => destinationError(405, 'Method Not Allowed', { allow });

/** POST bodies here must be empty; whitespace-only counts as empty. */
function bodyNotEmpty(req: SandboxRequest): SandboxResponse | undefined {
  return req.body.toString('utf8').trim() === '' ? undefined : destinationError(400, 'Request body should be empty!');
}

export async function handleTrust(s: Subaccount, req: SandboxRequest, now: Date, changed: () => void): Promise<SandboxResponse | undefined> {
  switch (req.path.replace(/^\/destination-configuration\/v1\/saml2Metadata/, '').replace(/\/$/, '')) {
    case '':
      if (req.method !== 'GET') return methodNotAllowed('GET');
      if (!s.active) return destinationTextError(404, 'Not Found');
      return json(200, { idpMetadata: Buffer.from(saml2MetadataXml(s), 'utf8').toString('base64') });
    case '/certificate':
      if (req.method === 'GET') return s.active ? json(200, { certificate: s.active.certificatePem }) : noKeyPair(s);
      if (req.method === 'POST') {
        const bad = bodyNotEmpty(req);
        if (bad) return bad;
        // Generates when absent, renews when present: every trust built on the old key breaks.
        s.active = await generateTrustKeyPairAsync(s, now);
        changed();
        return json(200, { certificate: s.active.certificatePem });
      }
      return methodNotAllowed('GET, POST');
    case '/certificate/passive':
      if (req.method === 'GET') return s.passive ? json(200, { certificate: s.passive.certificatePem }) : noPassiveKeyPair();
      if (req.method === 'POST') {
        const bad = bodyNotEmpty(req);
        if (bad) return bad;
        if (!s.active) return noKeyPair(s);
        s.passive = await generateTrustKeyPairAsync(s, now);
        changed();
        return json(200, { certificate: s.passive.certificatePem });
      }
      if (req.method === 'DELETE') {
        if (!s.passive) return destinationTextError(404, 'Not Found');
        delete s.passive;
        changed();
        return json(200, { Count: 1 });
      }
      return methodNotAllowed('GET, POST, DELETE');
    case '/rotateCertificate': {
      if (req.method !== 'POST') return methodNotAllowed('POST');
      const bad = bodyNotEmpty(req);
      if (bad) return bad;
      if (!s.active) return noKeyPair(s);
      if (!s.passive) return noPassiveToRotate(s);
      const previous = s.active;
      s.active = s.passive;
      s.passive = previous;
      changed();
      return json(200, { activeCertificate: s.active.certificatePem, passiveCertificate: s.passive.certificatePem });
    }
    default:
      return undefined;
  }
}
