/** The API description, generated from the same zod schemas that validate requests. */
import { app, type HttpRequest } from '@azure/functions';
import { buildOpenApiDocument } from '../../shared/schemas/openapi';
import { apiBase, json } from './httpResponses';

app.http('openapi', {
  route: 'openapi.json',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request: HttpRequest) => json(200, buildOpenApiDocument({ serverUrl: apiBase(request) })),
});
