import type { Settings } from '../config/settings';
import { fileSecretStore } from './fileSecretStore';
import { keyVaultSecretStore, type KeyVaultSecretStoreOptions } from './keyVaultSecretStore';
import type { SecretStore } from './secretStore';

/** The store SECRET_STORE selects. Key Vault options (credential, client options) can be injected. */
export function secretStoreFromSettings(
  settings: Pick<Settings, 'secretStore' | 'keyVaultUrl' | 'paths'>,
  keyVault: Omit<KeyVaultSecretStoreOptions, 'vaultUrl'> = {},
): SecretStore {
  if (settings.secretStore === 'keyvault') {
    if (!settings.keyVaultUrl) throw new Error('SECRET_STORE=keyvault needs KEY_VAULT_URL');
    return keyVaultSecretStore({ vaultUrl: settings.keyVaultUrl, ...keyVault });
  }
  return fileSecretStore({ dir: settings.paths.secrets });
}
