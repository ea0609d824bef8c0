/**
 * Telemetry's settings, as the Functions platform names them: APPLICATIONINSIGHTS_CONNECTION_STRING
 * (on when set) and APPLICATIONINSIGHTS_AUTHENTICATION_STRING (`Authorization=AAD;ClientId=<client id>`:
 * Entra authentication with the app's user-assigned identity, needed when the Application Insights
 * resource has local authentication off, as infra/ deploys it).
 */
export interface TelemetryOptions {
  connectionString: string;
  /** Entra (AAD) authentication: with this managed identity client id, or the system-assigned one. */
  entra?: { clientId?: string };
}

export type TelemetryEnv = Record<string, string | undefined>;

/** The problem with APPLICATIONINSIGHTS_AUTHENTICATION_STRING, or undefined when it is unset or well-formed. */
export function authenticationStringProblem(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const pairs = value.split(';').filter((p) => p.trim() !== '');
  const parsed = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return 'must be "Authorization=AAD" or "Authorization=AAD;ClientId=<client id of the managed identity>"';
    parsed.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  if (parsed.get('authorization') !== 'AAD') return 'must contain Authorization=AAD (the only method Application Insights offers)';
  const clientId = parsed.get('clientid');
  if (clientId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) return 'ClientId must be the GUID of the managed identity';
  return undefined;
}

export function telemetryOptionsFromEnv(env: TelemetryEnv): TelemetryOptions | undefined {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return undefined;
  const auth = env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING?.trim();
  if (!auth || authenticationStringProblem(auth)) return { connectionString };
  const clientId = /(?:^|;)\s*clientid\s*=\s*([^;]+)/i.exec(auth)?.[1]?.trim();
  return { connectionString, entra: clientId ? { clientId } : {} };
}
