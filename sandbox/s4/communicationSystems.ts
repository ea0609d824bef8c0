/**
 * aps_com_cs_a4c_odata: CommunicationSystems with InboundUsers / OutboundUsers (contracts B.4),
 * including the rules SAP is reported to enforce (CM_APS_CS/025, /026, tenant-unique OAuth client id).
 */
import { randomUUID, type X509Certificate } from 'node:crypto';
import type { SandboxResponse } from '../core/service';
import { COMMUNICATION_SYSTEM, ERRORS, INBOUND_USER, OUTBOUND_USER, SIGNING_CERTIFICATE_FIELD } from './fieldModel';
import { parseJsonObject, validateBody } from './entityBody';
import { collection, mandatory, methodNotAllowed, patched, preconditionFailed, single, type Expander, type S4Call } from './entityOps';
import { entityJson, notFound, odataError, odataErrors, type ODataErrorDetail } from './odataResponse';
import type { ResourcePath } from './resourcePath';
import { applySigningCertificate, parseBase64Der } from './signingCertificate';
import { newEtag, type EntityRecord, type S4Tenant } from './tenantState';

const SYSTEMS = 'CommunicationSystems';
const INBOUND = 'InboundUsers';
const OUTBOUND = 'OutboundUsers';
const noExpand = () => undefined;

function systemExpander(call: S4Call): Expander {
  return (system, nav) => {
    const source = nav === INBOUND ? call.tenant.inboundUsers : call.tenant.outboundUsers;
    const model = nav === INBOUND ? INBOUND_USER : OUTBOUND_USER;
    return Object.values(source)
      .filter((u) => u.CommunicationSystemUUID === system.UUID)
      .map((u) => entityJson(model, u, call.hidden));
  };
}

function findSystem(t: S4Tenant, key: string): EntityRecord | undefined {
  return t.systems[key.toLowerCase()];
}

/**
 * The signing certificate a create or update carries, parsed once (X.509 parsing is the costly part
 * of a push): `absent` when the body does not set the field, `null` when it clears it.
 */
type SentCertificate = { absent: true } | { absent: false; cert: X509Certificate | null; problems: ODataErrorDetail[] };

function sentCertificate(values: Record<string, unknown>): SentCertificate {
  if (!(SIGNING_CERTIFICATE_FIELD in values)) return { absent: true };
  const v = values[SIGNING_CERTIFICATE_FIELD];
  if (v === undefined || v === null) return { absent: false, cert: null, problems: [] };
  const cert = parseBase64Der(String(v));
  return cert
    ? { absent: false, cert, problems: [] }
    : { absent: false, cert: null, problems: [{ code: 'SANDBOX/INVALID_CERTIFICATE', message: 'Signing certificate is not a base64-encoded DER X.509 certificate', target: SIGNING_CERTIFICATE_FIELD }] };
}

const certificateProblems = (sent: SentCertificate) => (sent.absent ? [] : sent.problems);

/** Rules that hold for the whole system after a create or update. */
function systemStateProblems(system: Record<string, unknown>): ODataErrorDetail[] {
  if (system.IsInboundOnly !== true && (system.HostName === null || system.HostName === undefined || system.HostName === '')) {
    return [ERRORS.hostNameMissing()];
  }
  return [];
}

function setCertificate(system: EntityRecord, sent: SentCertificate): void {
  if (!sent.absent) applySigningCertificate(system, sent.cert);
}

function changesCertificate(system: EntityRecord, values: Record<string, unknown>): boolean {
  if (!(SIGNING_CERTIFICATE_FIELD in values)) return false;
  const normalize = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s+/g, '') : null);
  return normalize(values[SIGNING_CERTIFICATE_FIELD]) !== normalize(system[SIGNING_CERTIFICATE_FIELD]);
}

function createSystem(call: S4Call): SandboxResponse {
  const t = call.tenant;
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(COMMUNICATION_SYSTEM, parsed.value, 'create', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  if (Object.keys(body.navigations).length > 0) return odataError(400, ERRORS.userOrClientIdMissing());
  const v = body.values;
  const sent = sentCertificate(v);
  const problems = [...mandatory(v, ['ID', 'Name']), ...certificateProblems(sent)];
  if (typeof v.ID === 'string' && Object.values(t.systems).some((s) => s.ID === v.ID)) {
    problems.push(ERRORS.nameAlreadyUsed('Communication system', v.ID, 'ID'));
  }
  const uuid = randomUUID();
  const record: EntityRecord = { '@etag': newEtag(call.now) };
  for (const p of COMMUNICATION_SYSTEM.properties) record[p.name] = null;
  Object.assign(record, { Type: 'customer_managed', TCPPort: 443, IsInboundOnly: false, IsOwnSystem: false, IsHubSystem: false, IsOAuth2IdentityProviderActive: false }, v, { UUID: uuid });
  problems.push(...systemStateProblems(record));
  if (problems.length > 0) return odataErrors(400, problems);
  setCertificate(record, sent);
  t.systems[uuid] = record;
  call.changed();
  const res = single(call, COMMUNICATION_SYSTEM, SYSTEMS, record, systemExpander(call), 201);
  return { ...res, headers: { ...res.headers, location: `${call.serviceRoot}${SYSTEMS}(${uuid})` } };
}

function updateSystem(call: S4Call, system: EntityRecord): SandboxResponse {
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(COMMUNICATION_SYSTEM, parsed.value, 'update', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  if (Object.keys(body.navigations).length > 0) {
    return odataError(400, { code: 'SANDBOX/DEEP_UPDATE', message: 'Navigation properties cannot be changed with PATCH', target: Object.keys(body.navigations)[0] });
  }
  const sent = sentCertificate(body.values);
  const problems = [...certificateProblems(sent), ...systemStateProblems({ ...system, ...body.values })];
  if (call.tenant.switches.refuseSigningCertificateUpdate && changesCertificate(system, body.values)) {
    problems.push(ERRORS.signingCertificateUpdateRefused(String(system.ID)));
  }
  if (problems.length > 0) return odataErrors(400, problems);
  const { [SIGNING_CERTIFICATE_FIELD]: _cert, ...plain } = body.values;
  Object.assign(system, plain, { '@etag': newEtag(call.now) });
  setCertificate(system, sent);
  call.changed();
  return patched(call, COMMUNICATION_SYSTEM, SYSTEMS, system, systemExpander(call));
}

function deriveClientId(t: S4Tenant, userId: string): string | undefined {
  const user = t.users[userId];
  if (!user) return undefined;
  return t.switches.oauth2ClientIdFrom === 'id' ? String(user.ID) : String(user.Name);
}

/** Rules for an inbound user as it would be saved (create or update). */
function inboundUserProblems(t: S4Tenant, record: Record<string, unknown>): ODataErrorDetail[] {
  const problems: ODataErrorDetail[] = [];
  const userId = record.CommunicationUserID;
  const hasUser = typeof userId === 'string' && userId !== '';
  if (hasUser && !t.users[userId]) {
    problems.push({ code: 'SANDBOX/NOT_FOUND', message: `Communication user ${userId} does not exist`, target: 'CommunicationUserID' });
  }
  const clientId = record.OAuth2ClientID;
  if (record.AuthenticationMethod === 'oauth2' && typeof clientId === 'string' && clientId !== '') {
    const other = Object.values(t.inboundUsers).find((i) => i.OAuth2ClientID === clientId && i.UUID !== record.UUID);
    if (other) {
      const systemId = t.systems[String(other.CommunicationSystemUUID)]?.ID ?? String(other.CommunicationSystemUUID);
      problems.push(ERRORS.clientIdAssigned(clientId, String(systemId)));
    }
  }
  return problems;
}

function createInboundUser(call: S4Call, systemUuidFromPath?: string): SandboxResponse {
  const t = call.tenant;
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(INBOUND_USER, parsed.value, 'create', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  const v = body.values;
  if (systemUuidFromPath && v.CommunicationSystemUUID !== undefined && v.CommunicationSystemUUID !== systemUuidFromPath) {
    return odataError(400, { code: 'SANDBOX/INVALID_VALUE', message: 'CommunicationSystemUUID differs from the system in the path', target: 'CommunicationSystemUUID' });
  }
  const systemUuid = systemUuidFromPath ?? (typeof v.CommunicationSystemUUID === 'string' ? v.CommunicationSystemUUID : undefined);
  const problems = mandatory({ ...v, CommunicationSystemUUID: systemUuid }, ['CommunicationSystemUUID', 'AuthenticationMethod']);
  if (problems.length > 0) return odataErrors(400, problems);
  if (!t.systems[systemUuid as string]) {
    return odataError(400, { code: 'SANDBOX/NOT_FOUND', message: `Communication system ${String(systemUuid)} does not exist`, target: 'CommunicationSystemUUID' });
  }
  // SAP derives the OAuth client from the user; a client id alone is rejected (contracts B.4, 3P-S4API).
  if (typeof v.CommunicationUserID !== 'string' || v.CommunicationUserID === '') return odataError(400, ERRORS.userOrClientIdMissing());
  const record: EntityRecord = { '@etag': newEtag(call.now) };
  for (const p of INBOUND_USER.properties) record[p.name] = null;
  Object.assign(record, { IsOAuth2RefreshTokenAllowed: false }, v, { UUID: randomUUID(), CommunicationSystemUUID: systemUuid });
  record.OAuth2ClientID = v.AuthenticationMethod === 'oauth2' ? (v.OAuth2ClientID ?? deriveClientId(t, v.CommunicationUserID) ?? null) : null;
  const duplicate = Object.values(t.inboundUsers).some(
    (i) => i.CommunicationSystemUUID === systemUuid && i.CommunicationUserID === v.CommunicationUserID && i.AuthenticationMethod === v.AuthenticationMethod,
  );
  const more = inboundUserProblems(t, record);
  if (duplicate) more.push(ERRORS.nameAlreadyUsed('Inbound user', v.CommunicationUserID, 'CommunicationUserID'));
  if (more.length > 0) return odataErrors(400, more);
  t.inboundUsers[String(record.UUID)] = record;
  call.changed();
  const res = single(call, INBOUND_USER, INBOUND, record, noExpand, 201);
  return { ...res, headers: { ...res.headers, location: `${call.serviceRoot}${INBOUND}(${String(record.UUID)})` } };
}

function updateInboundUser(call: S4Call, inbound: EntityRecord): SandboxResponse {
  const t = call.tenant;
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(INBOUND_USER, parsed.value, 'update', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  const next = { ...inbound, ...body.values };
  if (next.CommunicationUserID === '') next.CommunicationUserID = null;
  const hasUser = typeof next.CommunicationUserID === 'string';
  const hasClient = typeof next.OAuth2ClientID === 'string' && next.OAuth2ClientID !== '';
  if (!hasUser && !(next.AuthenticationMethod === 'oauth2' && hasClient)) return odataError(400, ERRORS.userOrClientIdMissing());
  const problems = inboundUserProblems(t, next);
  if (problems.length > 0) return odataErrors(400, problems);
  Object.assign(inbound, next, { '@etag': newEtag(call.now) });
  call.changed();
  return patched(call, INBOUND_USER, INBOUND, inbound, noExpand);
}

function handleInboundUser(call: S4Call, key: string): SandboxResponse {
  const t = call.tenant;
  const inbound = t.inboundUsers[key.toLowerCase()];
  if (!inbound) return notFound(INBOUND, key);
  if (call.req.method === 'GET') return single(call, INBOUND_USER, INBOUND, inbound, noExpand);
  const stale = preconditionFailed(call, inbound);
  if (stale) return stale;
  if (call.req.method === 'PATCH') return updateInboundUser(call, inbound);
  if (call.req.method === 'DELETE') {
    if (Object.values(t.arrangements).some((a) => a.InboundUser === inbound.UUID)) {
      return odataError(400, { code: 'SANDBOX/IN_USE', message: 'Inbound user is used by a communication arrangement and cannot be deleted', target: 'UUID' });
    }
    delete t.inboundUsers[String(inbound.UUID)];
    call.changed();
    return { status: 204 };
  }
  return methodNotAllowed(call.req.method, INBOUND);
}

export function handleCommunicationSystems(call: S4Call, path: ResourcePath): SandboxResponse {
  const t = call.tenant;
  const { method } = call.req;
  if (path.entitySet === INBOUND && !path.navigation) {
    if (path.key !== undefined) return handleInboundUser(call, path.key);
    if (method === 'GET') return collection(call, INBOUND_USER, INBOUND, Object.values(t.inboundUsers), noExpand);
    if (method === 'POST') return createInboundUser(call);
    return methodNotAllowed(method, INBOUND);
  }
  if (path.entitySet === OUTBOUND && !path.navigation) {
    if (method !== 'GET') return methodNotAllowed(method, OUTBOUND);
    if (path.key === undefined) return collection(call, OUTBOUND_USER, OUTBOUND, Object.values(t.outboundUsers), noExpand);
    const outbound = t.outboundUsers[path.key];
    return outbound ? single(call, OUTBOUND_USER, OUTBOUND, outbound, noExpand) : notFound(OUTBOUND, path.key);
  }
  if (path.entitySet !== SYSTEMS) return notFound(path.entitySet, path.key ?? '');

  if (path.key === undefined) {
    if (method === 'GET') return collection(call, COMMUNICATION_SYSTEM, SYSTEMS, Object.values(t.systems), systemExpander(call));
    if (method === 'POST') return createSystem(call);
    return methodNotAllowed(method, SYSTEMS);
  }
  const system = findSystem(t, path.key);
  if (!system) return notFound(SYSTEMS, path.key);
  if (path.navigation === INBOUND || path.navigation === OUTBOUND) {
    const isInbound = path.navigation === INBOUND;
    if (method === 'POST' && isInbound) return createInboundUser(call, String(system.UUID));
    if (method !== 'GET') return methodNotAllowed(method, `${SYSTEMS}/${path.navigation}`);
    const source = isInbound ? t.inboundUsers : t.outboundUsers;
    const rows = Object.values(source).filter((u) => u.CommunicationSystemUUID === system.UUID);
    return collection(call, isInbound ? INBOUND_USER : OUTBOUND_USER, `${SYSTEMS}(${String(system.UUID)})/${path.navigation}`, rows, noExpand);
  }
  if (path.navigation) return notFound(`${SYSTEMS}(${path.key})/${path.navigation}`, '');
  if (method === 'GET') return single(call, COMMUNICATION_SYSTEM, SYSTEMS, system, systemExpander(call));
  const stale = preconditionFailed(call, system);
  if (stale) return stale;
  if (method === 'PATCH') return updateSystem(call, system);
  if (method === 'DELETE') {
    if (Object.values(t.arrangements).some((a) => a.CommunicationSystemID === system.ID)) {
      return odataError(400, { code: 'SANDBOX/IN_USE', message: `Communication system ${String(system.ID)} is used by a communication arrangement`, target: 'ID' });
    }
    for (const [k, u] of Object.entries(t.inboundUsers)) if (u.CommunicationSystemUUID === system.UUID) delete t.inboundUsers[k];
    for (const [k, u] of Object.entries(t.outboundUsers)) if (u.CommunicationSystemUUID === system.UUID) delete t.outboundUsers[k];
    delete t.systems[String(system.UUID)];
    call.changed();
    return { status: 204 };
  }
  return methodNotAllowed(method, SYSTEMS);
}
