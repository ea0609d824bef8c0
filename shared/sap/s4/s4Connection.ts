/** How to reach one S/4HANA Cloud tenant's SAP_COM_0A48 services (contracts B.1, B.2). */
import type { SapConnectionOptions } from '../http';

export interface S4Connection {
  /** The API host with `-api`, e.g. `my100001-api.s4hana.ondemand.com` or `my100001-api.s4hana.cloud.sap`. */
  apiHost: string;
  /** The SAP_COM_0A48 bootstrap communication user, read by the caller from the secret store. */
  user: string;
  password: string;
  options: SapConnectionOptions;
  /** Optional `sap-client` query parameter. */
  sapClient?: string;
  /** The name of the secret the user was read from (e.g. `s4-my100001-sap-com-0a48-user`), for errors and advice. */
  credential?: string;
}

export type S4ServiceName = 'aps_com_cu_a4c_odata' | 'aps_com_cs_a4c_odata' | 'aps_com_ca_a4c_odata';

export function s4ServiceRoot(apiHost: string, service: S4ServiceName): string {
  return `https://${apiHost}/sap/opu/odata4/sap/${service}/srvd_a2x/sap/${service}/0001/`;
}

/** `my100001-api.s4hana.ondemand.com` → `my100001` (the tenant as errors and logs name it). */
export function s4TenantOf(apiHost: string): string {
  return apiHost.split('.')[0].replace(/-api$/, '');
}
