/** Where a communication user is used outside this onboarding's own system: the systems and their arrangements, in Fiori's words. */
import type { S4Client } from '../../../shared/sap/s4';

export async function usageOfUser(s4: S4Client, userId: string, ourSystemId: string): Promise<string[]> {
  const systemIds = [...new Set((await s4.systems.findUsingUser(userId)).map((u) => u.systemId))].filter((id) => id !== ourSystemId);
  return Promise.all(
    systemIds.map(async (systemId) => {
      const names = (await s4.arrangements.listBySystem(systemId)).map((a) => `${a.Name} (${a.CommunicationScenarioID})`);
      return `communication system ${systemId}${names.length ? ` with arrangement${names.length > 1 ? 's' : ''} ${names.join(', ')}` : ''}`;
    }),
  );
}
