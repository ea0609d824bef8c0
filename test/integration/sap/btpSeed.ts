/** A sandbox subaccount seed and the matching Destination service key, for the BTP client tests. */
export const SUBACCOUNT_GUID = '0f1e2d3c-4b5a-4697-8877-665544332211';
export const REGION = 'eu10';
export const SUBDOMAIN = 'clienttests';
export const CLIENT_SECRET = 'destination-client-secret-ZYX987654321';

export const serviceKey = {
  clientid: 'sb-clone-destination!b101|destination-xsappname!b404',
  clientsecret: CLIENT_SECRET,
  url: `https://${SUBDOMAIN}.authentication.${REGION}.hana.ondemand.com`,
  uri: `https://destination-configuration.cfapps.${REGION}.hana.ondemand.com`,
  uaadomain: `authentication.${REGION}.hana.ondemand.com`,
  identityzone: SUBDOMAIN,
  tenantid: SUBACCOUNT_GUID,
  instanceid: 'a1b2c3d4-0000-4000-8000-000000000001',
  'credential-type': 'binding-secret',
  verificationkey: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----',
  xsappname: 'clone-destination!b101|destination-xsappname!b404',
};

export const subaccountSeed = { guid: SUBACCOUNT_GUID, region: REGION, subdomain: SUBDOMAIN, serviceKey };
