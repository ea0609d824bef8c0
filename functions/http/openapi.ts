/** The API description, generated from the same zod schemas that validate requests (they load at the first request). */
import { app, type HttpRequest } from '@azure/functions';
import type { WorkflowDefinition } from '../../shared/workflow/defineWorkflow';
import { json } from './httpResponses';

export function registerOpenApi(workflows: readonly WorkflowDefinition<any, any>[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  app.http('openapi', {
    route: 'openapi.json',
    methods: ['GET'],
    authLevel: 'function',
    // The document's paths start with /api, so the server is the origin alone.
    handler: async (request: HttpRequest) => {
      const { buildOpenApiDocument } = await import('../../shared/schemas/openapi');
      return json(200, buildOpenApiDocument(workflows, { serverUrl: new URL(request.url).origin }));
    },
  });
}
