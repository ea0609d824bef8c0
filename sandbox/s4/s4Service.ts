/**
 * The simulated S/4HANA Cloud tenants: hosts `<tenant>-api.s4hana.ondemand.com` and
 * `<tenant>-api.s4hana.cloud.sap`. Serves the three SAP_COM_0A48 OData V4 services, the OAuth token
 * endpoint, and one sandbox-only route that plays the administrator uploading a signing certificate
 * in Fiori (see manualUpload.ts).
 */
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../core/service';
import { verifyAssertion } from '../saml';
import { handleCommunicationArrangements } from './communicationArrangements';
import { handleCommunicationSystems } from './communicationSystems';
import { handleCommunicationUsers } from './communicationUsers';
import type { S4Call } from './entityOps';
import { SERVICES, SIGNING_CERTIFICATE_FIELD, type ServiceModel } from './fieldModel';
import { communicationManagementUser, csrfRequired, fetchCsrfToken, hasValidCsrfToken, logonFailed } from './logon';
import { handleManualUpload, SANDBOX_TENANT_PREFIX } from './manualUpload';
import { metadataDocument } from './metadata';
import { jsonResponse, odataError } from './odataResponse';
import { parseResourcePath } from './resourcePath';
import { seedOnboardedSystem } from './seededSystem';
import { describeSlice, S4Seed, seedTenant, SwitchesInput, type S4Slice, type S4Tenant } from './tenantState';
import { handleTokenRequest, TOKEN_PATH, type SignatureCheck } from './tokenEndpoint';

const HOST = /^([a-z0-9]+)-api\.s4hana\.(?:ondemand\.com|cloud\.sap)$/;
const SERVICE_PATH = /^\/sap\/opu\/odata4\/sap\/([a-z0-9_]+)\/srvd_a2x\/sap\/([a-z0-9_]+)\/0001(?:\/(.*))?$/;
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE', 'MERGE']);

export function hiddenProperties(t: S4Tenant): ReadonlySet<string> {
  return t.switches.rejectSigningCertificateField ? new Set([SIGNING_CERTIFICATE_FIELD]) : new Set();
}

function serviceDocument(root: string, service: ServiceModel): unknown {
  return {
    '@odata.context': `${root}$metadata`,
    value: service.entities.filter((e) => e.entitySet).map((e) => ({ name: e.entitySet, url: e.entitySet, kind: 'EntitySet' })),
  };
}

function handleOData(req: SandboxRequest, t: S4Tenant, ctx: SandboxContext, service: ServiceModel, rest: string): SandboxResponse {
  const user = communicationManagementUser(t, req.headers);
  if (!user) return logonFailed(t);
  const now = ctx.now();
  if (WRITES.has(req.method) && !hasValidCsrfToken(t, user, req.headers)) return csrfRequired();
  const fetchToken = /^fetch$/i.test(String(req.headers['x-csrf-token'] ?? '')) && (req.method === 'GET' || req.method === 'HEAD');
  const csrfHeaders = fetchToken ? fetchCsrfToken(t, user, now) : {};
  if (fetchToken) ctx.changed();
  const root = `https://${req.host}/sap/opu/odata4/sap/${service.service}/srvd_a2x/sap/${service.service}/0001/`;
  const hidden = hiddenProperties(t);
  const answer = ((): SandboxResponse => {
    if (rest === '') {
      if (req.method === 'HEAD') return { status: 200 };
      if (req.method !== 'GET') return odataError(405, { code: 'SANDBOX/METHOD', message: `Method ${req.method} is not allowed for the service document` });
      return jsonResponse(200, serviceDocument(root, service));
    }
    if (rest === '$metadata') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return odataError(405, { code: 'SANDBOX/METHOD', message: `Method ${req.method} is not allowed for $metadata` });
      return { status: 200, headers: { 'content-type': 'application/xml', 'odata-version': '4.0' }, body: metadataDocument(service, hidden) };
    }
    if (rest === '$batch') {
      return odataError(400, { code: 'SANDBOX/BATCH', message: '$batch is not simulated by the sandbox (SAP accepts only multipart/mixed)' });
    }
    const path = parseResourcePath(rest);
    const entitySets = new Set(service.entities.map((e) => e.entitySet).filter(Boolean));
    if (!path || !entitySets.has(path.entitySet)) {
      return odataError(404, { code: 'SANDBOX/RESOURCE', message: `Resource not found for segment '${rest}'`, target: rest });
    }
    const call: S4Call = { req, tenant: t, now, changed: () => ctx.changed(), serviceRoot: root, hidden };
    if (service.service === 'aps_com_cu_a4c_odata') return handleCommunicationUsers(call, path);
    if (service.service === 'aps_com_cs_a4c_odata') return handleCommunicationSystems(call, path);
    return handleCommunicationArrangements(call, path);
  })();
  return { ...answer, headers: { ...(answer.headers ?? {}), ...csrfHeaders } };
}

/** Builds the service; tests may pass their own signature check, production uses sandbox/saml. */
export function createS4Service(verify: SignatureCheck = verifyAssertion): SandboxService<S4Slice> {
  return {
    name: 's4',
    matchHost(host) {
      const m = HOST.exec(host);
      return m ? { tenant: m[1] } : undefined;
    },
    initialState: () => ({ tenants: {} }),
    seed(slice, seed, now = new Date()) {
      const parsed = S4Seed.parse(seed);
      for (const tenantSeed of parsed.s4Tenants ?? []) {
        const tenant = seedTenant(slice, tenantSeed, now);
        for (const system of tenantSeed.communicationSystems ?? []) seedOnboardedSystem(tenant, system, now);
      }
    },
    describe: describeSlice,
    applySwitches(slice, tenant, switches) {
      const t = slice.tenants[tenant];
      if (!t) return undefined;
      const parsed = SwitchesInput.safeParse(switches);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid request', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })) } };
      }
      Object.assign(t.switches, parsed.data);
      return { status: 200, body: { tenant, switches: t.switches } };
    },
    errorResponse(status, message) {
      return odataError(status, { code: `SANDBOX/HTTP_${status}`, message });
    },
    handle(req, slice, ctx) {
      const tenantName = ctx.hostParams.tenant;
      const t = slice.tenants[tenantName];
      if (!t) return { status: 404, headers: { 'content-type': 'text/plain' }, body: `S/4HANA Cloud tenant ${tenantName} is not seeded in the sandbox` };
      if (req.path === TOKEN_PATH) {
        const answer = handleTokenRequest(req, t, ctx.now(), verify);
        ctx.changed();
        return answer;
      }
      if (req.path.startsWith(SANDBOX_TENANT_PREFIX)) return handleManualUpload(req, t, ctx);
      const m = SERVICE_PATH.exec(req.path);
      const service = m && m[1] === m[2] ? SERVICES.find((s) => s.service === m[1]) : undefined;
      if (!m || !service) return { status: 404, headers: { 'content-type': 'text/plain' }, body: `No service found for ${req.path}` };
      return handleOData(req, t, ctx, service, (m[3] ?? '').replace(/\/+$/, ''));
    },
  };
}

export const s4Service = createS4Service();
