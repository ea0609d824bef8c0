/**
 * The run API's routes of one workflow, registered when the app loads from its name and kind alone;
 * the handlers (runApi.ts: validation, the workflow's definition, its schemas) load at the first request.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

type Handler = (request: HttpRequest, client: DurableClient) => Promise<HttpResponseInit>;

export interface RunApiHandlers {
  start: Handler;
  plan: Handler;
  list: Handler;
  get: Handler;
  stop: Handler;
  confirm: Handler;
  attachment: Handler;
}

export function registerRunApiRoutes(workflow: { name: string; kind: string }, load: () => RunApiHandlers): void {
  let loaded: RunApiHandlers | undefined;
  const handler = (name: keyof RunApiHandlers): Handler => (request, client) => (loaded ??= load())[name](request, client);
  const n = workflow.name;
  const route = workflow.kind;
  df.app.client.http(`${n}Start`, { route, methods: ['POST'], authLevel: 'function', handler: handler('start') });
  df.app.client.http(`${n}Plan`, { route: `${route}/plans`, methods: ['POST'], authLevel: 'function', handler: handler('plan') });
  df.app.client.http(`${n}List`, { route, methods: ['GET'], authLevel: 'function', handler: handler('list') });
  df.app.client.http(`${n}Get`, { route: `${route}/{id}`, methods: ['GET'], authLevel: 'function', handler: handler('get') });
  df.app.client.http(`${n}Stop`, { route: `${route}/{id}`, methods: ['DELETE'], authLevel: 'function', handler: handler('stop') });
  df.app.client.http(`${n}ManualStep`, { route: `${route}/{id}/manual-steps/{step}`, methods: ['POST'], authLevel: 'function', handler: handler('confirm') });
  df.app.client.http(`${n}Attachment`, { route: `${route}/{id}/attachments/{name}`, methods: ['GET'], authLevel: 'function', handler: handler('attachment') });
  // `GET /api/onboardings/{id}/certificate` predates the generic attachments route; it stays as its alias.
  if (workflow.kind === 'onboardings') {
    df.app.client.http(`${n}Certificate`, { route: `${route}/{id}/certificate`, methods: ['GET'], authLevel: 'function', handler: handler('attachment') });
  }
}
