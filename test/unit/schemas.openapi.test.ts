import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument, OnboardingRequest, OnboardingView } from '../../shared/schemas';
import { onboarding } from '../../orchestrations/onboarding/workflow';
import { certificateReportRow } from '../../orchestrations/certificateCheck/report';

const ONBOARDING_STEPS = onboarding.steps;

const doc = buildOpenApiDocument([onboarding], { serverUrl: 'https://example.azurewebsites.net' }) as any;

function validatorFor(component: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://onboarding.test/openapi.json', components: doc.components });
  const validate = ajv.getSchema(`https://onboarding.test/openapi.json#/components/schemas/${component}`);
  if (!validate) throw new Error(`no component ${component}`);
  return validate;
}

const sample = {
  btp: { region: 'eu10', subaccountId: '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d', destinationServiceKeySecret: 'btp-key' },
  s4: { host: 'my100001-api.s4hana.ondemand.com', bootstrapUserSecret: 's4-bootstrap' },
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with every route of the HTTP API', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/certificates',
        '/api/credentials/{name}',
        '/api/health',
        '/api/onboardings',
        '/api/onboardings/plans',
        '/api/onboardings/{id}',
        '/api/onboardings/{id}/attachments/{name}',
        '/api/onboardings/{id}/manual-steps/{step}',
        '/api/openapi.json',
      ].sort(),
    );
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.security).toEqual(expect.arrayContaining([{ functionKey: [] }]));
  });

  it('documents what the HTTP edge answers: 503 everywhere, 413 and 415 with a body, 400 for a malformed path parameter', () => {
    for (const [path, operations] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const codes = Object.keys(operation.responses);
        expect({ route: `${method} ${path}`, has503: codes.includes('503') }).toEqual({ route: `${method} ${path}`, has503: true });
        if (operation.requestBody) expect(codes).toEqual(expect.arrayContaining(['400', '413', '415']));
        if (path.includes('{')) expect(codes).toContain('400');
      }
    }
    expect(doc.paths['/api/onboardings/{id}'].get.parameters[0].schema.pattern).toBe('^[a-z0-9][a-z0-9._-]{0,127}$');
  });

  it('every $ref points at a component that exists', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref);
  });

  it('the request schema agrees with zod: accepts what zod accepts, rejects unknown fields', () => {
    const validate = validatorFor('OnboardingsRequest');
    expect(OnboardingRequest.safeParse(sample).success).toBe(true);
    expect(validate(sample)).toBe(true);
    const typo = { ...sample, s4: { ...sample.s4, scenarioID: 'SAP_COM_0501' } };
    expect(OnboardingRequest.safeParse(typo).success).toBe(false);
    expect(validate(typo)).toBe(false);
    const badScenario = { ...sample, s4: { ...sample.s4, scenarioId: 'SAP_COM_1' } };
    expect(validate(badScenario)).toBe(false);
  });

  it('documents the request as sent: defaults are not required', () => {
    const s4 = doc.components.schemas.OnboardingsRequest.properties.s4;
    expect(s4.required.sort()).toEqual(['bootstrapUserSecret', 'host']);
    expect(s4.properties.scenarioId.default).toBe('SAP_COM_0501');
  });

  it('the OnboardingView schema validates a view the zod schema accepts, and knows every step id', () => {
    const view = {
      id: 'onboard-my100001-7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d-r1',
      kind: 'onboardings',
      mode: 'run',
      status: 'running',
      tenant: 'my100001',
      subaccountId: '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:01Z',
      steps: ONBOARDING_STEPS.map((s) => ({ id: s.id, title: s.title })),
    };
    expect(OnboardingView.safeParse(view).success).toBe(true);
    expect(validatorFor('OnboardingsView')(view)).toBe(true);
    expect(validatorFor('OnboardingsView')({ ...view, status: 'exploded' })).toBe(false);
    expect(validatorFor('OnboardingsView')({ ...view, steps: [{ id: 'preflight', title: 'x', outcome: 'exploded' }] })).toBe(false);
    const stepParam = doc.paths['/api/onboardings/{id}/manual-steps/{step}'].post.parameters.find((p: any) => p.name === 'step');
    expect(stepParam.schema.enum).toEqual(ONBOARDING_STEPS.map((s) => s.id));
  });

  it('lists GET /api/certificates, whose 200 schema accepts the report the route builds and rejects one without its tenants', () => {
    const get = doc.paths['/api/certificates'].get;
    expect(get.operationId).toBe('getCertificateReport');
    expect(get.responses[200].content['application/json'].schema.$ref).toBe('#/components/schemas/CertificateReport');
    expect(get.responses[503]).toBeDefined();
    const record = {
      tenantHost: 'my100001-api.s4hana.ondemand.com',
      subaccountId: sample.btp.subaccountId,
      region: 'eu10',
      communicationSystemId: 'BTP_TRUST',
      scenarioId: 'SAP_COM_0501',
      arrangementName: 'SAP_COM_0501_BTP',
      destinationName: 'S4_MY100001',
      trustCertificate: { fingerprintSha256: 'AB:CD', commonName: 'cfapps.eu10.hana.ondemand.com/x', notAfter: '2027-12-01T00:00:00.000Z' },
      onboardedAt: '2026-12-01T00:00:00.000Z',
      lastVerifiedAt: '2026-12-01T00:00:00.000Z',
      lastCheck: { at: '2026-12-02T02:00:00.000Z', status: 'ok' as const, detail: 'trusts the active certificate' },
    };
    const report = { generatedAt: '2026-12-02T02:00:00.000Z', tenants: [certificateReportRow(record, new Date('2026-12-02T02:00:00Z'))], skipped: [{ where: "table TenantRegistry, PartitionKey 'x', RowKey 'y'", problem: 'subaccountId is missing' }] };
    expect(validatorFor('CertificateReport')(report)).toBe(true);
    expect(validatorFor('CertificateReport')({ generatedAt: report.generatedAt, skipped: [] })).toBe(false);
    expect(validatorFor('CertificateReport')({ ...report, tenants: [{ ...report.tenants[0], status: 'fine' }] })).toBe(false);
  });

  it('the credential value is write-only and no response schema can carry it', () => {
    expect(doc.components.schemas.CredentialPut.properties.value.writeOnly).toBe(true);
    expect(JSON.stringify(doc.components.schemas.CredentialMetadata)).not.toContain('"value"');
  });
});

describe('polling', () => {
  it('documents 202 with Retry-After while a run has not ended, and 200 once it has', () => {
    const get = doc.paths['/api/onboardings/{id}'].get;
    expect(get.responses[202].headers['Retry-After']).toBeDefined();
    expect(get.responses[200].description).toMatch(/Ended/);
  });
});
