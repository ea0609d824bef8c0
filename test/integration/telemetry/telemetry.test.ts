/**
 * Issue 12, "Done when": the telemetry test. The product runs on devhost with telemetry on
 * (APPLICATIONINSIGHTS_CONNECTION_STRING) and an in-process exporter beside Azure Monitor's
 * (test/support/telemetryCapture.ts); Azure Monitor's own exporter sends to a loopback ingestion
 * endpoint. One onboarding completes, one fails on a wrong SAP_COM_0A48 password. What was exported:
 * a span per SAP call with host, operation, status and duration and nothing else; the run id and the
 * step on every log line; a StepOutcome event per step; and no secret value anywhere.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { onboarding } from '../../../orchestrations/onboarding/workflow';
import { startOnboardingStack, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { startTelemetryCapture, type CapturedLog, type TelemetryCapture } from '../../support/telemetryCapture';
import { secretLeaks } from '../../support/secretForms';

jest.setTimeout(240_000);

/** Every attribute a SAP call span may carry: nothing of a body, a header or a query. */
const SAP_SPAN_ATTRIBUTES = new Set([
  // Added by Azure Monitor's standard metrics (the dependency metrics it derives from spans).
  '_MS.ProcessedByMetricExtractors',
  'server.address',
  'http.request.method',
  'http.response.status_code',
  'error.type',
  'sap.api',
  'sap.system',
  'sap.operation',
  'sapTrust.durationMs',
  'sapTrust.workflow',
  'sapTrust.runId',
  'sapTrust.step',
]);
const ACTIVITY_STEPS = onboarding.steps.filter((s) => s.kind !== 'derive').map((s) => s.id);
const eventName = (l: CapturedLog) => l.attributes['microsoft.custom_event.name'];

let capture: TelemetryCapture;
let stack: OnboardingStack;
let completed: OnboardingView;
let failed: OnboardingView;
let wrongPassword: string;
let sandboxCalls: { host: string; method: string; path: string }[];

beforeAll(async () => {
  capture = await startTelemetryCapture();
  stack = await startOnboardingStack({ landscapes: 2, ...capture.stackOptions });
  const [good, bad] = stack.landscapes;
  await stack.clearSandboxRequests();
  completed = await stack.onboard(good.request());
  sandboxCalls = await stack.sandboxRequests();

  wrongPassword = `Wrong-${randomBytes(18).toString('base64url')}`;
  const bootstrap = bad.prepared.credentials.find((c) => c.name === bad.request().s4.bootstrapUserSecret)!;
  expect((await stack.api('PUT', `/api/credentials/${bootstrap.name}`, { value: { user: bad.bootstrapUser.name, password: wrongPassword }, contentType: bootstrap.contentType })).status).toBe(204);
  failed = await stack.onboard(bad.request());
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
  await capture?.stop();
});

const sapSpans = (runId: string) => capture.spans().filter((s) => s.attributes['sap.operation'] !== undefined && s.attributes['sapTrust.runId'] === runId);

describe('exported telemetry', () => {
  it('comes from one completed and one failed onboarding', () => {
    expect(completed.status).toBe('completed');
    expect(failed.status).toBe('failed');
    expect(failed.error?.step).toBe('preflight');
  });

  it('has one client span per SAP call, with host, operation, method, status and duration', () => {
    const spans = sapSpans(completed.id);
    const spanCalls = spans.map((s) => `${s.attributes['http.request.method']} ${s.attributes['server.address']}`).sort();
    // The sandbox's own call: the Destination service posts the SAML assertion to S4's token endpoint.
    const productCalls = sandboxCalls.filter((c) => !(c.method === 'POST' && c.path.startsWith('/sap/bc/sec/oauth2/token')));
    expect(productCalls.length).toBe(sandboxCalls.length - 1);
    expect(spanCalls).toEqual(productCalls.map((c) => `${c.method} ${c.host}`).sort());
    for (const span of spans) {
      expect(span.kind).toBe(2); // SpanKind.CLIENT: an Application Insights dependency
      expect(span.attributes).toEqual(
        expect.objectContaining({ 'http.request.method': expect.any(String), 'sap.operation': expect.any(String), 'http.response.status_code': expect.any(Number), 'sapTrust.durationMs': expect.any(Number) }),
      );
      expect(span.durationMs).toBeGreaterThan(0);
    }
  });

  it('records nothing of a body or a header on a SAP call span: only the listed attributes, no events', () => {
    const spans = capture.spans().filter((s) => s.attributes['sap.operation'] !== undefined);
    const extra = [...new Set(spans.flatMap((s) => Object.keys(s.attributes)).filter((k) => !SAP_SPAN_ATTRIBUTES.has(k)))];
    expect(extra).toEqual([]);
    expect(spans.flatMap((s) => s.events)).toEqual([]);
  });

  it('marks a refused SAP call as failed, with its status and error kind', () => {
    const refused = sapSpans(failed.id).filter((s) => s.attributes['http.response.status_code'] === 401);
    expect(refused.length).toBeGreaterThan(0);
    for (const span of refused) {
      expect(span.status.code).toBe(2); // SpanStatusCode.ERROR
      expect(span.attributes['error.type']).toBe('Unauthorized');
    }
  });

  it('puts the run id and the step on every log line and every SAP call span', () => {
    const logs = capture.logs();
    expect(logs.length).toBeGreaterThan(0);
    const runIds = new Set([completed.id, failed.id]);
    for (const item of [...logs, ...capture.spans().filter((s) => s.attributes['sap.operation'] !== undefined)]) {
      expect(runIds.has(String(item.attributes['sapTrust.runId']))).toBe(true);
      expect(ACTIVITY_STEPS).toContain(item.attributes['sapTrust.step']);
    }
    const stepLines = logs.filter((l) => eventName(l) === undefined && l.attributes['sapTrust.runId'] === completed.id);
    expect(new Set(stepLines.map((l) => l.attributes['sapTrust.step']))).toEqual(new Set(ACTIVITY_STEPS));
  });

  it('emits a StepOutcome event per step with the outcome the run view shows, and the failure kind of a failed step', () => {
    const outcomes = (runId: string) =>
      Object.fromEntries(capture.logs().filter((l) => eventName(l) === 'StepOutcome' && l.attributes['sapTrust.runId'] === runId).map((l) => [l.attributes['sapTrust.step'], l.attributes.outcome]));
    const shown = Object.fromEntries(completed.steps.filter((s) => ACTIVITY_STEPS.includes(s.id)).map((s) => [s.id, s.outcome]));
    expect(outcomes(completed.id)).toEqual(shown);
    const failure = capture.logs().find((l) => eventName(l) === 'StepOutcome' && l.attributes['sapTrust.runId'] === failed.id && l.attributes.outcome === 'failed');
    expect(failure?.attributes).toEqual(expect.objectContaining({ 'sapTrust.step': 'preflight', failureKind: expect.any(String), transient: false }));
  });

  it('reaches Application Insights through the Azure Monitor exporter (loopback ingestion endpoint)', async () => {
    const deadline = Date.now() + 30_000;
    const arrived = () => capture.ingested().join('\n');
    while (!(arrived().includes('EventData') && arrived().includes('RemoteDependencyData')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const text = arrived();
    // customEvents (EventData) for the step outcomes, dependencies (RemoteDependencyData) for the SAP calls.
    expect(text).toContain('EventData');
    expect(text).toContain('StepOutcome');
    expect(text).toContain('RemoteDependencyData');
    expect(text).toContain(completed.id);
  });

  it('holds no secret value: service key secrets, passwords handed over, the wrong one, the generated ones', () => {
    const secretDir = path.join(stack.dataDir, 'secrets');
    const stored = readdirSync(secretDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(secretDir, f), 'utf8')) as { name: string; value: string });
    const secrets = [
      ...stack.landscapes.flatMap((l) => [
        { label: `${l.tenant} service key clientsecret`, value: l.serviceKey.clientsecret },
        { label: `${l.tenant} bootstrap password`, value: l.bootstrapUser.password },
      ]),
      { label: 'wrong bootstrap password', value: wrongPassword },
      ...stored.filter((s) => !s.value.trim().startsWith('{')).map((s) => ({ label: `stored secret ${s.name}`, value: s.value })),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const sources = [{ label: 'in-process exporter', text: capture.rawText() }, ...capture.ingested().map((text, i) => ({ label: `ingestion request ${i + 1}`, text }))];
    expect(sources[0].text).toContain(completed.id);
    expect(secretLeaks(secrets, sources)).toEqual([]);
    expect(sources.filter((s) => /Bearer\s|authorization|x-csrf-token|eyJ[A-Za-z0-9_-]{8,}\.eyJ/i.test(s.text)).map((s) => s.label)).toEqual([]);
  });
});
