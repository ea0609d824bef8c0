/** Communication users (service aps_com_cu_a4c_odata, contracts B.3). */
import { z } from 'zod';
import { odataEq, odataString } from './odataLiteral';
import { odataCollection, S4ODataService } from './odataService';
import type { S4Connection } from './s4Connection';

export const CommunicationUser = z.looseObject({
  ID: z.string(),
  Name: z.string(),
  Description: z.string().nullable().optional(),
  Type: z.string().nullable().optional(),
  IsLocked: z.boolean().nullable().optional(),
  LockStatus: z.string().nullable().optional(),
  PasswordStatus: z.string().nullable().optional(),
});
export type CommunicationUser = z.infer<typeof CommunicationUser>;

const SET = 'CommunicationUsers';
const returnRepresentation = { Prefer: 'return=representation' };

export function createCommunicationUsersClient(connection: S4Connection) {
  const odata = new S4ODataService(connection, 'aps_com_cu_a4c_odata');
  const byKey = (id: string) => `${SET}(${odataString(id)})`;

  async function getById(id: string): Promise<CommunicationUser | undefined> {
    const res = await odata.call({ operation: `${SET} get`, method: 'GET', path: byKey(id), acceptStatus: [404] });
    return res.status === 404 ? undefined : CommunicationUser.parse(res.data);
  }

  return {
    getById,

    async findByName(name: string): Promise<CommunicationUser | undefined> {
      const res = await odata.call({ operation: `${SET} find`, method: 'GET', path: SET, query: { $filter: odataEq({ Name: name }) }, schema: odataCollection(CommunicationUser) });
      return res.data.value[0];
    },

    /** Creates the user; Conflict/Invalid with SAP's message when the name is taken. Never retried. */
    async create(input: { name: string; description: string; password: string; type?: 'customer_communication' }): Promise<CommunicationUser> {
      const res = await odata.call({
        operation: `${SET} create`,
        method: 'POST',
        path: SET,
        body: { Name: input.name, Description: input.description, Type: input.type ?? 'customer_communication', Password: input.password },
        schema: CommunicationUser,
      });
      return res.data;
    },

    /** PATCH of description and/or password; returns the user as S/4 holds it afterwards. */
    async update(id: string, changes: { description?: string; password?: string }): Promise<CommunicationUser> {
      const body: Record<string, string> = {};
      if (changes.description !== undefined) body.Description = changes.description;
      if (changes.password !== undefined) body.Password = changes.password;
      const res = await odata.call({ operation: `${SET} update`, method: 'PATCH', path: byKey(id), body, headers: returnRepresentation });
      if (res.status === 200 && res.data) return CommunicationUser.parse(res.data);
      const after = await getById(id);
      if (!after) throw new Error(`communication user ${id} vanished after update`);
      return after;
    },

    /**
     * true when deleted, false when there was no such user. S/4 refuses (Invalid, SAP's message)
     * while a communication system's inbound user still references it: find those with
     * `systems.findUsingUser(id)` first.
     */
    async delete(id: string): Promise<boolean> {
      const res = await odata.call({ operation: `${SET} delete`, method: 'DELETE', path: byKey(id), acceptStatus: [404] });
      return res.status !== 404;
    },
  };
}

export type CommunicationUsersClient = ReturnType<typeof createCommunicationUsersClient>;
