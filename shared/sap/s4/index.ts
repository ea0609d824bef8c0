export { createCommunicationArrangementsClient, CommunicationArrangement, type CommunicationArrangementsClient } from './communicationArrangements';
export { createCommunicationSystemsClient, CommunicationSystem, InboundUser, type CommunicationSystemCreate, type CommunicationSystemsClient, type CommunicationUserUsage } from './communicationSystems';
export { createCommunicationUsersClient, CommunicationUser, type CommunicationUsersClient } from './communicationUsers';
export { capabilitiesFromModels, missingWrites, parseEdmx, readCertificateUploadByApi, readS4Capabilities, type S4Capabilities } from './metadata';
export { odataEq, odataGuid, odataString } from './odataLiteral';
export { s4ServiceRoot, s4TenantOf, type S4Connection, type S4ServiceName } from './s4Connection';
export * as unconfirmedFields from './unconfirmedFields';

import { createCommunicationArrangementsClient } from './communicationArrangements';
import { createCommunicationSystemsClient } from './communicationSystems';
import { createCommunicationUsersClient } from './communicationUsers';
import { readCertificateUploadByApi, readS4Capabilities } from './metadata';
import type { S4Connection } from './s4Connection';

/**
 * All SAP_COM_0A48 clients of one tenant, each built at its first use: the certificate check builds a
 * client per tenant and reads only its communication system.
 */
export function createS4Client(connection: S4Connection) {
  let users: ReturnType<typeof createCommunicationUsersClient> | undefined;
  let systems: ReturnType<typeof createCommunicationSystemsClient> | undefined;
  let arrangements: ReturnType<typeof createCommunicationArrangementsClient> | undefined;
  return {
    get users() {
      return (users ??= createCommunicationUsersClient(connection));
    },
    get systems() {
      return (systems ??= createCommunicationSystemsClient(connection));
    },
    get arrangements() {
      return (arrangements ??= createCommunicationArrangementsClient(connection));
    },
    capabilities: () => readS4Capabilities(connection),
    /** Whether the signing certificate can be written by API: one `$metadata` read (rotation, repair). */
    certificateUploadByApi: () => readCertificateUploadByApi(connection),
  };
}
export type S4Client = ReturnType<typeof createS4Client>;
