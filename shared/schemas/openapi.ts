/**
 * OpenAPI 3.1 for the product's HTTP API, generated from the same zod schemas the functions
 * validate with (zod 4's z.toJSONSchema; OpenAPI 3.1 uses JSON Schema 2020-12 as is).
 */
import { z } from 'zod';
import type { WorkflowDefinition } from '../workflow/defineWorkflow';
import { ManualStepConfirmation, RUN_STATUSES, runViewSchema } from '../workflow/runViewSchema';
import { ConflictBody, CredentialMetadata, CredentialPut, ErrorBody, FieldErrorsBody, Health, SettingsUnavailableBody } from './onboardingApi';
import { INSTANCE_ID_PATTERN } from './instanceId';
import { CertificateReport } from '../../orchestrations/certificateCheck/report';

export interface OpenApiOptions {
  /** e.g. `https://my-func.azurewebsites.net`; default: relative. */
  serverUrl?: string;
  version?: string;
}

type JsonSchema = Record<string, unknown>;
type Workflow = Pick<WorkflowDefinition, 'kind' | 'noun' | 'request' | 'subject' | 'result' | 'steps'>;

const pascal = (kind: string) => kind.replace(/(^|[-/])([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

export function buildOpenApiDocument(workflows: readonly Workflow[], { serverUrl, version = '0.1.0' }: OpenApiOptions = {}): Record<string, unknown> {
  // Named schemas become components, referenced by $ref; requests are documented as sent (input),
  // responses as returned (output).
  const requests: Record<string, z.ZodType> = { CredentialPut };
  const responses: Record<string, z.ZodType> = { FieldErrors: FieldErrorsBody, Conflict: ConflictBody, Error: ErrorBody, CredentialMetadata, SettingsUnavailable: SettingsUnavailableBody, CertificateReport };
  const views = new Map<Workflow, string>();
  for (const w of workflows) {
    const name = pascal(w.kind);
    requests[`${name}Request`] = w.request;
    const view = runViewSchema(w.subject, w.result);
    responses[`${name}View`] = view;
    responses[`${name}List`] = z.object({ items: z.array(view) });
    views.set(w, name);
  }
  const components = { ...componentSchemas(requests, 'input'), ...componentSchemas(responses, 'output') };
  const ref = (name: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } });
  const inline = (s: z.ZodType, io: 'input' | 'output') => {
    const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete json.$schema;
    return { content: { 'application/json': { schema: json } } };
  };
  const fieldErrors = (description: string) => ({ description, ...ref('FieldErrors') });
  const error = (description: string) => ({ description, ...ref('Error') });
  const unauthorized = { 401: { description: 'Missing or wrong function key' } };
  const retryAfter = { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before polling again' }, Location: { schema: { type: 'string' } } };

  const paths: Record<string, unknown> = {};
  for (const w of workflows) {
    const name = views.get(w)!;
    const base = `/api/${w.kind}`;
    const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: INSTANCE_ID_PATTERN.source }, description: `${w.noun} run id` };
    const view = (description: string) => ({ description, ...ref(`${name}View`) });
    paths[base] = {
      post: {
        operationId: `start${name}`,
        summary: `Start a ${w.noun}`,
        requestBody: { required: true, ...ref(`${name}Request`) },
        responses: {
          202: { ...view('Started'), headers: retryAfter },
          400: fieldErrors('Invalid request: every bad field is listed'),
          409: { description: 'A run for the same target is still running', ...ref('Conflict') },
          422: fieldErrors('Well-formed but unusable, e.g. a credential name that is not stored'),
          ...unauthorized,
        },
      },
      get: {
        operationId: `list${name}`,
        parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string' }, description: `Comma-separated: ${RUN_STATUSES.join(', ')} (or waiting)` }],
        responses: { 200: { description: 'Runs, newest first', ...ref(`${name}List`) }, 400: fieldErrors('Unknown status'), ...unauthorized },
      },
    };
    paths[`${base}/plans`] = {
      post: {
        operationId: `plan${name}`,
        summary: `What a ${w.noun} would change, step by step; writes nothing`,
        requestBody: { required: true, ...ref(`${name}Request`) },
        responses: { 200: view('The plan: each step with its action and field changes (secret values masked)'), 202: { ...view('Still planning'), headers: retryAfter }, 400: fieldErrors('Invalid request'), 422: fieldErrors('Unusable request'), ...unauthorized },
      },
    };
    paths[`${base}/{id}`] = {
      get: {
        operationId: `get${name}`,
        parameters: [idParam],
        responses: { 200: view('Ended: status, steps, result or error'), 202: { ...view('Not ended yet: poll again after Retry-After'), headers: retryAfter }, 404: error('No such run'), ...unauthorized },
      },
      delete: { operationId: `stop${name}`, parameters: [idParam], responses: { 202: { description: 'Terminating' }, 404: error('No such run'), 409: error('Not running'), ...unauthorized } },
    };
    paths[`${base}/{id}/manual-steps/{step}`] = {
      post: {
        operationId: `confirm${name}ManualStep`,
        summary: 'Confirm that a person did the manual step; the run checks it and continues',
        parameters: [idParam, { name: 'step', in: 'path', required: true, schema: { type: 'string', enum: w.steps.map((s) => s.id) } }],
        requestBody: { required: false, ...inline(ManualStepConfirmation, 'input') },
        responses: { 202: { description: 'Resumed' }, 404: error('No such run'), 409: error('Not waiting for this step'), ...unauthorized },
      },
    };
    paths[`${base}/{id}/attachments/{name}`] = {
      get: {
        operationId: `get${name}Attachment`,
        parameters: [idParam, { name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: "A manual step's attachment, e.g. the certificate to upload" }, 404: error('No such run or attachment'), ...unauthorized },
      },
    };
  }

  const document = {
    openapi: '3.1.0',
    info: {
      title: 'SAP trust automation',
      version,
      description: 'Durable, idempotent SAP trust workflows. Requests carry credential NAMES; credentials are stored with PUT /api/credentials/{name} and never returned.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    paths: {
      ...paths,
      '/api/credentials/{name}': {
        put: {
          operationId: 'storeCredential',
          summary: 'Store a credential (write-only: no route ever returns it)',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-zA-Z-]{1,127}$' } }],
          requestBody: { required: true, ...ref('CredentialPut') },
          responses: { 204: { description: 'Stored' }, 400: fieldErrors('Invalid name or body'), ...unauthorized },
        },
        get: {
          operationId: 'getCredentialMetadata',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Metadata only, never the value', ...ref('CredentialMetadata') }, 404: error('Not stored'), ...unauthorized },
        },
      },
      '/api/certificates': {
        get: {
          operationId: 'getCertificateReport',
          summary: 'Every recorded tenant with the certificate it trusts, its days left and the last check and rotation, most urgent first',
          responses: { 200: { description: 'The certificate report, from the tenant registry; corrupt rows are listed under skipped', ...ref('CertificateReport') }, ...unauthorized },
        },
      },
      '/api/openapi.json': { get: { operationId: 'getOpenApi', responses: { 200: { description: 'This document' } } } },
      '/api/health': { get: { operationId: 'health', security: [], responses: { 200: { description: 'Up', ...inline(Health, 'output') } } } },
    },
    components: {
      schemas: components,
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
    },
  };
  addEdgeResponses(document.paths as Record<string, Record<string, Operation>>, { error, fieldErrors, settingsUnavailable: { description: "The app's settings are invalid", ...ref('SettingsUnavailable') } });
  return document;
}

interface Operation {
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/** What the HTTP edge answers on every route (functions/http: jsonBody.ts, routeParams.ts, settingsGate.ts). */
function addEdgeResponses(
  paths: Record<string, Record<string, Operation>>,
  answers: { error: (d: string) => unknown; fieldErrors: (d: string) => unknown; settingsUnavailable: unknown },
): void {
  for (const operation of Object.values(paths).flatMap((operations) => Object.values(operations))) {
    const responses = operation.responses;
    if (operation.requestBody) {
      responses[413] ??= answers.error('The body (or a credential value) is larger than the route takes');
      responses[415] ??= answers.error('The body is not sent as Content-Type: application/json');
      responses[400] ??= answers.fieldErrors('The body is not UTF-8 JSON, or nests too deep');
    }
    if (operation.parameters?.some((p) => p.in === 'path')) responses[400] ??= answers.fieldErrors('A path parameter is malformed');
    responses[503] = answers.settingsUnavailable;
  }
}

/** One registry per direction, so shared sub-schemas are emitted once and referenced by component URI. */
function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries(schemas)) registry.add(s, { id });
  const { schemas: out } = z.toJSONSchema(registry, { io, unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` }) as unknown as {
    schemas: Record<string, JsonSchema>;
  };
  for (const json of Object.values(out)) {
    delete json.$schema;
    delete json.$id;
  }
  return out;
}
