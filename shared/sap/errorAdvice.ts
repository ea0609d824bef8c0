/**
 * What an administrator should do about a SapError, per API and kind, in the words of that API's
 * admin UI: "the user is not locked" is S/4 advice, a rotated client secret is BTP advice. Uses the
 * stored credential's name when the client was built from one, never a value.
 */
import { CREDENTIAL_KIND, systemLabel, type SapApi, type SapError, type SapErrorKind } from './errors';

type Advice = (e: SapError, credential: string) => string;

const storeAgain = (e: SapError) => (e.credential ? ` Store the current one with PUT /api/credentials/${e.credential}.` : '');

const BY_API: Partial<Record<SapApi, Partial<Record<SapErrorKind, Advice>>>> = {
  S4: {
    Unauthorized: (e, credential) =>
      `Check ${credential}: its user name and password must be those of the communication user in Maintain Communication Users on tenant ${e.system}, the user must not be locked, and it must be the inbound user of the SAP_COM_0A48 arrangement.${storeAgain(e)}`,
    Forbidden: (e) =>
      `The SAP_COM_0A48 arrangement on tenant ${e.system} does not allow ${e.operation}: check in Communication Arrangements that it is active and that its inbound user is the stored one.`,
    Conflict: (e) => `An object on tenant ${e.system} already holds this name or changed meanwhile: choose another name, or adopt the existing object.`,
    NotFound: (e) => `Tenant ${e.system} has no such object: check the IDs in the request, or whether someone deleted it in the Fiori apps.`,
  },
  Destination: {
    Unauthorized: (e, credential) =>
      `The client secret of ${credential} may have been rotated, or the key deleted: copy the current service key of the Destination service instance from the BTP cockpit.${storeAgain(e)}`,
    Forbidden: (e, credential) => `${credential} may not do ${e.operation}: use a key of a Destination service instance (plan lite) in subaccount ${e.system}.`,
    Conflict: (e) => `Subaccount ${e.system} already has this destination, or it changed since it was read: run again to read it afresh, or choose another destination name.`,
    NotFound: (e) => `Subaccount ${e.system} has no such object: check the subaccount and the names in the request.`,
  },
  Xsuaa: {
    Unauthorized: (e, credential) =>
      `The client secret of ${credential} may have been rotated, or the key deleted: copy the current service key of the Destination service instance from the BTP cockpit.${storeAgain(e)}`,
  },
  Ias: {
    Unauthorized: (e, credential) =>
      `Identity Authentication tenant ${e.system} refused ${credential}: its secret may have expired or been revoked. Create a new secret for the administrator (system) under Users & Authorizations > Administrators.${storeAgain(e)}`,
    Forbidden: (_e, credential) => `Give the administrator (system) behind ${credential} the authorization "Manage Applications" under Users & Authorizations > Administrators.`,
    Conflict: (e) => `Tenant ${e.system} already has an application of this name: choose another name, or adopt the existing application.`,
  },
  Neo: {
    Unauthorized: (e, credential) =>
      `Check ${credential}: the client ID and secret must be those of a platform API client under Security > OAuth > Platform API Clients in the Neo cockpit.${storeAgain(e)}`,
    Forbidden: (_e, credential) =>
      `Give ${credential} the scopes Read Trust Settings and Manage Trust Settings (Neo cockpit, Security > OAuth > Platform API Clients).`,
    NotFound: (e) =>
      `Check the subaccount's technical name and landscape host (Neo cockpit, subaccount overview). If they are right, the subaccount uses the platform default trust (SAP ID service): there is no custom configuration on ${e.system} to export; import one first or export another subaccount.`,
  },
};

function generic(e: SapError, credential: string): string {
  const who = systemLabel(e.api, e.system);
  switch (e.kind) {
    case 'Unauthorized':
      return `Check ${credential}.${storeAgain(e)}`;
    case 'Forbidden':
      return `Give ${credential} the authorization for ${e.operation} on ${who}.`;
    case 'NotFound':
      return `Check that the object exists on ${who}, and that the host and IDs in the request are right.`;
    case 'Conflict':
      return `Another object on ${who} holds this name or changed meanwhile; choose another name, or adopt the existing object.`;
    case 'Transient': {
      const wait = e.retryAfterMs !== undefined ? ` SAP asked to wait ${Math.ceil(e.retryAfterMs / 1000)} s.` : '';
      return `${who} is busy or unreachable; the run retries by itself.${wait} If it keeps failing, check the system's availability and the network path to it.`;
    }
    default:
      return e.status === undefined
        ? `Check the host names in the request and the SAP connection settings (SAP_HOST_ALLOWLIST_EXTRA, SAP_EXTRA_CA_FILE).`
        : `Correct what SAP's message names, then start again.`;
  }
}

/** The fix for a SapError, for the workflow layer's failure text. */
export function adviceFor(e: SapError): string {
  const credential = `the ${CREDENTIAL_KIND[e.api]}${e.credential ? ` stored as ${e.credential}` : ''}`;
  const specific = BY_API[e.api]?.[e.kind];
  return specific ? specific(e, credential) : generic(e, credential);
}
