/**
 * Azure Key Vault through the real SecretClient. In Azure the credential is DefaultAzureCredential
 * (managed identity); tests pass a stub credential and point the client at a loopback stub.
 */
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { isSecretName } from './secretNames';
import { SecretStoreError, type SecretProperties, type SecretStore } from './secretStore';

export interface KeyVaultSecretStoreOptions {
  /** e.g. `https://my-vault.vault.azure.net` */
  vaultUrl: string;
  /** Default: DefaultAzureCredential from @azure/identity. */
  credential?: TokenCredential;
  clientOptions?: SecretClientOptions;
}

export function keyVaultSecretStore({ vaultUrl, credential, clientOptions }: KeyVaultSecretStoreOptions): SecretStore {
  // Loaded when the store is built, not when the app starts: the Key Vault SDK and its pipeline are a
  // large part of a cold start, and the file store never needs them.
  const { SecretClient } = require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets');
  const { isRestError } = require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
  const client = new SecretClient(vaultUrl, credential ?? defaultCredential(), clientOptions);

  /**
   * Maps SDK errors to SecretStoreError. The RestError itself is dropped, never kept as a cause: it
   * carries the request (with the value being set) and the response body (with the value read).
   */
  const failure = (operation: SecretStoreError['operation'], name: string, e: unknown): SecretStoreError => {
    if (isRestError(e)) {
      const status = e.statusCode;
      const code = e.code ? ` (${e.code})` : '';
      const hint =
        status === 401 || status === 403
          ? ': the identity of this app needs the Key Vault role "Key Vault Secrets Officer" (or get/set access policies)'
          : status === 409
            ? ': the secret is deleted but recoverable; recover or purge it in the vault'
            : '';
      return new SecretStoreError('keyvault', operation, name, `Key Vault answered ${status ?? 'without a status'}${code}${hint}`, status);
    }
    const kind = e instanceof Error ? e.name : 'unknown error';
    return new SecretStoreError('keyvault', operation, name, `could not reach Key Vault ${vaultUrl} (${kind})`);
  };

  const checkName = (operation: SecretStoreError['operation'], name: string) => {
    if (!isSecretName(name)) {
      throw new SecretStoreError('keyvault', operation, name, 'not a valid secret name (letters, digits and dashes, at most 127)');
    }
  };

  async function read(operation: SecretStoreError['operation'], name: string) {
    checkName(operation, name);
    try {
      return await client.getSecret(name);
    } catch (e) {
      if (isRestError(e) && e.statusCode === 404) return undefined;
      throw failure(operation, name, e);
    }
  }

  return {
    async get(name) {
      return (await read('get', name))?.value;
    },

    async exists(name) {
      return (await read('exists', name)) !== undefined;
    },

    async properties(name): Promise<SecretProperties | undefined> {
      const s = await read('properties', name);
      if (!s) return undefined;
      const p = s.properties;
      return { name: p.name, contentType: p.contentType, tags: { ...(p.tags ?? {}) }, updatedOn: p.updatedOn?.toISOString() };
    },

    async set(name, value, meta) {
      checkName('set', name);
      try {
        await client.setSecret(name, value, { contentType: meta.contentType, tags: meta.tags });
      } catch (e) {
        throw failure('set', name, e);
      }
    },

    /**
     * Key Vault has no create-if-absent. Read first; after a write, read the latest version back, so
     * that of two racing first runs both continue with the value that ended up current.
     */
    async getOrCreate(name, generate, meta) {
      const existing = await read('getOrCreate', name);
      if (existing?.value !== undefined) return existing.value;
      const value = await generate();
      try {
        await client.setSecret(name, value, { contentType: meta.contentType, tags: meta.tags });
      } catch (e) {
        throw failure('getOrCreate', name, e);
      }
      return (await read('getOrCreate', name))?.value ?? value;
    },

    /**
     * Deletes and, where the vault keeps deleted secrets (soft delete), purges, so that a later
     * onboarding can store a secret of the same name. Where purging is not allowed (no purge
     * permission, or purge protection), the name stays reserved until the retention ends: the next
     * onboarding's write then says to recover or purge it.
     */
    async delete(name) {
      checkName('delete', name);
      let deleted;
      try {
        deleted = await (await client.beginDeleteSecret(name)).pollUntilDone();
      } catch (e) {
        if (isRestError(e) && e.statusCode === 404) return false;
        throw failure('delete', name, e);
      }
      if (deleted.recoveryId) {
        try {
          await client.purgeDeletedSecret(name);
        } catch {
          // Deleted is what the offboarding needs; a name that stays reserved is explained on the next write.
        }
      }
      return true;
    },
  };
}

function defaultCredential(): TokenCredential {
  // Loaded only when Key Vault is used with its default credential: @azure/identity is heavy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new DefaultAzureCredential();
}
