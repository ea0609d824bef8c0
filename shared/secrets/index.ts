export * from './secretStore';
export * from './secretNames';
export * from './sapPassword';
export { fileSecretStore, type FileSecretStoreOptions } from './fileSecretStore';
export { keyVaultSecretStore, type KeyVaultSecretStoreOptions } from './keyVaultSecretStore';
export { secretStoreFromSettings } from './secretStoreFromSettings';
