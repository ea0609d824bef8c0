/** Communication arrangements (service aps_com_ca_a4c_odata, contracts B.5). */
import { z } from 'zod';
import { odataEq, odataGuid } from './odataLiteral';
import { odataCollection, S4ODataService } from './odataService';
import type { S4Connection } from './s4Connection';
import { arrangementInboundUser } from './unconfirmedFields';

const str = z.string().nullable().optional();

export const ArrangementInboundUser = z.looseObject({ CommunicationSystemInboundUserUUID: str });

export const CommunicationArrangement = z.looseObject({
  UUID: z.string(),
  CommunicationScenarioID: z.string(),
  CommunicationSystemID: z.string(),
  Name: z.string(),
  Description: str,
  InboundUser: ArrangementInboundUser.nullable().optional(),
});
export type CommunicationArrangement = z.infer<typeof CommunicationArrangement>;

const SET = 'CommunicationArrangements';
const returnRepresentation = { Prefer: 'return=representation' };

/** SAP_COM_ + 4 characters (contracts B.9 rule `SAP_COM_<number>`; S/4 IDs such as 0A48 are alphanumeric). */
export const SCENARIO_ID = /^SAP_COM_[0-9A-Z]{4}$/;
/** [a-zA-Z0-9_-], max 80 (contracts B.5, UNCONFIRMED for S/4). */
export const ARRANGEMENT_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function createCommunicationArrangementsClient(connection: S4Connection) {
  const odata = new S4ODataService(connection, 'aps_com_ca_a4c_odata');
  const byKey = (uuid: string) => `${SET}(${odataGuid(uuid)})`;
  const list = async (filter: string, operation: string) => {
    const res = await odata.call({ operation, method: 'GET', path: SET, query: { $filter: filter, $expand: 'InboundUser' }, schema: odataCollection(CommunicationArrangement) });
    return res.data.value;
  };

  async function getByUUID(uuid: string): Promise<CommunicationArrangement | undefined> {
    const res = await odata.call({ operation: `${SET} get`, method: 'GET', path: byKey(uuid), query: { $expand: 'InboundUser' }, acceptStatus: [404] });
    return res.status === 404 ? undefined : CommunicationArrangement.parse(res.data);
  }

  return {
    getByUUID,

    async findByName(name: string): Promise<CommunicationArrangement | undefined> {
      return (await list(odataEq({ Name: name }), `${SET} find`))[0];
    },

    /** Arrangements of one scenario on one system (there is at most one in practice). */
    async findByScenarioAndSystem(scenarioId: string, systemId: string): Promise<CommunicationArrangement[]> {
      return list(odataEq({ CommunicationScenarioID: scenarioId, CommunicationSystemID: systemId }), `${SET} find`);
    },

    /** Never retried (it is a create). */
    async create(input: { scenarioId: string; systemId: string; name: string; inboundUserUUID: string; description?: string }): Promise<CommunicationArrangement> {
      if (!SCENARIO_ID.test(input.scenarioId)) throw new Error(`scenario ID must look like SAP_COM_0501, got ${JSON.stringify(input.scenarioId)}`);
      if (!ARRANGEMENT_NAME.test(input.name)) throw new Error(`arrangement name must be 1-80 of [A-Za-z0-9_-], got ${JSON.stringify(input.name)}`);
      const res = await odata.call({
        operation: `${SET} create`,
        method: 'POST',
        path: SET,
        body: {
          CommunicationScenarioID: input.scenarioId,
          CommunicationSystemID: input.systemId,
          Name: input.name,
          ...(input.description ? { Description: input.description } : {}),
          InboundUser: arrangementInboundUser(odataGuid(input.inboundUserUUID)),
        },
        schema: CommunicationArrangement,
      });
      return res.data;
    },

    async patch(uuid: string, changes: { Name?: string; Description?: string }): Promise<CommunicationArrangement> {
      const res = await odata.call({ operation: `${SET} update`, method: 'PATCH', path: byKey(uuid), body: changes, headers: returnRepresentation });
      if (res.status === 200 && res.data && (res.data as { InboundUser?: unknown }).InboundUser !== undefined) return CommunicationArrangement.parse(res.data);
      const after = await getByUUID(uuid);
      if (!after) throw new Error(`communication arrangement ${uuid} vanished after update`);
      return after;
    },

    /** Every arrangement on one communication system (by its business System ID), with its scenario, name and inbound user. */
    async listBySystem(systemId: string): Promise<CommunicationArrangement[]> {
      return list(odataEq({ CommunicationSystemID: systemId }), `${SET} list by system`);
    },

    /** true when deleted, false when there was none. */
    async delete(uuid: string): Promise<boolean> {
      const res = await odata.call({ operation: `${SET} delete`, method: 'DELETE', path: byKey(uuid), acceptStatus: [404] });
      return res.status !== 404;
    },

    /** Re-points the arrangement to another inbound user of its system. */
    async setInboundUser(uuid: string, inboundUserUUID: string): Promise<void> {
      await odata.call({ operation: `${SET} set inbound user`, method: 'PATCH', path: `${byKey(uuid)}/InboundUser`, body: arrangementInboundUser(odataGuid(inboundUserUUID)) });
    },
  };
}

export type CommunicationArrangementsClient = ReturnType<typeof createCommunicationArrangementsClient>;
