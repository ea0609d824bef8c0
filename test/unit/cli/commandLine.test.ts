import { parseCommandLine, USAGE, UsageError } from '../../../cli/commandLine';
import { credentialValue, exitCodeOf } from '../../../cli/commands';
import { resolveTarget } from '../../../cli/target';
import { reportError } from '../../../cli/errorReport';
import { ApiError } from '../../../cli/onboardingApi';
import { completedView, failedView, runningView, waitingView } from './onboardingViews';

const usage = (argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('command line', () => {
  it('parses onboard with --no-wait and the target options', () => {
    const inv = parseCommandLine(['onboard', 'tenant.json', '--no-wait', '--url', 'https://app.azurewebsites.net', '--key', 'k1']);
    expect(inv.command).toEqual({ kind: 'onboard', file: 'tenant.json', wait: false });
    expect(inv).toMatchObject({ url: 'https://app.azurewebsites.net', key: 'k1', intervalMs: 500 });
    expect(parseCommandLine(['onboard', 'tenant.json']).command).toMatchObject({ wait: true });
  });

  it('parses status, resume, list and credentials set', () => {
    expect(parseCommandLine(['status', 'id1', '--json']).command).toEqual({ kind: 'status', idOrTenant: 'id1', json: true });
    expect(parseCommandLine(['resume', 'id1', 'communicationSystem', '--note', 'done']).command).toEqual({
      kind: 'resume', id: 'id1', step: 'communicationSystem', note: 'done', wait: true,
    });
    expect(parseCommandLine(['list', '--status', 'running,waiting for manual step']).command).toEqual({
      kind: 'list', statuses: ['running', 'waiting for manual step'], json: false,
    });
    expect(parseCommandLine(['credentials', 'set', 'dest-key', '--from-file', 'k.json']).command).toEqual({
      kind: 'credentials set', name: 'dest-key', source: { file: 'k.json' }, contentType: undefined,
    });
    expect(parseCommandLine(['credentials', 'set', 'pw', '--from-stdin']).command).toMatchObject({ source: { stdin: true } });
    expect(parseCommandLine(['help']).command).toEqual({ kind: 'help' });
    expect(parseCommandLine(['status', 'x', '--help']).command).toEqual({ kind: 'help' });
  });

  it('rejects bad usage with a message naming the problem', () => {
    expect(usage(['frobnicate'])).toContain("unknown command 'frobnicate'");
    expect(usage(['onboard'])).toContain("'onboard' needs <file.json>");
    expect(usage(['resume', 'id1'])).toContain('<step>');
    expect(usage(['status', 'a', 'b'])).toContain("unexpected argument 'b'");
    expect(usage(['status', 'a', '--bogus'])).toMatch(/bogus/);
    expect(usage(['status', 'a', '--no-wait'])).toContain("--no-wait does not apply to 'status'");
    expect(usage(['list', '--status', 'running,done'])).toContain("unknown status 'done'");
    expect(usage(['credentials', 'set', 'n'])).toContain('exactly one of --from-file');
    expect(usage(['credentials', 'set', 'n', '--from-file', 'f', '--from-stdin'])).toContain('exactly one of --from-file');
    expect(usage(['credentials', 'get', 'n'])).toContain("unknown credentials command 'get'");
    expect(usage(['list', '--url', 'ftp://x'])).toContain('http:// or https://');
    expect(usage(['list', '--url', 'not a url'])).toContain('is not a URL');
    expect(usage(['list', '--interval', '5'])).toContain('--interval');
  });
});

describe('target', () => {
  const noFile = () => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };

  it('prefers --url/--key, then SAP_TRUST_URL/SAP_TRUST_KEY, then the local default', () => {
    const env = { SAP_TRUST_URL: 'https://a.azurewebsites.net', SAP_TRUST_KEY: 'envkey' };
    expect(resolveTarget({ url: 'https://b.azurewebsites.net', key: 'flag' }, env, noFile)).toEqual({ baseUrl: 'https://b.azurewebsites.net', key: 'flag', keySource: '--key' });
    expect(resolveTarget({}, env, noFile)).toEqual({ baseUrl: 'https://a.azurewebsites.net', key: 'envkey', keySource: 'SAP_TRUST_KEY' });
    expect(resolveTarget({}, { DATA_DIR: '/d' }, noFile)).toEqual({ baseUrl: 'http://127.0.0.1:7071', keySource: 'none found in /d/host-keys.json' });
  });

  it('finds a local devhost on the FUNCTIONS_PORT it was started with', () => {
    expect(resolveTarget({}, { FUNCTIONS_PORT: '7072' }, noFile).baseUrl).toBe('http://127.0.0.1:7072');
    expect(resolveTarget({}, { FUNCTIONS_PORT: '7072', SAP_TRUST_URL: 'https://a.azurewebsites.net' }, noFile).baseUrl).toBe('https://a.azurewebsites.net');
  });

  it('reads the devhost key from DATA_DIR only for a loopback URL', () => {
    const files: Record<string, string> = { '/d/host-keys.json': JSON.stringify({ masterKey: 'mk-1', functionKeys: { default: 'fk-1' } }) };
    const read = (p: string) => {
      if (!(p in files)) noFile();
      return files[p];
    };
    expect(resolveTarget({}, { DATA_DIR: '/d' }, read).key).toBe('fk-1');
    expect(resolveTarget({}, { DATA_DIR: '/elsewhere' }, read).key).toBeUndefined();
    expect(resolveTarget({ url: 'https://x.azurewebsites.net' }, { DATA_DIR: '/d' }, read).key).toBeUndefined();
  });
});

describe('exit codes and credential values', () => {
  it('maps the final status to the exit code', () => {
    expect(exitCodeOf(completedView(), 3)).toBe(0);
    expect(exitCodeOf(failedView(), 3)).toBe(1);
    expect(exitCodeOf(waitingView(), 3)).toBe(3);
    expect(exitCodeOf(runningView(1), 3)).toBe(0);
  });

  it('sends a service key as a JSON object and a password as text without its trailing newline', () => {
    expect(credentialValue('{"clientid":"a","clientsecret":"b"}\n')).toEqual({ clientid: 'a', clientsecret: 'b' });
    expect(credentialValue('p4ss word\n')).toBe('p4ss word');
    expect(() => credentialValue('\n')).toThrow(UsageError);
    expect(() => credentialValue('{broken')).toThrow(UsageError);
  });
});

describe('issue 7: commands a new user reaches for', () => {
  it('treats no command at all as bad usage (exit 2), and only help/--help as a request for help', () => {
    expect(usage([])).toBe('no command given');
    expect(parseCommandLine(['--help']).command).toEqual({ kind: 'help' });
  });

  it("accepts --status waiting for 'waiting for manual step', alone or in a list", () => {
    expect(parseCommandLine(['list', '--status', 'waiting']).command).toMatchObject({ statuses: ['waiting for manual step'] });
    expect(parseCommandLine(['list', '--status', 'running, waiting']).command).toMatchObject({ statuses: ['running', 'waiting for manual step'] });
    expect(usage(['list', '--status', 'wait'])).toContain('or waiting');
  });

  it('parses status and follow of an id or a tenant, certificate with --out, and cancel', () => {
    expect(parseCommandLine(['status', 'my100001']).command).toEqual({ kind: 'status', idOrTenant: 'my100001', json: false });
    expect(parseCommandLine(['follow', 'my100001']).command).toEqual({ kind: 'follow', idOrTenant: 'my100001' });
    expect(parseCommandLine(['certificate', 'id1']).command).toEqual({ kind: 'certificate', id: 'id1', out: undefined });
    expect(parseCommandLine(['certificate', 'id1', '--out', 'c.pem']).command).toEqual({ kind: 'certificate', id: 'id1', out: 'c.pem' });
    expect(parseCommandLine(['cancel', 'id1']).command).toEqual({ kind: 'cancel', id: 'id1' });
    expect(usage(['certificate'])).toContain("'certificate' needs <id>");
    expect(usage(['certificate', 'id1', '--out', ' '])).toContain('--out needs a file name');
    expect(usage(['cancel', 'id1', '--out', 'x'])).toContain("--out does not apply to 'cancel'");
  });

  it('says in its usage how to run it without the npm registry', () => {
    expect(USAGE).toContain('npx --no-install sap-trust');
    expect(USAGE).toContain('npm run -s sap-trust --');
    expect(USAGE).toContain('npm link');
  });
});

describe('key errors', () => {
  const say = () => {
    const lines: string[] = [];
    return { lines, say: (l: string) => lines.push(l) };
  };
  const refused = new ApiError('refused', 401, [], undefined, 'https://app.azurewebsites.net');

  it('says a given key was refused, by which URL, and where the key came from', () => {
    const out = say();
    expect(reportError(refused, { baseUrl: 'https://app.azurewebsites.net', key: 'k', keySource: 'SAP_TRUST_KEY' }, out.say)).toBe(1);
    expect(out.lines[0]).toBe('sap-trust: the function key (from SAP_TRUST_KEY) was refused by https://app.azurewebsites.net (HTTP 401).');
    expect(out.lines.join('\n')).not.toContain('pass the key');
  });

  it('says a missing key is missing, where it looked, and how to pass one', () => {
    const out = say();
    reportError(refused, { baseUrl: 'http://127.0.0.1:7071', keySource: 'none found in /srv/.data/host-keys.json' }, out.say);
    expect(out.lines[0]).toBe('sap-trust: https://app.azurewebsites.net needs a function key and none was given (HTTP 401).');
    expect(out.lines.join('\n')).toContain('none found in /srv/.data/host-keys.json');
    expect(out.lines.join('\n')).toContain('--key <key> or SAP_TRUST_KEY');
  });
});

describe('a function key that starts with a dash', () => {
  it('is taken as the value of --key, not as an option', () => {
    const invocation = parseCommandLine(['status', 'onboard-my100001-x-r1', '--url', 'http://127.0.0.1:7071', '--key', '-Ab3_xyz']);
    expect(invocation.key).toBe('-Ab3_xyz');
  });
});
