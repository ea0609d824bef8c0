/**
 * Every request the IAS client sends and every response the sandbox returns for the Application
 * Directory validate against SAP's published spec (ias_SCI_Application_Directory.yaml).
 * Exchanges are captured at the axios layer the SAP http core uses.
 */
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { createIasService } from '../../sandbox/ias/iasService';
import { SapError } from '../../shared/sap/errors';
import { IAS_AUTHENTICATION, authenticationPath } from '../../shared/sap/ias/applicationSchemas';
import { createIasApplications } from '../../shared/sap/ias/applications';
import { makeTestCertificate } from '../unit/sandbox/ias.testCertificate';
import { startSandboxFixture, type SandboxFixture } from '../integration/sandbox/ias.sandboxFixture';
import { errorsOf, loadIasSpec } from './ias.specValidator';

interface Exchange {
  method: string;
  url: URL;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

const spec = loadIasSpec();
const exchanges: Exchange[] = [];
let fx: SandboxFixture;
let interceptor: number;

const ADMIN = { clientId: 'contract-admin', clientSecret: 'contract-secret-9' };
const NO_APPS = { clientId: 'contract-users', clientSecret: 'contract-users-secret-9' };

function json(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

beforeAll(async () => {
  fx = await startSandboxFixture([createIasService()], {
    iasTenants: [{ tenant: 'contract', clients: [ADMIN, { ...NO_APPS, scopes: ['manageUsers'] }], applications: Array.from({ length: 3 }, (_, i) => ({ name: `seed ${i}` })) }],
  });
  interceptor = axios.interceptors.response.use((res: AxiosResponse) => {
    const config = res.config as InternalAxiosRequestConfig;
    const url = new URL(String(config.url));
    if (url.pathname.startsWith('/Applications/v1')) {
      exchanges.push({ method: String(config.method).toUpperCase(), url, requestBody: json(config.data), status: res.status, responseBody: json(res.data) });
    }
    return res;
  });
  await runScenario();
});

afterAll(async () => {
  axios.interceptors.response.eject(interceptor);
  await fx.stop();
});

async function expectSapError(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(SapError);
}

/** Drives every client call, successful and refused, through the sandbox. */
async function runScenario(): Promise<void> {
  const ias = createIasApplications({ tenantHost: 'contract.accounts.ondemand.com', credentials: ADMIN, options: fx.options });
  const cert = makeTestCertificate('cfapps.eu10.hana.ondemand.com/11112222-3333-4444-5555-666677778888');
  const id = await ias.create({
    name: 'cfapps.eu10.hana.ondemand.com/11112222',
    description: 'contract',
    [IAS_AUTHENTICATION]: {
      ssoType: 'saml2',
      subjectNameIdentifier: 'mail',
      assertionAttributes: [{ assertionAttributeName: 'mail', userAttributeName: 'mail' }],
      saml2Configuration: {
        defaultNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        acsEndpoints: [{ bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://sp.example.com/acs', index: 0, isDefault: true }],
        certificatesForSigning: [{ base64Certificate: cert.pem, isDefault: true }],
      },
    },
  });
  await ias.get(id);
  await ias.list();
  await ias.findByName('cfapps.eu10.hana.ondemand.com/11112222');
  await ias.patch(id, [
    { op: 'replace', path: '/description', value: 'patched' },
    { op: 'add', path: authenticationPath('assertionAttributes', 0), value: { assertionAttributeName: 'login_name', userAttributeName: 'loginName' } },
    { op: 'replace', path: authenticationPath('saml2Configuration', 'signAssertions'), value: true },
    { op: 'remove', path: authenticationPath('assertionAttributes', 1) },
  ]);
  await ias.get(id);
  await expectSapError(ias.create({ name: 'x'.repeat(300) }));
  await expectSapError(ias.patch(id, [{ op: 'remove', path: '/nothing/here' }]));
  await ias.delete(id);
  await expectSapError(ias.get(id));
  await expectSapError(createIasApplications({ tenantHost: 'contract.accounts.ondemand.com', credentials: NO_APPS, options: fx.options }).list());
  // 401: a request without valid credentials, straight at the sandbox
  await axios.get('https://contract.accounts.ondemand.com/Applications/v1/', {
    httpsAgent: (await import('../../shared/sap/http')).sharedSapAgent(fx.options),
    headers: { Authorization: 'Bearer not-a-token' },
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
  });
}

describe('IAS Application Directory contract (ias_SCI_Application_Directory.yaml)', () => {
  it('covers every operation and each documented error status', () => {
    const seen = new Set(exchanges.map((e) => `${e.method} ${e.status}`));
    for (const expected of ['POST 201', 'GET 200', 'PATCH 200', 'DELETE 200', 'GET 404', 'POST 400', 'PATCH 400', 'GET 403', 'GET 401']) {
      expect(seen).toContain(expected);
    }
  });

  it('every request body the client sends validates against the spec', () => {
    // Requests answered 400 are the scenario's deliberately bad inputs (provoking IAS's 400).
    const bodies = exchanges.filter((e) => ['POST', 'PATCH', 'PUT'].includes(e.method) && e.status !== 400);
    expect(bodies.map((e) => e.method).sort()).toEqual(['PATCH', 'POST']);
    for (const e of bodies) {
      const validate = spec.schema(e.method === 'PATCH' ? 'ApplicationPatch' : 'Application');
      expect({ request: `${e.method} ${e.url.pathname}`, valid: validate(e.requestBody), errors: errorsOf(validate) }).toMatchObject({ valid: true });
    }
  });

  it('every query parameter the client sends on list validates against the spec', () => {
    const lists = exchanges.filter((e) => e.method === 'GET' && /\/Applications\/v1\/?$/.test(e.url.pathname));
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const e of lists) {
      for (const [name, raw] of e.url.searchParams) {
        const validate = spec.listParameter(name);
        const value = name === 'limit' || name === 'skip' ? Number(raw) : raw;
        expect({ parameter: name, value, valid: validate(value), errors: errorsOf(validate) }).toMatchObject({ valid: true });
      }
    }
  });

  it('every response the sandbox returns validates against the spec', () => {
    for (const e of exchanges) {
      const label = `${e.method} ${e.url.pathname} → ${e.status}`;
      if (e.status >= 400) {
        const validate = spec.schema('ErrorResponse');
        expect({ label, valid: validate(e.responseBody), errors: errorsOf(validate) }).toMatchObject({ valid: true });
      } else if (e.method === 'GET') {
        const validate = spec.schema(/\/Applications\/v1\/?$/.test(e.url.pathname) ? 'ApplicationsResponse' : 'ApplicationResponse');
        expect({ label, valid: validate(e.responseBody), errors: errorsOf(validate) }).toMatchObject({ valid: true });
      } else {
        // POST 201, PATCH / PUT / DELETE 200: the spec declares no body and IAS sends none (recorded).
        expect({ label, body: e.responseBody }).toEqual({ label, body: undefined });
      }
    }
  });

  it('the validator is strict enough to reject a wrong body', () => {
    const validate = spec.schema('Application');
    expect(validate({ name: 'x', [IAS_AUTHENTICATION]: { saml2Configuration: { digestAlgorithm: 'md5' } } })).toBe(false);
    expect(spec.schema('ApplicationPatch')({ operations: [{ op: 'move', path: '/name' }] })).toBe(false);
  });
});
