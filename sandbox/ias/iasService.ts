/**
 * Simulated SAP Cloud Identity Services (IAS) tenants: the OAuth token endpoint and the
 * Application Directory `/Applications/v1/` (contracts C.1–C.3, spec ias_SCI_Application_Directory.yaml,
 * recordings ias_fixture_*.yaml).
 */
import { randomUUID } from 'node:crypto';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../core/service';
import { buildApplication, normaliseApplication } from './applicationDefaults';
import { listApplications } from './applicationList';
import { applyPatch } from './applicationPatch';
import { ApplicationBody, PatchBody } from './applicationSchema';
import { authenticate, issueToken, type IasCaller } from './iasAuthentication';
import { IAS_MESSAGES, detailsFromZod, iasEmpty, iasError, iasJson, invalidInput } from './iasResponses';
import { handleCorporateIdps, IDENTITY_PROVIDERS, seededCorporateIdp } from './corporateIdpDirectory';
import { applyMetadataUrlKey, defaultIasSwitches, IasSwitchesInput } from './iasSwitches';
import { handleScimUsers, SCIM_USERS, scimError, seededUser } from './scimUsers';
import {
  IasSeed,
  type IasTenantSeed,
  defaultIdpIdFor,
  technicalUserId,
  type IasSlice,
  type IasTenant,
  type StoredApplication,
} from './iasState';

const HOST = /^(?<tenant>[a-z0-9][a-z0-9-]*)\.accounts\.(?:ondemand\.com|cloud\.sap)$/;
const APPLICATIONS = /^\/Applications\/v1\/?$/;
const APPLICATION = /^\/Applications\/v1\/(?<id>[^/]+)\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mask(secret: string): string {
  return secret.length <= 4 ? '****' : `${secret.slice(0, 2)}****`;
}

function parseJson(body: Buffer): { value: unknown } | { error: SandboxResponse } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { error: invalidInput([{ target: '(body)', message: 'Request body is missing.' }]) };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: invalidInput([{ target: '(body)', message: 'Request body is not valid JSON.' }]) };
  }
}

function tenantFromSeed(seed: IasTenantSeed): IasTenant {
  return {
    tenant: seed.tenant,
    clients: seed.clients.map((c, i) => ({ ...c, userId: technicalUserId(i + 2) })),
    admins: seed.admins.map((a, i) => ({ ...a, userId: technicalUserId(i) })),
    defaultIdpId: defaultIdpIdFor(seed.tenant),
    tokens: {},
    applications: {},
    corporateIdps: {},
    users: {},
    switches: defaultIasSwitches(),
  };
}

/** Seeds accept either the whole seed file (`iasTenants` section) or the section itself. */
function seedSection(seed: unknown): unknown {
  if (seed && typeof seed === 'object' && !Array.isArray(seed)) return (seed as { iasTenants?: unknown }).iasTenants ?? [];
  return seed ?? [];
}

function location(host: string, id: string): string {
  return `https://${host}/Applications/v1/${id}`;
}

interface WriteContext {
  req: SandboxRequest;
  tenant: IasTenant;
  caller: IasCaller;
  ctx: SandboxContext;
}

function store(
  { req, tenant, caller, ctx }: WriteContext,
  body: unknown,
  id: string,
  previous?: StoredApplication,
): { app: StoredApplication } | { error: SandboxResponse } {
  const parsed = ApplicationBody.safeParse(body);
  if (!parsed.success) return { error: invalidInput(detailsFromZod(parsed.error)) };
  const previousAuth = previous?.['urn:sap:identity:application:schemas:extension:sci:1.0:Authentication'] as
    | Record<string, unknown>
    | undefined;
  const app = buildApplication(parsed.data, {
    id,
    clientId: (previousAuth?.clientId as string | undefined) ?? randomUUID(),
    location: location(req.host, id),
    userId: caller.userId,
    now: ctx.now(),
    defaultIdpId: tenant.defaultIdpId,
    previousMeta: previous?.meta as Record<string, unknown> | undefined,
  });
  const problems = [...normaliseApplication(app), ...applyMetadataUrlKey(app, tenant.switches ?? defaultIasSwitches())];
  if (problems.length > 0) return { error: invalidInput(problems) };
  return { app };
}

function handleApplications(req: SandboxRequest, w: WriteContext): SandboxResponse {
  const { tenant, ctx } = w;
  if (req.method === 'GET') {
    const listed = listApplications(Object.values(tenant.applications), req.query);
    return 'errors' in listed ? invalidInput(listed.errors) : iasJson(200, listed.page);
  }
  if (req.method === 'POST') {
    const json = parseJson(req.body);
    if ('error' in json) return json.error;
    const id = randomUUID();
    const stored = store(w, json.value, id);
    if ('error' in stored) return stored.error;
    tenant.applications[id] = stored.app;
    ctx.changed();
    return iasEmpty(201, { location: `/Applications/v1/${id}` });
  }
  return iasError(405, `Method ${req.method} is not allowed.`);
}

function handleApplication(req: SandboxRequest, id: string, w: WriteContext): SandboxResponse {
  const { tenant, caller, ctx } = w;
  const existing = UUID.test(id) ? tenant.applications[id.toLowerCase()] : undefined;
  if (!existing) return iasError(404, IAS_MESSAGES.notFound);
  switch (req.method) {
    case 'GET':
      return iasJson(200, existing);
    case 'DELETE':
      delete tenant.applications[existing.id];
      ctx.changed();
      return iasEmpty(200);
    case 'PUT': {
      const json = parseJson(req.body);
      if ('error' in json) return json.error;
      const stored = store(w, json.value, existing.id, existing);
      if ('error' in stored) return stored.error;
      tenant.applications[existing.id] = stored.app;
      ctx.changed();
      return iasEmpty(200);
    }
    case 'PATCH': {
      const json = parseJson(req.body);
      if ('error' in json) return json.error;
      const patch = PatchBody.safeParse(json.value);
      if (!patch.success) return invalidInput(detailsFromZod(patch.error));
      const patched = applyPatch(existing, patch.data.operations);
      if ('errors' in patched) return invalidInput(patched.errors);
      const checked = ApplicationBody.safeParse(patched.result);
      if (!checked.success) return invalidInput(detailsFromZod(checked.error));
      const app = patched.result;
      const problems = [...normaliseApplication(app), ...applyMetadataUrlKey(app, tenant.switches ?? defaultIasSwitches())];
      if (problems.length > 0) return invalidInput(problems);
      app.meta = { ...(app.meta as Record<string, unknown>), lastModified: ctx.now().toISOString(), modifiedBy: caller.userId };
      tenant.applications[existing.id] = app;
      ctx.changed();
      return iasEmpty(200);
    }
    default:
      return iasError(405, `Method ${req.method} is not allowed.`);
  }
}

export function createIasService(): SandboxService<IasSlice> {
  return {
    name: 'ias',
    matchHost(host) {
      const match = HOST.exec(host);
      return match?.groups ? { tenant: match.groups.tenant } : undefined;
    },
    initialState: () => ({ tenants: {} }),
    seed(slice, seed, seededAt = new Date()) {
      const parsed = IasSeed.parse(seedSection(seed));
      for (const tenantSeed of parsed) {
        const tenant = tenantFromSeed(tenantSeed);
        const now = seededAt;
        for (const body of tenantSeed.applications) {
          const id = typeof body.id === 'string' && UUID.test(body.id) ? body.id.toLowerCase() : randomUUID();
          const app = buildApplication(ApplicationBody.parse(body), {
            id,
            clientId: randomUUID(),
            location: location(`${tenant.tenant}.accounts.ondemand.com`, id),
            userId: tenant.admins[0]?.userId ?? technicalUserId(0),
            now,
            defaultIdpId: tenant.defaultIdpId,
          });
          normaliseApplication(app);
          tenant.applications[id] = app;
        }
        const host = `${tenant.tenant}.accounts.ondemand.com`;
        for (const idp of tenantSeed.corporateIdps) {
          const stored = seededCorporateIdp(idp, host, now);
          tenant.corporateIdps![stored.id] = stored;
        }
        for (const user of tenantSeed.users) {
          const stored = seededUser(user, host, now);
          tenant.users![stored.id] = stored;
        }
        slice.tenants[tenant.tenant] = tenant;
      }
    },
    describe(slice) {
      return Object.fromEntries(
        Object.values(slice.tenants).map((t) => [
          t.tenant,
          {
            clients: t.clients.map((c) => ({ clientId: c.clientId, clientSecret: mask(c.clientSecret), scopes: c.scopes, userId: c.userId })),
            admins: t.admins.map((a) => ({ user: a.user, password: mask(a.password), userId: a.userId })),
            activeTokens: Object.keys(t.tokens).length,
            applications: Object.values(t.applications),
            corporateIdps: Object.values(t.corporateIdps ?? {}),
            users: Object.values(t.users ?? {}),
            switches: t.switches ?? defaultIasSwitches(),
          },
        ]),
      );
    },
    applySwitches(slice, tenantName, switches) {
      const tenant = slice.tenants[tenantName];
      if (!tenant) return undefined;
      const parsed = IasSwitchesInput.safeParse(switches);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid request', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })) } };
      }
      tenant.switches = { ...(tenant.switches ?? defaultIasSwitches()), ...parsed.data };
      return { status: 200, body: { tenant: tenantName, switches: tenant.switches } };
    },
    handle(req, slice, ctx) {
      const tenant = slice.tenants[ctx.hostParams.tenant ?? ''];
      if (!tenant) return iasError(404, IAS_MESSAGES.unknownTenant);
      if (req.path === '/oauth2/token') {
        if (req.method !== 'POST') return iasError(405, `Method ${req.method} is not allowed.`);
        const answer = issueToken(req, tenant, ctx.now());
        if (answer.status === 200) ctx.changed();
        return answer;
      }
      const idps = IDENTITY_PROVIDERS.exec(req.path);
      const users = SCIM_USERS.exec(req.path);
      if (idps || users) {
        const caller = authenticate(req, tenant, ctx.now());
        if (!caller) return users ? scimError(401, IAS_MESSAGES.unauthorized) : iasError(401, IAS_MESSAGES.unauthorized);
        // UNCONFIRMED: which API scope IAS asks for here; manageUsers for SCIM, manageApp for IdPs.
        if (users) return caller.scopes.includes('manageUsers') ? handleScimUsers(req, tenant.users ?? {}, decodeURIComponent(users.groups!.id)) : scimError(403, IAS_MESSAGES.forbidden);
        return caller.scopes.includes('manageApp') ? handleCorporateIdps(req, tenant.corporateIdps ?? {}, decodeURIComponent(idps!.groups!.id)) : iasError(403, IAS_MESSAGES.forbidden);
      }
      const collection = APPLICATIONS.test(req.path);
      const single = APPLICATION.exec(req.path);
      if (!collection && !single) return iasError(404, `No resource at ${req.path}.`);
      const caller = authenticate(req, tenant, ctx.now());
      if (!caller) return iasError(401, IAS_MESSAGES.unauthorized);
      if (!caller.scopes.includes('manageApp')) return iasError(403, IAS_MESSAGES.forbidden);
      const w: WriteContext = { req, tenant, caller, ctx };
      return collection ? handleApplications(req, w) : handleApplication(req, decodeURIComponent(single!.groups!.id), w);
    },
  };
}

export const iasService = createIasService();
