export { validationErrors, type FieldError } from './fieldErrors';
export { SecretName } from './secretName';
export {
  OnboardingRequest,
  onboardingRequestSchema,
  DEFAULT_SCENARIO_ID,
  NAME_ID_FORMATS,
  AUTHN_CONTEXT_CLASS_REFS,
  type OnboardingRequestInput,
  type OnboardingRequestOptions,
} from './onboardingRequest';
export { checkSecretReferences } from './secretReferences';
export * from './onboardingApi';
export { buildOpenApiDocument, type OpenApiOptions } from './openapi';
