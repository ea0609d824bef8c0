import { keyVaultSecretStore } from '../../shared/secrets/keyVaultSecretStore';
import { SecretStoreError, type SecretStore } from '../../shared/secrets/secretStore';
import { communicationUserPasswordSecret } from '../../shared/secrets/secretNames';
import { generateSapPassword } from '../../shared/secrets/sapPassword';
import { startKeyVaultStub, stubCredential, STUB_TOKEN, type KeyVaultStub } from '../support/keyVaultStub';

describe('keyVaultSecretStore against a loopback Key Vault (real SecretClient)', () => {
  let stub: KeyVaultStub;
  let store: SecretStore;

  beforeAll(async () => {
    stub = await startKeyVaultStub();
    store = keyVaultSecretStore({
      vaultUrl: stub.url,
      credential: stubCredential,
      clientOptions: { allowInsecureConnection: true, disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
    });
  });
  afterAll(() => stub.close());

  it('stores the value with its content type and tags, and reads it back', async () => {
    const { name, meta } = communicationUserPasswordSecret('my100001-api.s4hana.ondemand.com', 'COM0501_1A2B3C4D');
    await store.set(name, 'first-value', meta);
    expect(await store.get(name)).toBe('first-value');

    // The first PUT is the SDK's body-less challenge probe; the second carries the secret.
    const put = stub.requests.find((r) => r.method === 'PUT' && r.path === `/secrets/${name}` && r.body !== undefined);
    expect(put?.body).toMatchObject({ value: 'first-value', contentType: meta.contentType, tags: meta.tags });
    expect(await store.properties(name)).toMatchObject({ name, contentType: meta.contentType, tags: meta.tags });
  });

  it('sends the Azure AD token from the credential as a Bearer token', async () => {
    await store.exists('anything');
    const authorized = stub.requests.filter((r) => r.authorization !== undefined);
    expect(authorized.length).toBeGreaterThan(0);
    expect(authorized.every((r) => r.authorization === `Bearer ${STUB_TOKEN}`)).toBe(true);
  });

  it('answers undefined / false for a secret that does not exist', async () => {
    expect(await store.get('no-such-secret')).toBeUndefined();
    expect(await store.exists('no-such-secret')).toBe(false);
    expect(await store.properties('no-such-secret')).toBeUndefined();
  });

  it('delete removes the secret, says false when there was none, and the name can be stored again', async () => {
    const { name, meta } = communicationUserPasswordSecret('my100001-api.s4hana.ondemand.com', 'COM0501_DE1E7E00');
    await store.set(name, 'to-be-deleted', meta);
    expect(await store.delete(name)).toBe(true);
    expect(stub.requests.some((r) => r.method === 'DELETE' && r.path === `/secrets/${name}`)).toBe(true);
    expect(await store.get(name)).toBeUndefined();
    expect(await store.delete(name)).toBe(false);
    await store.set(name, 'stored-again', meta);
    expect(await store.get(name)).toBe('stored-again');
  });

  it('getOrCreate keeps an existing value and writes no new version', async () => {
    const meta = { contentType: 'text/plain', tags: { purpose: 'test' } };
    const first = await store.getOrCreate('retried-activity-password', generateSapPassword, meta);
    const created = stub.secrets.get('retried-activity-password');
    expect(created?.[0]).toMatchObject({ value: first, contentType: 'text/plain', tags: { purpose: 'test' } });
    const putsBefore = stub.requests.filter((r) => r.method === 'PUT').length;
    const second = await store.getOrCreate('retried-activity-password', () => 'a-different-value', meta);
    expect(second).toBe(first);
    expect(stub.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore);
    expect(stub.secrets.get('retried-activity-password')).toHaveLength(1);
  });

  it('set writes a new version, and get returns the latest', async () => {
    const meta = { contentType: 'text/plain', tags: {} };
    await store.set('rotated', 'v1', meta);
    await store.set('rotated', 'v2', meta);
    expect(stub.secrets.get('rotated')).toHaveLength(2);
    expect(await store.get('rotated')).toBe('v2');
  });

  it('a refused write names the secret and the fix but never the value', async () => {
    stub.failNext(403, 'Forbidden');
    const secretValue = 'Sup3r-secret-value-that-must-not-leak';
    const error = await store.set('refused-secret', secretValue, { contentType: 'text/plain', tags: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toContain('refused-secret');
    expect(error.message).toContain('403');
    expect(error.status).toBe(403);
    const everything = JSON.stringify(error) + String(error.stack) + error.message + String((error as Error).cause ?? '');
    expect(everything).not.toContain(secretValue);
  });

  it('rejects an illegal secret name before calling the vault', async () => {
    const before = stub.requests.length;
    await expect(store.get('../etc/passwd')).rejects.toThrow(SecretStoreError);
    expect(stub.requests.length).toBe(before);
  });
});
