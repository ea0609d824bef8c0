/** Runs one parsed command against the onboarding HTTP API and decides the exit code. */
import { EXIT, type ExitCode } from './exitCodes';
import { followOnboarding } from './followOnboarding';
import { ApiError, OnboardingApi, UnreachableError } from './onboardingApi';
import type { OnboardingView } from './onboardingView';
import { ProgressView, snapshotLines, type ProgressOutput, type RenderOptions } from './progressView';
import { USAGE, UsageError, type Invocation } from './commandLine';
import { resolveTarget } from './target';
import { WorkflowApi } from './workflowApi';
import { runWorkflowCommand } from './workflowCommands';

export interface CliIo {
  stdout: ProgressOutput;
  stderr: { write(text: string): unknown };
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  color: boolean;
}

export async function runCommand(invocation: Invocation, io: CliIo): Promise<ExitCode> {
  const { command } = invocation;
  if (command.kind === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.success;
  }
  const api = new OnboardingApi(resolveTarget(invocation, io.env));
  const render: RenderOptions = { color: io.color, baseUrl: api.base };
  const println = (line = '') => io.stdout.write(`${line}\n`);
  try {
    switch (command.kind) {
      case 'onboard': {
        const request = await readJsonFile(command.file, io);
        const started = await api.startOnboarding(request);
        return await follow(api, started, command.wait, invocation.intervalMs, io, render);
      }
      case 'status': {
        const view = await api.getOnboarding(command.id);
        if (command.json) println(JSON.stringify(view, null, 2));
        else snapshotLines(view, render).forEach((l) => println(l));
        return exitCodeOf(view, EXIT.success);
      }
      case 'resume': {
        await api.resumeManualStep(command.id, command.step, command.note);
        println(`Resumed ${command.id} at step ${command.step}; the run now reads the system back to verify it.`);
        if (!command.wait) return EXIT.success;
        return await follow(api, await api.getOnboarding(command.id), true, invocation.intervalMs, io, render);
      }
      case 'list': {
        const items = await api.listOnboardings(command.statuses);
        if (command.json) println(JSON.stringify({ items }, null, 2));
        else listLines(items).forEach((l) => println(l));
        return EXIT.success;
      }
      case 'credentials set': {
        const text = 'file' in command.source ? await readCredentialFile(command.source.file, io) : await io.readStdin();
        await api.putCredential(command.name, credentialValue(text), command.contentType);
        println(`Stored credential '${command.name}'.`);
        return EXIT.success;
      }
      case 'offboard':
      case 'plan':
        return await runWorkflowCommand(command, await readJsonFile(command.file, io), new WorkflowApi(resolveTarget(invocation, io.env)), invocation.intervalMs, io);
    }
  } catch (e) {
    return reportError(e, io);
  }
}

async function follow(api: OnboardingApi, first: OnboardingView, wait: boolean, intervalMs: number, io: CliIo, render: RenderOptions): Promise<ExitCode> {
  const progress = new ProgressView(io.stdout, render);
  try {
    const last = await followOnboarding(api, first, (v) => progress.update(v), { intervalMs, stopWhenWaiting: !wait });
    return exitCodeOf(last, EXIT.waitingForManualStep);
  } finally {
    progress.close();
  }
}

/** completed → 0, failed/terminated → 1, waiting → `whenWaiting`, still running → 0 (a snapshot). */
export function exitCodeOf(view: OnboardingView, whenWaiting: ExitCode): ExitCode {
  switch (view.status) {
    case 'completed':
      return view.result?.tokenExchangeVerified === false ? EXIT.failure : EXIT.success;
    case 'failed':
    case 'terminated':
      return EXIT.failure;
    case 'waiting for manual step':
      return whenWaiting;
    default:
      return EXIT.success;
  }
}

function listLines(items: OnboardingView[]): string[] {
  if (!items.length) return ['No onboardings.'];
  const rows = items.map((v) => [v.id, v.status, v.tenant ?? '', v.subaccountId ?? '', v.current ? `${v.current.index}/${v.current.total} ${v.current.step}` : '', v.updatedAt]);
  const table = [['ID', 'STATUS', 'TENANT', 'SUBACCOUNT', 'STEP', 'UPDATED'], ...rows];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

async function readJsonFile(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

async function readCredentialFile(path: string, io: CliIo): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/** A JSON object (a service key as BTP shows it) is sent as an object, anything else as text. */
export function credentialValue(text: string): string | Record<string, unknown> {
  const trimmed = text.replace(/\r?\n$/, '');
  if (!trimmed.trim()) throw new UsageError('the credential is empty');
  if (trimmed.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all: the credential's text is stored as it is (its content is never echoed).
      throw new UsageError('the credential starts with "{" but is not valid JSON');
    }
  }
  return trimmed;
}

function reportError(e: unknown, io: CliIo): ExitCode {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  if (e instanceof UsageError) {
    say(`sap-trust: ${e.message}`);
    say(`Run 'sap-trust --help' for usage.`);
    return EXIT.usage;
  }
  if (e instanceof ApiError) {
    say(`sap-trust: ${e.message} (HTTP ${e.status})`);
    for (const f of e.fields) say(`  - ${f.field}: ${f.message}`);
    if (e.status === 409 && e.conflictId) say(`  Follow the running onboarding with: sap-trust status ${e.conflictId}`);
    if (e.status === 401 || e.status === 403) say('  Pass the function key with --key or SAP_TRUST_KEY.');
    return EXIT.failure;
  }
  if (e instanceof UnreachableError) {
    say(`sap-trust: ${e.message}`);
    say('  Is the function app running? Locally: npm start. Elsewhere: --url https://<app>.azurewebsites.net --key <function key>.');
    return EXIT.failure;
  }
  say(`sap-trust: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT.failure;
}
