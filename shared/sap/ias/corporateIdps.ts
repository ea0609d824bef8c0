/**
 * IAS corporate identity providers (`/IdentityProviders/v1/`, S-TF internal/cli/corporateIdps.go and
 * its go-vcr recordings): read only. The product reads an IdP's identity federation settings
 * instead of asking the administrator for them.
 */
import { z } from 'zod';
import { createAuthenticatedApi, type SapHttp } from '../http';
import { createIasTokenProvider, iasHttp, pinnedIasTenantHost, type IasConnection, type TokenProvider } from './iasToken';

export const IdentityFederation = z.looseObject({
  useLocalUserStore: z.boolean().optional(),
  allowLocalUsersOnly: z.boolean().optional(),
  applyLocalIdPAuthnChecks: z.boolean().optional(),
  requiredGroups: z.array(z.string()).optional(),
});

export const CorporateIdp = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  displayName: z.string(),
  type: z.string().optional(),
  identityFederation: IdentityFederation.optional(),
});
export type CorporateIdp = z.infer<typeof CorporateIdp>;

const CorporateIdpPage = z.looseObject({
  totalResults: z.number().int().optional(),
  nextCursor: z.string().optional(),
  identityProviders: z.array(CorporateIdp).default([]),
});

const MAX_PAGES = 100;

export interface IasCorporateIdps {
  list(): Promise<CorporateIdp[]>;
}

export function createIasCorporateIdps(connection: IasConnection, deps: { http?: SapHttp; tokens?: TokenProvider } = {}): IasCorporateIdps {
  const http = deps.http ?? iasHttp(connection);
  const tokens = deps.tokens ?? createIasTokenProvider(connection, http);
  const { call } = createAuthenticatedApi({ http, baseUrl: `https://${pinnedIasTenantHost(connection.tenantHost)}/IdentityProviders/v1/`, auth: { bearer: tokens } });
  return {
    async list() {
      const all: CorporateIdp[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await call({ operation: 'Corporate identity providers list', method: 'GET', path: '', headers: { Accept: 'application/json' }, query: { cursor }, schema: CorporateIdpPage });
        all.push(...res.data.identityProviders);
        cursor = res.data.nextCursor || undefined;
        if (!cursor) return all;
      }
      return all;
    },
  };
}
