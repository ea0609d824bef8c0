/**
 * Where SAP credentials live: the Destination service key and the SAP_COM_0A48 user the administrator
 * stored, and the communication-user passwords the onboarding generates. Callers hold secret NAMES;
 * only the activity that needs a value reads it, and no value ever appears in an error or a log.
 */

export interface SecretMeta {
  /** Free-form hint stored beside the value (Key Vault contentType, max 255 chars). */
  contentType: string;
  tags: Record<string, string>;
}

/** Everything about a secret except its value: what `GET /api/credentials/{name}` may show. */
export interface SecretProperties {
  name: string;
  contentType?: string;
  tags: Record<string, string>;
  updatedOn?: string;
}

export interface SecretStore {
  /** The current value, or undefined when no secret has this name. */
  get(name: string): Promise<string | undefined>;
  /** Stores a new value (Key Vault: a new version). */
  set(name: string, value: string, meta: SecretMeta): Promise<void>;
  exists(name: string): Promise<boolean>;
  properties(name: string): Promise<SecretProperties | undefined>;
  /**
   * Returns the stored value when the secret exists, unchanged; otherwise stores `generate()` and
   * returns it. Activities run at least once, so a retried activity must get the password it stored
   * on its first run, not a new one.
   */
  getOrCreate(name: string, generate: () => string | Promise<string>, meta: SecretMeta): Promise<string>;
  /** Removes the secret (an offboarding): true when it existed, false when there was none. */
  delete(name: string): Promise<boolean>;
}

export type SecretStoreKind = 'file' | 'keyvault';

/** A failed secret-store call. Names the secret and the operation, never the value. */
export class SecretStoreError extends Error {
  constructor(
    readonly store: SecretStoreKind,
    readonly operation: 'get' | 'set' | 'exists' | 'properties' | 'getOrCreate' | 'delete',
    readonly secretName: string,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`SecretStoreError(${store}): ${operation} "${secretName}": ${reason}`);
    this.name = 'SecretStoreError';
  }
}
