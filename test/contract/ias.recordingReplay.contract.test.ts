/**
 * The recorded real IAS exchanges (go-vcr, test/contract/specs/ias_fixture_*.yaml) replayed in order
 * against the sandbox: same statuses, same response shapes (keys and JSON types, not values).
 * Substituted on the way: the recorded host → a sandbox tenant host; the ids IAS assigned → the
 * ids the sandbox assigns (learned from Location); `REDACTED` Authorization → a sandbox token;
 * `redacted` certificates → a real test certificate (IAS reads certificates, so it needs one).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createIasService } from '../../sandbox/ias/iasService';
import { createSapHttp, type SapHttp } from '../../shared/sap/http';
import { createIasTokenProvider } from '../../shared/sap/ias/iasToken';
import { makeTestCertificate } from '../unit/sandbox/ias.testCertificate';
import { startSandboxFixture, type SandboxFixture } from '../integration/sandbox/ias.sandboxFixture';
import { SPEC_DIR } from './ias.specValidator';

interface Interaction {
  request: { method: string; url: string; body: string; host: string };
  response: { code: number; body: string; headers: Record<string, string[]> };
}

const RECORDINGS = ['ias_fixture_resource_application.yaml', 'ias_fixture_resource_application_saml2.yaml', 'ias_fixture_resource_application_saml2_updated.yaml'];
const SANDBOX_HOST = 'replay.accounts.ondemand.com';
const CLIENT = { clientId: 'replay-client', clientSecret: 'replay-secret-5' };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

let fx: SandboxFixture;
let http: SapHttp;
let token: () => Promise<string>;
const certificatePem = JSON.stringify(makeTestCertificate('replay.example.test').pem).slice(1, -1);

beforeAll(async () => {
  fx = await startSandboxFixture([createIasService()], { iasTenants: [{ tenant: 'replay', clients: [CLIENT] }] });
  const connection = { tenantHost: SANDBOX_HOST, credentials: CLIENT, options: fx.options };
  http = createSapHttp({ system: SANDBOX_HOST, options: fx.options, api: 'Ias' });
  const tokens = createIasTokenProvider(connection);
  token = () => tokens.token();
});

afterAll(async () => {
  await fx.stop();
});

/** Keys and JSON types, recursively; arrays element by element. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  }
  return value === null ? 'null' : typeof value;
}

function header(headers: Record<string, string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key][0] : undefined;
}

describe.each(RECORDINGS)('recorded IAS exchanges %s replay against the sandbox', (file) => {
  const recording = YAML.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as { interactions: Interaction[] };
  const ids = new Map<string, string>();
  const substitute = (text: string) =>
    text
      .split(recording.interactions[0].request.host)
      .join(SANDBOX_HOST)
      .replace(UUID, (id) => ids.get(id) ?? id)
      .split('-----BEGIN CERTIFICATE-----\\nredacted\\n-----END CERTIFICATE-----')
      .join(certificatePem);

  it.each(recording.interactions.map((interaction, index) => [index, interaction.request.method, interaction] as const))(
    'interaction %i (%s) answers with the recorded status and shape',
    async (_index, method, interaction) => {
      const url = substitute(interaction.request.url);
      const body = interaction.request.body ? substitute(interaction.request.body) : undefined;
      const res = await http.request({
        operation: `replay ${file}`,
        method: method as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
        url,
        headers: { Authorization: `Bearer ${await token()}`, Accept: '*/*', DataServiceVersion: '2.0', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body,
        acceptStatus: [400, 401, 403, 404, 500],
        safeToRetry: false,
      });
      expect(res.status).toBe(interaction.response.code);

      const recordedLocation = header(interaction.response.headers, 'location');
      if (recordedLocation) {
        const location = String(res.headers.location ?? '');
        expect(location).toMatch(/^\/Applications\/v1\/[0-9a-f-]{36}$/);
        ids.set(recordedLocation.split('/').pop()!, location.split('/').pop()!);
      }
      if (interaction.response.body === '') {
        expect(res.data === undefined || res.data === '').toBe(true);
      } else {
        expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
        expect(shape(res.data)).toEqual(shape(JSON.parse(interaction.response.body)));
      }
    },
  );
});
