/** aps_com_ca_a4c_odata: CommunicationArrangements and their InboundUser (contracts B.5). */
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../core/service';
import { ARRANGEMENT_INBOUND_USER, ARRANGEMENT_NAME_PATTERN, COMMUNICATION_ARRANGEMENT, ERRORS, SCENARIO_ID_PATTERN } from './fieldModel';
import { parseJsonObject, validateBody } from './entityBody';
import { collection, mandatory, methodNotAllowed, patched, preconditionFailed, single, type Expander, type S4Call } from './entityOps';
import { entityJson, jsonResponse, notFound, odataError, odataErrors, type ODataErrorDetail } from './odataResponse';
import type { ResourcePath } from './resourcePath';
import { newEtag, type EntityRecord, type S4Tenant } from './tenantState';

const SET = 'CommunicationArrangements';

function inboundUserRecord(arrangement: EntityRecord): EntityRecord | null {
  if (typeof arrangement.InboundUser !== 'string') return null;
  return {
    CommunicationArrangementUUID: arrangement.UUID,
    CommunicationSystemInboundUserUUID: arrangement.InboundUser,
    '@etag': arrangement['@etag'],
  };
}

function expander(call: S4Call): Expander {
  return (arrangement) => {
    const rec = inboundUserRecord(arrangement);
    return rec ? entityJson(ARRANGEMENT_INBOUND_USER, rec, call.hidden) : null;
  };
}

/** The inbound user named in a body must exist and belong to the arrangement's system. */
function inboundUserProblems(t: S4Tenant, systemId: unknown, nav: unknown): { uuid?: string | null; problems: ODataErrorDetail[] } {
  if (nav === undefined) return { problems: [] };
  if (nav === null) return { uuid: null, problems: [] };
  if (typeof nav !== 'object' || Array.isArray(nav)) {
    return { problems: [{ code: 'SANDBOX/INVALID_VALUE', message: 'InboundUser must be an object', target: 'InboundUser' }] };
  }
  const body = validateBody(ARRANGEMENT_INBOUND_USER, nav as Record<string, unknown>, 'create', new Set());
  if (!body.ok) return { problems: body.problems.map((p) => ({ ...p, target: `InboundUser/${p.target ?? ''}` })) };
  const uuid = body.values.CommunicationSystemInboundUserUUID;
  if (typeof uuid !== 'string') {
    return { problems: [{ code: 'SANDBOX/MANDATORY', message: "Property 'CommunicationSystemInboundUserUUID' is mandatory", target: 'InboundUser/CommunicationSystemInboundUserUUID' }] };
  }
  const inbound = t.inboundUsers[uuid];
  const system = Object.values(t.systems).find((s) => s.ID === systemId);
  if (!inbound || !system || inbound.CommunicationSystemUUID !== system.UUID) {
    return {
      problems: [{
        code: 'SANDBOX/INBOUND_USER',
        message: `Inbound user ${uuid} is not an inbound user of communication system ${String(systemId)}`,
        target: 'InboundUser/CommunicationSystemInboundUserUUID',
      }],
    };
  }
  return { uuid, problems: [] };
}

function create(call: S4Call): SandboxResponse {
  const t = call.tenant;
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(COMMUNICATION_ARRANGEMENT, parsed.value, 'create', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  const v = body.values;
  const problems = mandatory(v, ['CommunicationScenarioID', 'CommunicationSystemID']);
  if (typeof v.CommunicationScenarioID === 'string' && !SCENARIO_ID_PATTERN.test(v.CommunicationScenarioID)) {
    problems.push({ code: 'SANDBOX/SCENARIO', message: `Communication scenario ${v.CommunicationScenarioID} does not exist`, target: 'CommunicationScenarioID' });
  }
  if (typeof v.CommunicationSystemID === 'string' && !Object.values(t.systems).some((s) => s.ID === v.CommunicationSystemID)) {
    problems.push({ code: 'SANDBOX/NOT_FOUND', message: `Communication system ${v.CommunicationSystemID} does not exist`, target: 'CommunicationSystemID' });
  }
  const name = typeof v.Name === 'string' ? v.Name : `${String(v.CommunicationScenarioID)}_${String(v.CommunicationSystemID)}`.slice(0, 80);
  if (!ARRANGEMENT_NAME_PATTERN.test(name)) {
    problems.push({ code: 'SANDBOX/INVALID_VALUE', message: 'Arrangement name may contain only letters, digits, _ and - (at most 80)', target: 'Name' });
  }
  if (Object.values(t.arrangements).some((a) => a.Name === name)) problems.push(ERRORS.nameAlreadyUsed('Communication arrangement', name, 'Name'));
  if (Object.values(t.arrangements).some((a) => a.CommunicationScenarioID === v.CommunicationScenarioID && a.CommunicationSystemID === v.CommunicationSystemID)) {
    problems.push({
      code: 'SANDBOX/DUPLICATE',
      message: `An arrangement for scenario ${String(v.CommunicationScenarioID)} and system ${String(v.CommunicationSystemID)} already exists`,
      target: 'CommunicationSystemID',
    });
  }
  const unknownNavs = Object.keys(body.navigations).filter((n) => n !== 'InboundUser');
  if (unknownNavs.length > 0) problems.push({ code: 'SANDBOX/DEEP_INSERT', message: `Deep insert of ${unknownNavs.join(', ')} is not supported`, target: unknownNavs[0] });
  const inbound = problems.length === 0 ? inboundUserProblems(t, v.CommunicationSystemID, body.navigations.InboundUser) : { problems: [] };
  problems.push(...inbound.problems);
  if (problems.length > 0) return odataErrors(400, problems);
  const uuid = randomUUID();
  const record: EntityRecord = {
    UUID: uuid, CommunicationScenarioID: v.CommunicationScenarioID, CommunicationSystemID: v.CommunicationSystemID,
    Name: name, Description: v.Description ?? null, InboundUser: inbound.uuid ?? null, '@etag': newEtag(call.now),
  };
  t.arrangements[uuid] = record;
  call.changed();
  const res = single(call, COMMUNICATION_ARRANGEMENT, SET, record, expander(call), 201);
  return { ...res, headers: { ...res.headers, location: `${call.serviceRoot}${SET}(${uuid})` } };
}

function update(call: S4Call, arrangement: EntityRecord): SandboxResponse {
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(COMMUNICATION_ARRANGEMENT, parsed.value, 'update', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  if (Object.keys(body.navigations).length > 0) {
    return odataError(400, { code: 'SANDBOX/DEEP_UPDATE', message: `Change the inbound user with PATCH ${SET}(<UUID>)/InboundUser`, target: 'InboundUser' });
  }
  const problems: ODataErrorDetail[] = [];
  const name = body.values.Name;
  if (name !== undefined) {
    if (typeof name !== 'string' || !ARRANGEMENT_NAME_PATTERN.test(name)) {
      problems.push({ code: 'SANDBOX/INVALID_VALUE', message: 'Arrangement name may contain only letters, digits, _ and - (at most 80)', target: 'Name' });
    } else if (Object.values(call.tenant.arrangements).some((a) => a.Name === name && a.UUID !== arrangement.UUID)) {
      problems.push(ERRORS.nameAlreadyUsed('Communication arrangement', name, 'Name'));
    }
  }
  if (problems.length > 0) return odataErrors(400, problems);
  Object.assign(arrangement, body.values, { '@etag': newEtag(call.now) });
  call.changed();
  return patched(call, COMMUNICATION_ARRANGEMENT, SET, arrangement, expander(call));
}

function handleInboundUserPart(call: S4Call, arrangement: EntityRecord): SandboxResponse {
  const context = `${SET}(${String(arrangement.UUID)})/InboundUser`;
  if (call.req.method === 'GET') {
    const rec = inboundUserRecord(arrangement);
    if (!rec) return { status: 204 };
    return jsonResponse(200, { '@odata.context': `${call.serviceRoot}$metadata#${context}/$entity`, ...entityJson(ARRANGEMENT_INBOUND_USER, rec, call.hidden) });
  }
  if (call.req.method !== 'PATCH' && call.req.method !== 'PUT') return methodNotAllowed(call.req.method, context);
  const stale = preconditionFailed(call, arrangement);
  if (stale) return stale;
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const result = inboundUserProblems(call.tenant, arrangement.CommunicationSystemID, parsed.value);
  if (result.problems.length > 0) return odataErrors(400, result.problems);
  arrangement.InboundUser = result.uuid ?? null;
  arrangement['@etag'] = newEtag(call.now);
  call.changed();
  return { status: 204, headers: { etag: arrangement['@etag'], 'odata-version': '4.0' } };
}

export function handleCommunicationArrangements(call: S4Call, path: ResourcePath): SandboxResponse {
  const t = call.tenant;
  const { method } = call.req;
  if (path.entitySet !== SET) return notFound(path.entitySet, path.key ?? '');
  if (path.key === undefined) {
    if (method === 'GET') return collection(call, COMMUNICATION_ARRANGEMENT, SET, Object.values(t.arrangements), expander(call));
    if (method === 'POST') return create(call);
    return methodNotAllowed(method, SET);
  }
  const arrangement = t.arrangements[path.key.toLowerCase()];
  if (!arrangement) return notFound(SET, path.key);
  if (path.navigation === 'InboundUser') return handleInboundUserPart(call, arrangement);
  if (path.navigation) return notFound(`${SET}(${path.key})/${path.navigation}`, '');
  if (method === 'GET') return single(call, COMMUNICATION_ARRANGEMENT, SET, arrangement, expander(call));
  const stale = preconditionFailed(call, arrangement);
  if (stale) return stale;
  if (method === 'PATCH') return update(call, arrangement);
  if (method === 'DELETE') {
    delete t.arrangements[String(arrangement.UUID)];
    call.changed();
    return { status: 204 };
  }
  return methodNotAllowed(method, SET);
}
