/**
 * Everything the IAS workflows call on one tenant, built from one stored API client
 * ("system as administrator", stored as JSON `{"clientId","clientSecret"}`), sharing one token.
 */
import { z } from 'zod';
import type { SapConnectionOptions } from '../http';
import { createIasApplications, type IasApplications } from './applications';
import { createIasCorporateIdps, type IasCorporateIdps } from './corporateIdps';
import { createIasIdentityDirectoryUsers, type IasIdentityDirectoryUsers } from './identityDirectoryUsers';
import { createIasTokenProvider, iasHttp, type IasConnection } from './iasToken';

export const IasApiClientCredential = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export interface IasClients {
  applications: IasApplications;
  corporateIdps: IasCorporateIdps;
  users: IasIdentityDirectoryUsers;
}

export function createIasClients(tenantHost: string, credentials: z.infer<typeof IasApiClientCredential>, options: SapConnectionOptions, credential?: string): IasClients {
  const connection: IasConnection = { tenantHost, credentials, options, ...(credential ? { credential } : {}) };
  const http = iasHttp(connection);
  const tokens = createIasTokenProvider(connection, http);
  return {
    applications: createIasApplications(connection, { http, tokens }),
    corporateIdps: createIasCorporateIdps(connection, { http, tokens }),
    users: createIasIdentityDirectoryUsers(connection, { http, tokens }),
  };
}

/** The problem with a stored IAS API client, naming fields only; undefined when it is usable. */
export function iasApiClientProblem(value: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return 'is not JSON; store the IAS API client as {"clientId":"…","clientSecret":"…"}';
  }
  const parsed = IasApiClientCredential.safeParse(json);
  if (parsed.success) return undefined;
  return `is not an IAS API client {"clientId","clientSecret"}: bad or missing ${[...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(value)'))].join(', ')}`;
}
