/** Communication systems and their inbound users (service aps_com_cs_a4c_odata, contracts B.4). */
import { z } from 'zod';
import { odataEq, odataGuid } from './odataLiteral';
import { odataCollection, S4ODataService } from './odataService';
import type { S4Connection } from './s4Connection';
import { INBOUND_USER_ENTITY_SET, samlBearerInboundUser } from './unconfirmedFields';

const str = z.string().nullable().optional();

export const InboundUser = z.looseObject({
  UUID: z.string(),
  CommunicationSystemUUID: str,
  CommunicationUserID: str,
  OAuth2ClientID: str,
  AuthenticationMethod: str,
  OAuth2GrantType: str,
});
export type InboundUser = z.infer<typeof InboundUser>;

/** Field names of the OAuth 2.0 IdP part live in unconfirmedFields.ts; here they are just strings. */
export const CommunicationSystem = z.looseObject({
  UUID: z.string(),
  ID: z.string(),
  Name: str,
  Type: str,
  HostName: str,
  IsInboundOnly: z.boolean().nullable().optional(),
  InboundUsers: z.array(InboundUser).optional(),
});
export type CommunicationSystem = z.infer<typeof CommunicationSystem> & Record<string, unknown>;

const SET = 'CommunicationSystems';
const returnRepresentation = { Prefer: 'return=representation' };

/** One inbound user of a communication system that references a communication user. */
export interface CommunicationUserUsage {
  systemUUID: string;
  /** The business System ID, as the Fiori app shows it. */
  systemId: string;
  systemName?: string;
  inboundUserUUID: string;
  /** `basic`, `oauth2`, `x509`, ... (contracts B.4). */
  authenticationMethod?: string;
  /** For `oauth2`: `saml2-bearer`, `client_credentials`, ... */
  oauth2GrantType?: string;
}

export interface CommunicationSystemCreate {
  id: string;
  name: string;
  /** Host name of the system (BTP side); only for documentation in S/4 when inbound-only. */
  hostName?: string;
  /** Extra fields, e.g. oauth2IdentityProviderFields(...) from unconfirmedFields.ts. */
  fields?: Record<string, string | boolean | number>;
}

export function createCommunicationSystemsClient(connection: S4Connection) {
  const odata = new S4ODataService(connection, 'aps_com_cs_a4c_odata');
  const byKey = (uuid: string) => `${SET}(${odataGuid(uuid)})`;

  async function getByUUID(uuid: string): Promise<CommunicationSystem | undefined> {
    const res = await odata.call({ operation: `${SET} get`, method: 'GET', path: byKey(uuid), query: { $expand: 'InboundUsers' }, acceptStatus: [404] });
    return res.status === 404 ? undefined : (CommunicationSystem.parse(res.data) as CommunicationSystem);
  }

  async function listInboundUsers(systemUUID: string): Promise<InboundUser[]> {
    const res = await odata.call({ operation: 'InboundUsers list', method: 'GET', path: `${byKey(systemUUID)}/InboundUsers`, schema: odataCollection(InboundUser) });
    return res.data.value;
  }

  return {
    getByUUID,
    listInboundUsers,

    /** By the business System ID, with its inbound users expanded; `renewCsrfToken` before writes that must not wait for a new token. */
    async findById(id: string, options: { renewCsrfToken?: boolean } = {}): Promise<CommunicationSystem | undefined> {
      const res = await odata.call({
        operation: `${SET} find`,
        method: 'GET',
        path: SET,
        query: { $filter: odataEq({ ID: id }), $expand: 'InboundUsers' },
        schema: odataCollection(CommunicationSystem),
        ...(options.renewCsrfToken ? { renewCsrfToken: true } : {}),
      });
      return res.data.value[0] as CommunicationSystem | undefined;
    },

    /** An inbound-only, customer-managed system. Never retried (it is a create). */
    async create(input: CommunicationSystemCreate): Promise<CommunicationSystem> {
      const body = {
        ID: input.id,
        Name: input.name,
        Type: 'customer_managed',
        IsInboundOnly: true,
        ...(input.hostName ? { HostName: input.hostName } : {}),
        ...input.fields,
      };
      const res = await odata.call({ operation: `${SET} create`, method: 'POST', path: SET, body, schema: CommunicationSystem });
      return res.data as CommunicationSystem;
    },

    /**
     * PATCH without asking for the entity back (OData V4's default answer, 204): one request, no body to
     * build, send or parse. For pushes that must land together, where the caller reads again only on doubt.
     */
    async update(uuid: string, changes: Record<string, string | boolean | number>): Promise<void> {
      await odata.call({ operation: `${SET} update`, method: 'PATCH', path: byKey(uuid), body: changes });
    },

    async patch(uuid: string, changes: Record<string, string | boolean | number>): Promise<CommunicationSystem> {
      const res = await odata.call({ operation: `${SET} update`, method: 'PATCH', path: byKey(uuid), body: changes, headers: returnRepresentation });
      if (res.status === 200 && res.data) return CommunicationSystem.parse(res.data) as CommunicationSystem;
      const after = await getByUUID(uuid);
      if (!after) throw new Error(`communication system ${uuid} vanished after update`);
      return after;
    },

    /** The OAuth 2.0 SAML bearer inbound user (shape: unconfirmedFields.samlBearerInboundUser). */
    async createSamlBearerInboundUser(systemUUID: string, communicationUserID: string): Promise<InboundUser> {
      const res = await odata.call({
        operation: 'InboundUsers create',
        method: 'POST',
        path: INBOUND_USER_ENTITY_SET,
        body: samlBearerInboundUser({ communicationSystemUUID: odataGuid(systemUUID), communicationUserID }),
        schema: InboundUser,
      });
      return res.data;
    },

    async patchInboundUser(uuid: string, changes: Record<string, string | boolean | number>): Promise<void> {
      await odata.call({ operation: 'InboundUsers update', method: 'PATCH', path: `${INBOUND_USER_ENTITY_SET}(${odataGuid(uuid)})`, body: changes });
    },

    /** Every inbound user, on any communication system, that references this communication user ID (`CC…`). */
    async findUsingUser(communicationUserId: string): Promise<CommunicationUserUsage[]> {
      const res = await odata.call({
        operation: 'InboundUsers find by communication user',
        method: 'GET',
        path: INBOUND_USER_ENTITY_SET,
        query: { $filter: odataEq({ CommunicationUserID: communicationUserId }) },
        schema: odataCollection(InboundUser),
      });
      const systems = new Map<string, CommunicationSystem | undefined>();
      for (const uuid of new Set(res.data.value.map((u) => u.CommunicationSystemUUID ?? ''))) {
        if (uuid) systems.set(uuid, await getByUUID(uuid));
      }
      const usages: CommunicationUserUsage[] = [];
      for (const u of res.data.value) {
        const system = systems.get(u.CommunicationSystemUUID ?? '');
        if (!system) continue; // deleted between the two reads
        usages.push({
          systemUUID: system.UUID,
          systemId: system.ID,
          ...(system.Name ? { systemName: system.Name } : {}),
          inboundUserUUID: u.UUID,
          ...(u.AuthenticationMethod ? { authenticationMethod: u.AuthenticationMethod } : {}),
          ...(u.OAuth2GrantType ? { oauth2GrantType: u.OAuth2GrantType } : {}),
        });
      }
      return usages;
    },

    /**
     * Deletes the system with its inbound and outbound users: true when deleted, false when there was
     * none. S/4 refuses (Invalid, SAP's message) while an arrangement uses it: see `arrangements.listBySystem`.
     */
    async delete(uuid: string): Promise<boolean> {
      const res = await odata.call({ operation: `${SET} delete`, method: 'DELETE', path: byKey(uuid), acceptStatus: [404] });
      return res.status !== 404;
    },

    /** One inbound user: true when deleted, false when there was none. Refused while an arrangement uses it. */
    async deleteInboundUser(uuid: string): Promise<boolean> {
      const res = await odata.call({ operation: 'InboundUsers delete', method: 'DELETE', path: `${INBOUND_USER_ENTITY_SET}(${odataGuid(uuid)})`, acceptStatus: [404] });
      return res.status !== 404;
    },
  };
}

export type CommunicationSystemsClient = ReturnType<typeof createCommunicationSystemsClient>;
