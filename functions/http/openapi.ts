/** The API description, generated from the same zod schemas that validate requests. */
import { app, type HttpRequest } from '@azure/functions';
import { buildOpenApiDocument } from '../../shared/schemas/openapi';
import type { WorkflowDefinition } from '../../shared/workflow/defineWorkflow';
import { json } from './httpResponses';

export function registerOpenApi(workflows: readonly WorkflowDefinition<any, any>[]): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  app.http('openapi', {
    route: 'openapi.json',
    methods: ['GET'],
    authLevel: 'function',
    // The document's paths start with /api, so the server is the origin alone.
    handler: async (request: HttpRequest) => json(200, buildOpenApiDocument(workflows, { serverUrl: new URL(request.url).origin })),
  });
}
