/**
 * OpenAPI 3.1 for the product's HTTP API, generated from the same zod schemas the functions
 * validate with (zod 4's z.toJSONSchema; OpenAPI 3.1 uses JSON Schema 2020-12 as is).
 */
import { z } from 'zod';
import { OnboardingRequest } from './onboardingRequest';
import {
  ConflictBody,
  CredentialMetadata,
  CredentialPut,
  ErrorBody,
  FieldErrorsBody,
  Health,
  ManualStepConfirmation,
  OnboardingList,
  OnboardingStatus,
  OnboardingStepId,
  OnboardingView,
  SettingsUnavailableBody,
} from './onboardingApi';
import { INSTANCE_ID_PATTERN } from './instanceId';

export interface OpenApiOptions {
  /** e.g. `https://my-func.azurewebsites.net`; default: relative. */
  serverUrl?: string;
  version?: string;
}

type JsonSchema = Record<string, unknown>;

export function buildOpenApiDocument({ serverUrl, version = '0.1.0' }: OpenApiOptions = {}): Record<string, unknown> {
  // Named schemas become components, referenced by $ref; requests are documented as sent (input),
  // responses as returned (output).
  const requests: Record<string, z.ZodType> = { OnboardingRequest, CredentialPut };
  const responses: Record<string, z.ZodType> = {
    OnboardingView,
    OnboardingList,
    FieldErrors: FieldErrorsBody,
    Conflict: ConflictBody,
    Error: ErrorBody,
    CredentialMetadata,
    SettingsUnavailable: SettingsUnavailableBody,
  };
  const components = { ...componentSchemas(requests, 'input'), ...componentSchemas(responses, 'output') };
  const nameOf = new Map<z.ZodType, string>([...Object.entries(requests), ...Object.entries(responses)].map(([n, s]) => [s, n]));
  const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
    const name = nameOf.get(s);
    if (name) return { $ref: `#/components/schemas/${name}` };
    const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete json.$schema;
    return json;
  };
  const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ content: { 'application/json': { schema: schema(s, io) } } });
  const fieldErrors = (description: string) => ({ description, ...json(FieldErrorsBody, 'output') });
  const error = (description: string) => ({ description, ...json(ErrorBody, 'output') });
  const view = (description: string) => ({ description, ...json(OnboardingView, 'output') });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: INSTANCE_ID_PATTERN.source }, description: 'Onboarding id, e.g. onboard-my100001-<subaccount>' };
  const unauthorized = { 401: { description: 'Missing or wrong function key' } };

  const document = {
    openapi: '3.1.0',
    info: {
      title: 'SAP trust onboarding',
      version,
      description: 'Durable, idempotent onboarding of SAP S/4HANA Cloud tenants to SAP BTP subaccounts. Requests carry credential NAMES; credentials are stored with PUT /api/credentials/{name} and never returned.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    paths: {
      '/api/onboardings': {
        post: {
          operationId: 'startOnboarding',
          summary: 'Onboard an S/4HANA Cloud tenant to a BTP subaccount',
          requestBody: { required: true, ...json(OnboardingRequest, 'input') },
          responses: {
            202: { ...view('Started'), headers: { Location: { schema: { type: 'string' } } } },
            400: fieldErrors('Invalid request: every bad field is listed'),
            409: { description: 'A run for this tenant and subaccount is still running', ...json(ConflictBody, 'output') },
            422: fieldErrors('Well-formed but unusable, e.g. a credential name that is not stored'),
            ...unauthorized,
          },
        },
        get: {
          operationId: 'listOnboardings',
          parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string' }, description: `Comma-separated: ${OnboardingStatus.options.join(', ')}` }],
          responses: { 200: { description: 'Onboardings', ...json(OnboardingList) }, 400: fieldErrors('Unknown status'), ...unauthorized },
        },
      },
      '/api/onboardings/{id}': {
        get: { operationId: 'getOnboarding', parameters: [idParam], responses: { 200: view('Status, steps, manual action, result'), 404: error('No such onboarding'), ...unauthorized } },
        delete: {
          operationId: 'terminateOnboarding',
          parameters: [idParam],
          responses: { 202: { description: 'Terminated' }, 404: error('No such onboarding'), 409: error('Not running'), ...unauthorized },
        },
      },
      '/api/onboardings/{id}/manual-steps/{step}': {
        post: {
          operationId: 'confirmManualStep',
          summary: 'Confirm that a person did the manual step; the run reads the system back and verifies it',
          parameters: [idParam, { name: 'step', in: 'path', required: true, schema: schema(OnboardingStepId) }],
          requestBody: { required: false, ...json(ManualStepConfirmation, 'input') },
          responses: { 202: { description: 'Resumed' }, 404: error('No such onboarding'), 409: error('Not waiting for this step'), ...unauthorized },
        },
      },
      '/api/onboardings/{id}/certificate': {
        get: {
          operationId: 'getManualStepCertificate',
          parameters: [idParam],
          responses: { 200: { description: 'The trust certificate to upload', content: { 'application/x-pem-file': { schema: { type: 'string' } } } }, 404: error('No such onboarding or no certificate yet'), ...unauthorized },
        },
      },
      '/api/credentials/{name}': {
        put: {
          operationId: 'storeCredential',
          summary: 'Store a credential (write-only: no route ever returns it)',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-zA-Z-]{1,127}$' } }],
          requestBody: { required: true, ...json(CredentialPut, 'input') },
          responses: { 204: { description: 'Stored' }, 400: fieldErrors('Invalid name or body'), ...unauthorized },
        },
        get: {
          operationId: 'getCredentialMetadata',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Metadata only, never the value', ...json(CredentialMetadata, 'output') }, 404: error('Not stored'), ...unauthorized },
        },
      },
      '/api/openapi.json': { get: { operationId: 'getOpenApi', responses: { 200: { description: 'This document' } } } },
      '/api/health': { get: { operationId: 'health', security: [], responses: { 200: { description: 'Up', ...json(Health) } } } },
    },
    components: {
      schemas: components,
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
    },
  };
  addEdgeResponses(document.paths, { error, fieldErrors, settingsUnavailable: { description: "The app's settings are invalid", ...json(SettingsUnavailableBody, 'output') } });
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
