/**
 * IAS Application Directory client (`/Applications/v1/`, contracts C.2): list by name with cursor
 * paging, get, create (id from `Location`), PATCH `operations`, delete: a typed facade over the
 * authenticated API (bearer token from the tenant's token endpoint, renewed once on 401).
 */
import { SapError } from '../errors';
import { createAuthenticatedApi, type SapHttp } from '../http';
import { IasApplication, IasApplicationPage, type IasApplicationInput, type IasPatchOperation } from './applicationSchemas';
import { createIasTokenProvider, iasHttp, iasTenantHost, pinnedIasTenantHost, type IasConnection, type TokenProvider } from './iasToken';

export interface IasApplications {
  /** Every application (or those with this exact name), following `nextCursor` to the last page. */
  list(filter?: { name?: string }): Promise<IasApplication[]>;
  /** The application with this name, undefined when there is none. */
  findByName(name: string): Promise<IasApplication | undefined>;
  /** Throws IasError(NotFound) for an unknown id. */
  get(id: string): Promise<IasApplication>;
  /** Creates the application; returns the id IAS assigned (from `Location`). Never retried. */
  create(application: IasApplicationInput): Promise<string>;
  /** Applies PATCH operations (IAS answers 200 with an empty body). Not retried: `add` into arrays is not idempotent. */
  patch(id: string, operations: IasPatchOperation[]): Promise<void>;
  delete(id: string): Promise<void>;
}

const PAGE_SIZE = 100;
/** IAS caps a tenant's applications well below this; stops a server that never ends its cursor chain. */
const MAX_PAGES = 1000;

function applicationId(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new SapError({ api: 'Ias', kind: 'Invalid', system: 'IAS', operation: 'Applications', sapMessage: `application id must be a UUID, got ${JSON.stringify(id.slice(0, 80))}` });
  }
  return id.toLowerCase();
}

export function createIasApplications(connection: IasConnection, deps: { http?: SapHttp; tokens?: TokenProvider } = {}): IasApplications {
  const http = deps.http ?? iasHttp(connection);
  const tokens = deps.tokens ?? createIasTokenProvider(connection, http);

  const { call } = createAuthenticatedApi({ http, baseUrl: `https://${pinnedIasTenantHost(connection.tenantHost)}/Applications/v1/`, auth: { bearer: tokens } });
  const accept = { Accept: 'application/json' };

  async function list(filter: { name?: string } = {}): Promise<IasApplication[]> {
    const all: IasApplication[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await call({
        operation: 'Applications list',
        method: 'GET',
        path: '',
        headers: accept,
        query: { filter: filter.name !== undefined ? `name eq ${filter.name}` : undefined, limit: PAGE_SIZE, cursor },
        schema: IasApplicationPage,
      });
      all.push(...res.data.applications);
      cursor = res.data.nextCursor || undefined;
      if (!cursor) return all;
    }
    throw new SapError({ api: 'Ias', kind: 'Invalid', system: iasTenantHost(connection.tenantHost), operation: 'Applications list', sapMessage: `more than ${MAX_PAGES} pages; IAS keeps returning nextCursor` });
  }

  return {
    list,
    async findByName(name) {
      const found = await list({ name });
      return found.find((app) => app.name === name);
    },
    async get(id) {
      const res = await call({ operation: 'Applications get', method: 'GET', path: applicationId(id), headers: accept, schema: IasApplication });
      return res.data;
    },
    async create(application) {
      const res = await call({ operation: 'Applications create', method: 'POST', path: '', headers: accept, body: application });
      const location = String(res.headers.location ?? '');
      const id = /\/Applications\/v1\/([0-9a-fA-F-]{36})\/?$/.exec(location)?.[1];
      if (!id) {
        throw new SapError({ api: 'Ias', kind: 'Invalid', system: iasTenantHost(connection.tenantHost), operation: 'Applications create', status: res.status, sapMessage: `IAS answered ${res.status} without a Location header naming the new application` });
      }
      return id.toLowerCase();
    },
    async patch(id, operations) {
      await call({ operation: 'Applications patch', method: 'PATCH', path: applicationId(id), headers: accept, body: { operations } });
    },
    async delete(id) {
      await call({ operation: 'Applications delete', method: 'DELETE', path: applicationId(id), headers: accept });
    },
  };
}
