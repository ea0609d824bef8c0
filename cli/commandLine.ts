/** What the person typed: `sap-trust <command> ...`, checked before anything is sent. */
import { parseArgs } from 'node:util';
import { ONBOARDING_STATUSES } from './onboardingView';
import type { WorkflowCommand } from './workflowCommands';
import { DEFAULT_CONCURRENCY, type OnboardManyCommand } from './onboardManyCommand';
import { NEO_TRUST_OPTIONS, NEO_TRUST_USAGE, parseNeoTrustCommand, type NeoTrustCommand } from './neoTrustCommandLine';
import { IAS_WORKFLOW_COMMANDS, IAS_WORKFLOW_USAGE, parseIasWorkflowCommand, type IasWorkflowCommand, type IasWorkflowName } from './iasWorkflowCommand';

export type Command =
  | { kind: 'help' }
  | { kind: 'onboard'; file: string; wait: boolean }
  | { kind: 'status'; idOrTenant: string; json: boolean }
  | { kind: 'follow'; idOrTenant: string }
  | { kind: 'resume'; id: string; step: string; note?: string; wait: boolean }
  | { kind: 'certificate'; id: string; out?: string }
  | { kind: 'cancel'; id: string }
  | { kind: 'list'; statuses: string[]; json: boolean }
  | WorkflowCommand
  | OnboardManyCommand
  | { kind: 'credentials set'; name: string; source: { file: string } | { stdin: true }; contentType?: string; overwrite?: boolean }
  | NeoTrustCommand
  | IasWorkflowCommand
  | { kind: 'rotate'; subaccountId: string; plan: boolean }
  | { kind: 'rollback'; id: string }
  | { kind: 'repair'; subaccountId: string }
  | { kind: 'certificates'; json: boolean };

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
  onboard <file.json> <file.json>... [--concurrency N]
                                       onboard several tenants, N at a time (default ${DEFAULT_CONCURRENCY}), in one
                                       table; a file may hold a JSON array of requests or list
                                       request files, one path a line
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
  offboard <file.json> [--no-wait]     remove what the onboarding with this request created
  plan <file.json> [--offboard] [--json]
                                       show what an onboarding (or offboarding) would change; writes nothing
${NEO_TRUST_USAGE}
${IAS_WORKFLOW_USAGE}
  rotate <subaccount> [--plan]         rotate the subaccount's trust certificate on every tenant (--plan: what it would do)
  rollback <rotation id>               bring the old certificate back (inside the rotation's rollback window)
  repair <subaccount>                  repair every tenant the last certificate check found in mismatch
  certificates [--json]                every tenant's trust certificate, days left and last check,
                                       most urgent first

Target:
  --url <url>   function app base URL (env SAP_TRUST_URL; default the local devhost,
                http://127.0.0.1:7071 or the FUNCTIONS_PORT it was started with)
  --key <key>   function key (env SAP_TRUST_KEY; on a local devhost read from its DATA_DIR)

Install: sap-trust is not on the npm registry. In a clone of the repository run it as
  npx --no-install sap-trust <command>   or   npm run -s sap-trust -- <command>
or put it on your PATH with: npm run build && npm link

Exit codes: 0 success, 1 failure, 2 bad usage, 3 left waiting for a manual step (--no-wait),
130 stopped following with Ctrl-C (the run goes on). Several tenants: 1 when any failed, else 3
when some wait for a manual step, else 0`;

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
  offboard: { type: 'boolean' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  credential: { type: 'string' },
  export: { type: 'string' },
  document: { type: 'string' },
  plan: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Which options each command accepts besides --url, --key, --interval and --help. */
const ALLOWED: Record<string, OptionName[]> = {
  onboard: ['no-wait', 'concurrency'],
  status: ['json'],
  follow: [],
  certificate: ['out'],
  cancel: [],
  resume: ['note', 'no-wait'],
  list: ['status', 'json'],
  credentials: ['from-file', 'from-stdin', 'content-type', 'overwrite'],
  offboard: ['no-wait'],
  plan: ['offboard', 'json'],
  'neo-trust': [...NEO_TRUST_OPTIONS],
  'ias-trust': ['no-wait', 'json'],
  'attribute-mapping': ['no-wait', 'json'],
  rotate: ['plan'],
  rollback: [],
  repair: [],
  certificates: ['json'],
};
const GLOBAL: OptionName[] = ['url', 'key', 'interval', 'help'];

/**
 * `--key -Ab3…`: a function key may start with "-", which parseArgs would take for an option. A value
 * option always takes the next word, so it is attached (`--key=-Ab3…`) before parsing.
 */
function withAttachedValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    const option = name ? (OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (option?.type === 'string' && i + 1 < argv.length && argv[i + 1].startsWith('-')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export function parseCommandLine(argv: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: withAttachedValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
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

  if (name in IAS_WORKFLOW_COMMANDS) {
    return { ...base, command: parseIasWorkflowCommand(name as IasWorkflowName, rest, { json: Boolean(values.json), wait }) };
  }
  switch (name) {
    case 'rotate': {
      const [subaccountId] = exactly(name, rest, ['<subaccount>']);
      return { ...base, command: { kind: 'rotate', subaccountId, plan: Boolean(values.plan) } };
    }
    case 'rollback': {
      const [id] = exactly(name, rest, ['<rotation id>']);
      return { ...base, command: { kind: 'rollback', id } };
    }
    case 'repair': {
      const [subaccountId] = exactly(name, rest, ['<subaccount>']);
      return { ...base, command: { kind: 'repair', subaccountId } };
    }
    case 'onboard': {
      // Several files, or --concurrency: the batch (cli/onboardMany.ts); one file stays the single onboarding.
      if (rest.length > 1 || values.concurrency !== undefined) return { ...base, command: onboardManyCommand(rest, values.concurrency, wait) };
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
    case 'offboard':
    case 'plan': {
      const [file] = exactly(name, rest, ['<file.json>']);
      const command: WorkflowCommand = name === 'offboard' ? { kind: 'offboard', file, wait } : { kind: 'plan', file, offboard: Boolean(values.offboard), json: Boolean(values.json) };
      return { ...base, command };
    }
    case 'neo-trust':
      return { ...base, command: parseNeoTrustCommand(rest, values, (message) => new UsageError(message)) };
    case 'certificates': {
      exactly(name, rest, []);
      return { ...base, command: { kind: 'certificates', json: Boolean(values.json) } };
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

function onboardManyCommand(files: string[], concurrency: string | undefined, wait: boolean): OnboardManyCommand {
  if (!files.length) throw new UsageError("'onboard' needs <file.json>");
  if (!wait) throw new UsageError('--no-wait applies to one request; several are followed until each completes, fails or waits for a manual step');
  const n = concurrency === undefined ? DEFAULT_CONCURRENCY : Number(concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, not '${concurrency}'`);
  return { kind: 'onboard many', files, concurrency: n };
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
