/**
 * From a POST body to the orchestration input: shape (400, every field error at once), then the
 * credentials it names (422), then the spec with every default resolved. Nothing here calls SAP.
 */
import { runtimeServices } from '../../shared/config/runtimeServices';
import type { Prepared } from '../../shared/workflow/defineWorkflow';
import { settings } from '../../shared/config';
import { onboardingRequestSchema, type OnboardingRequest } from '../../shared/schemas/onboardingRequest';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { checkSecretReferences } from '../../shared/schemas/secretReferences';
import { s4TenantOf } from '../../shared/secrets';
import type { OnboardingSpec } from './spec';

/** Built once per allowlist: building the schema costs more than parsing a request with it. */
const schemas = new Map<string, ReturnType<typeof onboardingRequestSchema>>();

function requestSchema(allowlistExtra: string[]) {
  const key = JSON.stringify(allowlistExtra);
  let schema = schemas.get(key);
  if (!schema) {
    schema = onboardingRequestSchema({ allowlistExtra });
    schemas.set(key, schema);
  }
  return schema;
}

export async function prepareOnboarding(body: unknown): Promise<Prepared<OnboardingSpec>> {
  const { sap, manualStepDeadlineDays } = settings();
  const schema = requestSchema(sap.allowlistExtra ?? []);
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, schema) };
  const missing = await checkSecretReferences(parsed.data, runtimeServices().secrets);
  if (missing.length > 0) return { ok: false, status: 422, fields: missing };
  return { ok: true, input: toSpec(parsed.data, manualStepDeadlineDays) };
}

export function toSpec(request: OnboardingRequest, manualStepDeadlineDays: number): OnboardingSpec {
  const tenant = s4TenantOf(request.s4.host);
  const overrides = request.destination ?? {};
  const destinationProperties: Record<string, string> = {
    ...(overrides.description ? { Description: overrides.description } : {}),
    ...(overrides.nameIdFormat ? { nameIdFormat: overrides.nameIdFormat } : {}),
    ...(overrides.userIdSource ? { userIdSource: overrides.userIdSource } : {}),
    ...(overrides.authnContextClassRef ? { authnContextClassRef: overrides.authnContextClassRef } : {}),
    ...(overrides.sapClient ? { 'URL.queries.sap-client': overrides.sapClient } : {}),
    ...(overrides.additionalProperties ?? {}),
  };
  return {
    btp: {
      region: request.btp.region,
      subaccountId: request.btp.subaccountId,
      destinationServiceKeySecret: request.btp.destinationServiceKeySecret,
      destinationName: request.btp.destinationName,
      allowCertificateGeneration: request.btp.allowCertificateGeneration,
      ...(request.btp.trustCertificatePem ? { trustCertificatePem: request.btp.trustCertificatePem } : {}),
    },
    s4: {
      host: request.s4.host,
      tenant,
      uiHost: request.s4.host.replace(/^([^.]+)-api\./, '$1.'),
      bootstrapUserSecret: request.s4.bootstrapUserSecret,
      communicationUserName: request.s4.communicationUserName,
      communicationSystemId: request.s4.communicationSystemId,
      scenarioId: request.s4.scenarioId,
      arrangementName: request.s4.arrangementName,
      userIdMappingMode: request.s4.userIdMappingMode,
    },
    destinationProperties,
    manualStepDeadlineDays,
    adopt: request.adopt,
  };
}
