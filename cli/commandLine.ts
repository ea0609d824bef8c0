/** What the person typed: `sap-trust <command> ...`, checked before anything is sent. */
import { parseArgs } from 'node:util';
import { ONBOARDING_STATUSES } from './onboardingView';

export type Command =
  | { kind: 'help' }
  | { kind: 'onboard'; file: string; wait: boolean }
  | { kind: 'status'; idOrTenant: string; json: boolean }
  | { kind: 'follow'; idOrTenant: string }
  | { kind: 'resume'; id: string; step: string; note?: string; wait: boolean }
  | { kind: 'certificate'; id: string; out?: string }
  | { kind: 'cancel'; id: string }
  | { kind: 'list'; statuses: string[]; json: boolean }
  | { kind: 'credentials set'; name: string; source: { file: string } | { stdin: true }; contentType?: string; overwrite?: boolean };

export interface Invocation {
  command: Command;
  /** --url / --key as given; the environment and defaults are applied by resolveTarget. */
  url?: string;
  key?: string;
  intervalMs: number;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: sap-trust <command> [options]

Commands:
  onboard <file.json> [--no-wait]      start an onboarding and follow it until it ends
  status <id | tenant> [--json]        show one onboarding (for a tenant such as my100001: its latest)
  follow <id | tenant>                 follow a run until it ends (after Ctrl-C, or from another terminal)
  certificate <id> [--out <file>]      save the certificate a manual step asks for (default <id>-trust.pem)
  resume <id> <step> [--note text] [--no-wait]
                                       confirm a manual step is done, then follow the run
  cancel <id>                          stop a run (what it created so far stays)
  list [--status running,waiting,failed] [--json]
                                       list onboardings
  credentials set <name> (--from-file <f> | --from-stdin) [--content-type <t>] [--overwrite]
                                       store a credential (a service key or a user's password)

Target:
  --url <url>   function app base URL (env SAP_TRUST_URL; default the local devhost,
                http://127.0.0.1:7071 or the FUNCTIONS_PORT it was started with)
  --key <key>   function key (env SAP_TRUST_KEY; on a local devhost read from its DATA_DIR)

Install: sap-trust is not on the npm registry. In a clone of the repository run it as
  npx --no-install sap-trust <command>   or   npm run -s sap-trust -- <command>
or put it on your PATH with: npm run build && npm link

Exit codes: 0 success, 1 failure, 2 bad usage, 3 left waiting for a manual step (--no-wait),
130 stopped following with Ctrl-C (the run goes on)`;

/** `--status waiting` is short for the status 'waiting for manual step'. */
const STATUS_ALIASES: Record<string, string> = { waiting: 'waiting for manual step' };

const OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  'no-wait': { type: 'boolean' },
  json: { type: 'boolean' },
  status: { type: 'string' },
  note: { type: 'string' },
  'from-file': { type: 'string' },
  'from-stdin': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'content-type': { type: 'string' },
  interval: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Which options each command accepts besides --url, --key, --interval and --help. */
const ALLOWED: Record<string, OptionName[]> = {
  onboard: ['no-wait'],
  status: ['json'],
  follow: [],
  certificate: ['out'],
  cancel: [],
  resume: ['note', 'no-wait'],
  list: ['status', 'json'],
  credentials: ['from-file', 'from-stdin', 'content-type', 'overwrite'],
};
const GLOBAL: OptionName[] = ['url', 'key', 'interval', 'help'];

export function parseCommandLine(argv: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  const intervalMs = values.interval === undefined ? 500 : Number(values.interval);
  if (!Number.isInteger(intervalMs) || intervalMs < 50) throw new UsageError('--interval must be a whole number of milliseconds, at least 50');
  if (values.url !== undefined) checkUrl(values.url);
  const base = { url: values.url, key: values.key, intervalMs };

  if (values.help || name === 'help') return { ...base, command: { kind: 'help' } };
  if (name === undefined) throw new UsageError('no command given');
  const allowed = ALLOWED[name];
  if (!allowed) throw new UsageError(`unknown command '${name}'`);
  for (const option of Object.keys(values) as OptionName[]) {
    if (!allowed.includes(option) && !GLOBAL.includes(option)) throw new UsageError(`option --${option} does not apply to '${name}'`);
  }
  const wait = !values['no-wait'];

  switch (name) {
    case 'onboard': {
      const [file] = exactly(name, rest, ['<file.json>']);
      return { ...base, command: { kind: 'onboard', file, wait } };
    }
    case 'status': {
      const [idOrTenant] = exactly(name, rest, ['<id or tenant>']);
      return { ...base, command: { kind: 'status', idOrTenant, json: Boolean(values.json) } };
    }
    case 'follow': {
      const [idOrTenant] = exactly(name, rest, ['<id or tenant>']);
      return { ...base, command: { kind: 'follow', idOrTenant } };
    }
    case 'certificate': {
      const [id] = exactly(name, rest, ['<id>']);
      if (values.out !== undefined && !values.out.trim()) throw new UsageError('--out needs a file name');
      return { ...base, command: { kind: 'certificate', id, out: values.out } };
    }
    case 'cancel': {
      const [id] = exactly(name, rest, ['<id>']);
      return { ...base, command: { kind: 'cancel', id } };
    }
    case 'resume': {
      const [id, step] = exactly(name, rest, ['<id>', '<step>']);
      return { ...base, command: { kind: 'resume', id, step, note: values.note, wait } };
    }
    case 'list': {
      exactly(name, rest, []);
      const statuses = values.status === undefined ? [] : values.status.split(',').map((s) => STATUS_ALIASES[s.trim()] ?? s.trim());
      const unknown = statuses.filter((s) => !(ONBOARDING_STATUSES as readonly string[]).includes(s));
      if (unknown.length) throw new UsageError(`--status: unknown status ${unknown.map((s) => `'${s}'`).join(', ')} (one of: ${ONBOARDING_STATUSES.join(', ')}, or waiting)`);
      return { ...base, command: { kind: 'list', statuses, json: Boolean(values.json) } };
    }
    default: {
      const [verb, credentialName] = exactly(name, rest, ['set', '<name>']);
      if (verb !== 'set') throw new UsageError(`unknown credentials command '${verb}' (use 'credentials set <name>')`);
      const fromFile = values['from-file'];
      const fromStdin = Boolean(values['from-stdin']);
      if ((fromFile === undefined) === !fromStdin) throw new UsageError('credentials set needs exactly one of --from-file <file> or --from-stdin');
      return {
        ...base,
        command: {
          kind: 'credentials set',
          name: credentialName,
          source: fromFile !== undefined ? { file: fromFile } : { stdin: true },
          contentType: values['content-type'],
          ...(values.overwrite ? { overwrite: true } : {}),
        },
      };
    }
  }
}

function exactly(command: string, given: string[], names: string[]): string[] {
  if (given.length < names.length) throw new UsageError(`'${command}' needs ${names.slice(given.length).join(' ')}`);
  if (given.length > names.length) throw new UsageError(`'${command}' got unexpected argument '${given[names.length]}'`);
  return given;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url '${url}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url must be http:// or https://, not ${parsed.protocol}`);
}
