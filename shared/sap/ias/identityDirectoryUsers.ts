/**
 * Identity Directory users over SCIM 2.0 (`/scim/Users`, contracts C.6, S-TF internal/cli/users.go):
 * read only, the e-mail addresses of every user, for the uniqueness BTP needs (seed 001).
 */
import { z } from 'zod';
import { createAuthenticatedApi, type SapHttp } from '../http';
import { createIasTokenProvider, iasHttp, pinnedIasTenantHost, type IasConnection, type TokenProvider } from './iasToken';

const ScimUser = z.looseObject({
  id: z.string(),
  userName: z.string().optional(),
  emails: z.array(z.looseObject({ value: z.string(), primary: z.boolean().optional() })).optional(),
});
export type ScimUser = z.infer<typeof ScimUser>;

const ScimPage = z.looseObject({
  totalResults: z.number().int(),
  itemsPerPage: z.number().int().optional(),
  startIndex: z.number().int().optional(),
  Resources: z.array(ScimUser).default([]),
});

const PAGE_SIZE = 100;
/** A tenant with more users is read only this far; the check says so. */
export const MAX_USERS_READ = 50_000;

export interface IasIdentityDirectoryUsers {
  /** Every user (up to MAX_USERS_READ) and whether the list was cut off. */
  list(): Promise<{ users: ScimUser[]; complete: boolean }>;
}

export function createIasIdentityDirectoryUsers(connection: IasConnection, deps: { http?: SapHttp; tokens?: TokenProvider } = {}): IasIdentityDirectoryUsers {
  const http = deps.http ?? iasHttp(connection);
  const tokens = deps.tokens ?? createIasTokenProvider(connection, http);
  const { call } = createAuthenticatedApi({ http, baseUrl: `https://${pinnedIasTenantHost(connection.tenantHost)}/scim/`, auth: { bearer: tokens } });
  return {
    async list() {
      const users: ScimUser[] = [];
      for (let startIndex = 1; users.length < MAX_USERS_READ; startIndex += PAGE_SIZE) {
        const res = await call({
          operation: 'Identity Directory users list',
          method: 'GET',
          path: 'Users',
          headers: { Accept: 'application/scim+json' },
          query: { startIndex, count: PAGE_SIZE, attributes: 'emails,userName' },
          schema: ScimPage,
        });
        users.push(...res.data.Resources);
        if (res.data.Resources.length === 0 || startIndex + res.data.Resources.length > res.data.totalResults) return { users, complete: true };
      }
      return { users, complete: false };
    },
  };
}
