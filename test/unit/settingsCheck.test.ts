import { loadSettings, SettingsError } from '../../shared/config';
import { settingsProblems, settingsUnavailable } from '../../functions/http/settingsCheck';

const load = (env: Record<string, string>) => () => loadSettings(env, { localSettingsFile: false });

describe('settings in Azure', () => {
  const azure = { WEBSITE_INSTANCE_ID: 'a1b2c3' };

  it('a file secret store and a file registry are settings errors there (the app root is read-only)', () => {
    expect(settingsProblems(load(azure))).toEqual([
      { setting: 'SECRET_STORE', message: expect.stringMatching(/read-only: set SECRET_STORE=keyvault and KEY_VAULT_URL/) },
      { setting: 'REGISTRY_STORE', message: expect.stringMatching(/read-only: set AzureWebJobsStorage .* so the registry is a table/) },
    ]);
  });

  it('Key Vault and the memory registry are fine there', () => {
    expect(settingsProblems(load({ ...azure, SECRET_STORE: 'keyvault', KEY_VAULT_URL: 'https://v.vault.azure.net', REGISTRY_STORE: 'memory' }))).toEqual([]);
  });

  it('outside Azure the file stores stay the default', () => {
    expect(settingsProblems(load({}))).toEqual([]);
  });
});

describe('settingsUnavailable', () => {
  it('is a 503 naming every bad setting', () => {
    const problems = settingsProblems(load({ SECRET_STORE: 'keyvault' }));
    expect(problems).toEqual([{ setting: 'KEY_VAULT_URL', message: 'is required when SECRET_STORE=keyvault' }]);
    expect(settingsUnavailable(problems)).toMatchObject({
      status: 503,
      jsonBody: { error: expect.stringContaining('KEY_VAULT_URL is required when SECRET_STORE=keyvault'), settings: problems },
    });
  });

  it('an error other than SettingsError still becomes a named problem', () => {
    expect(settingsProblems(() => { throw new Error('boom'); })).toEqual([{ setting: 'settings', message: 'boom' }]);
    expect(() => load({ SECRET_STORE: 'x' })()).toThrow(SettingsError);
  });
});
