/**
 * Route parameters checked before a handler uses them: each named parameter against its schema,
 * every bad one named in one 400. Ids that pass are safe to put into any URL.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { InstanceId, StepIdParam } from '../../shared/schemas/instanceId';
import { invalidRequest } from './httpResponses';

export type RouteParams<K extends string> = { ok: true; params: Record<K, string> } | { ok: false; response: HttpResponseInit };

export function routeParams<K extends string>(request: Pick<HttpRequest, 'params'>, schemas: Record<K, z.ZodType<string>>): RouteParams<K> {
  const params = {} as Record<K, string>;
  const problems = [];
  for (const name of Object.keys(schemas) as K[]) {
    const parsed = schemas[name].safeParse(request.params[name] ?? '');
    if (parsed.success) params[name] = parsed.data;
    else problems.push({ field: name, message: parsed.error.issues[0]?.message ?? 'is not valid' });
  }
  return problems.length > 0 ? { ok: false, response: invalidRequest(problems) } : { ok: true, params };
}

/** `{id}` of a run route. */
export const runIdParam = { id: InstanceId };
/** `{id}` and `{step}` of a manual-step route. */
export const manualStepParams = { id: InstanceId, step: StepIdParam };
