export { createSapAgent, destroySharedSapAgents, parseConnectTo, sharedSapAgent } from './agent';
export { BUILT_IN_SAP_HOST_PATTERNS, hostMatchesPattern, isSapHostAllowed, sapHostAllowlist } from './allowlist';
export { DEFAULT_SAP_TIMEOUT_MS, sapConnectionOptionsFromEnv, type SapConnectionOptions } from './connectionOptions';
export { DEFAULT_RETRY_POLICY, isSafeToRepeatByDefault, type HttpMethod, type RetryPolicy } from './retryPolicy';
export { createSapHttp, encodeQuery, type QueryValue, type SapHttp, type SapHttpConfig, type SapRequest, type SapResponse } from './sapHttp';
export { parseRetryAfter, parseSapMessage } from './sapMessage';
export { createAuthenticatedApi, type AuthenticatedApi, type AuthenticatedApiConfig, type SapAuthentication, type SapCall } from './authenticatedApi';
export { tokenCache, type AccessTokens, type IssuedToken, type TokenCache } from './tokenCache';
