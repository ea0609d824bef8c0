export { DestinationServiceKey, parseDestinationServiceKey } from './serviceKey';
export { createXsuaaTokenClient, type XsuaaTokenClient, type XsuaaTokenClientConfig } from './xsuaaToken';
