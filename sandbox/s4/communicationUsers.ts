/** aps_com_cu_a4c_odata: CommunicationUsers (contracts B.3). Passwords are accepted, checked, never returned. */
import type { SandboxResponse } from '../core/service';
import { COMMUNICATION_USER, ERRORS, PASSWORD_RULE } from './fieldModel';
import { parseJsonObject, validateBody } from './entityBody';
import { collection, mandatory, methodNotAllowed, patched, preconditionFailed, single, type S4Call } from './entityOps';
import { notFound, odataError, odataErrors, type ODataErrorDetail } from './odataResponse';
import type { ResourcePath } from './resourcePath';
import { newEtag, nextUserId, type EntityRecord } from './tenantState';

const SET = 'CommunicationUsers';
const noExpand = () => undefined;

function passwordProblems(values: Record<string, unknown>): ODataErrorDetail[] {
  const pw = values.Password;
  if (pw === undefined || pw === null) return [];
  const text = String(pw);
  if (text.length < PASSWORD_RULE.minLength || text.length > PASSWORD_RULE.maxLength || !PASSWORD_RULE.pattern.test(text)) {
    return [{
      code: 'SANDBOX/PASSWORD_POLICY',
      message: `Password does not meet the password rules: ${PASSWORD_RULE.minLength} to ${PASSWORD_RULE.maxLength} printable characters without blanks`,
      target: 'Password',
    }];
  }
  return [];
}

export function handleCommunicationUsers(call: S4Call, path: ResourcePath): SandboxResponse {
  const t = call.tenant;
  const { method } = call.req;
  if (path.entitySet !== SET || path.navigation) return notFound(path.entitySet, path.key ?? '');

  if (path.key === undefined) {
    if (method === 'GET') return collection(call, COMMUNICATION_USER, SET, Object.values(t.users), noExpand);
    if (method !== 'POST') return methodNotAllowed(method, SET);
    const parsed = parseJsonObject(call.req.body);
    if (!parsed.ok) return odataError(400, parsed.problem);
    const body = validateBody(COMMUNICATION_USER, parsed.value, 'create', call.hidden);
    if (!body.ok) return odataErrors(400, body.problems);
    const v = body.values;
    const problems = [...mandatory(v, ['Name']), ...passwordProblems(v)];
    const id = `CC${String(t.nextUserNumber).padStart(10, '0')}`;
    if (v.Description === undefined || v.Description === null || String(v.Description).trim() === '') problems.push(ERRORS.descriptionMissing(id));
    if (typeof v.Name === 'string' && Object.values(t.users).some((u) => u.Name === v.Name)) problems.push(ERRORS.nameAlreadyUsed('Name', v.Name, 'Name'));
    if (problems.length > 0) return odataErrors(400, problems);
    const userId = nextUserId(t);
    const record: EntityRecord = {
      ID: userId, Name: v.Name, Description: v.Description, Type: v.Type ?? 'customer_communication',
      Password: v.Password ?? null, IsLocked: false, LockStatus: 'not_locked',
      PasswordStatus: v.Password ? 'productive' : 'initial', '@etag': newEtag(call.now),
    };
    t.users[userId] = record;
    call.changed();
    const res = single(call, COMMUNICATION_USER, SET, record, noExpand, 201);
    return { ...res, headers: { ...res.headers, location: `${call.serviceRoot}${SET}('${userId}')` } };
  }

  const user = t.users[path.key] ?? Object.values(t.users).find((u) => String(u.ID).toLowerCase() === path.key);
  if (!user) return notFound(SET, path.key);
  if (method === 'GET') return single(call, COMMUNICATION_USER, SET, user, noExpand);
  const stale = preconditionFailed(call, user);
  if (stale) return stale;
  if (method === 'DELETE') {
    const inUse = Object.values(t.inboundUsers).some((i) => i.CommunicationUserID === user.ID);
    if (inUse) return odataError(400, { code: 'SANDBOX/IN_USE', message: `User ${String(user.ID)} is used by a communication system and cannot be deleted`, target: 'ID' });
    delete t.users[String(user.ID)];
    call.changed();
    return { status: 204 };
  }
  if (method !== 'PATCH') return methodNotAllowed(method, SET);
  const parsed = parseJsonObject(call.req.body);
  if (!parsed.ok) return odataError(400, parsed.problem);
  const body = validateBody(COMMUNICATION_USER, parsed.value, 'update', call.hidden);
  if (!body.ok) return odataErrors(400, body.problems);
  const v = body.values;
  const problems = passwordProblems(v);
  if ('Description' in v && (v.Description === null || String(v.Description).trim() === '')) problems.push(ERRORS.descriptionMissing(String(user.ID)));
  if (problems.length > 0) return odataErrors(400, problems);
  Object.assign(user, v, { '@etag': newEtag(call.now) });
  if (v.Password) user.PasswordStatus = 'productive';
  call.changed();
  return patched(call, COMMUNICATION_USER, SET, user, noExpand);
}
