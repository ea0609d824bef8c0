/** Runs one parsed command against the onboarding HTTP API and decides the exit code. */
import { resolve } from 'node:path';
import { defaultCertificateFile, describeCertificate } from './certificateFile';
import { certificateReportLines, fetchCertificateReport } from './certificatesReport';
import { USAGE, UsageError, type Invocation } from './commandLine';
import { reportError } from './errorReport';
import { EXIT, type ExitCode } from './exitCodes';
import { findOnboarding } from './findOnboarding';
import { FollowInterrupted, followOnboarding } from './followOnboarding';
import { OnboardingApi, type ApiTarget } from './onboardingApi';
import type { OnboardingView } from './onboardingView';
import { ProgressView, snapshotLines, type ProgressOutput, type RenderOptions } from './progressView';
import { usableWidth } from './screenText';
import { resolveTarget } from './target';
import { WorkflowApi } from './workflowApi';
import { runWorkflowCommand } from './workflowCommands';
import { onboardMany } from './onboardMany';
import { DEFAULT_CONCURRENCY } from './onboardManyCommand';
import { holdsRequestList } from './requestFiles';
import { runNeoTrust } from './neoTrust';
import { runIasWorkflowCommand } from './iasWorkflowRuns';
import * as lifecycle from './certificateLifecycle';

export interface CliIo {
  stdout: ProgressOutput & { rows?: number };
  stderr: { write(text: string): unknown };
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  color: boolean;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
}

export async function runCommand(invocation: Invocation, io: CliIo): Promise<ExitCode> {
  const { command } = invocation;
  if (command.kind === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.success;
  }
  let target: ApiTarget | undefined;
  try {
    target = resolveTarget(invocation, io.env);
    const api = new OnboardingApi(target);
    const render: RenderOptions = {
      color: io.color,
      baseUrl: api.base,
      width: io.stdout.isTTY ? usableWidth(io.stdout.columns ?? 80) : undefined,
      // Suggested commands must reach the same app; the key is never printed.
      targetArgs: invocation.url ? ` --url ${invocation.url}` : '',
    };
    const println = (line = '') => io.stdout.write(`${line}\n`);
    switch (command.kind) {
      case 'onboard': {
        // A file that lists requests (a JSON array, or request file paths) is a batch.
        if (await holdsList(command.file, io)) {
          if (!command.wait) throw new UsageError(`--no-wait applies to one request; ${command.file} lists several, which are followed until each completes, fails or waits for a manual step`);
          return await onboardMany({ kind: 'onboard many', files: [command.file], concurrency: DEFAULT_CONCURRENCY }, api, target, invocation.intervalMs, io, render);
        }
        const request = await readJsonFile(command.file, io);
        const started = await api.startOnboarding(request);
        return await follow(api, started, command.wait, invocation.intervalMs, io, render);
      }
      case 'onboard many':
        return await onboardMany(command, api, target, invocation.intervalMs, io, render);
      case 'status': {
        const { view, ofTenant } = await findOnboarding(api, command.idOrTenant);
        if (command.json) println(JSON.stringify(view, null, 2));
        else {
          if (ofTenant && ofTenant.runs > 1) println(`Tenant ${ofTenant.tenant} has ${ofTenant.runs} onboardings; the latest:`);
          snapshotLines(view, render).forEach((l) => println(l));
        }
        return exitCodeOf(view, EXIT.success);
      }
      case 'follow': {
        const { view } = await findOnboarding(api, command.idOrTenant);
        return await follow(api, view, true, invocation.intervalMs, io, render);
      }
      case 'resume': {
        // What the run showed before the confirmation, so that a snapshot taken before the run
        // read the system back is not mistaken for the result of this check.
        const before = await api.getOnboarding(command.id);
        await api.resumeManualStep(command.id, command.step, command.note);
        println(`Resumed ${command.id} at step ${command.step}: the run now reads the communication system back to check the upload.`);
        if (!command.wait) return EXIT.success;
        const beforeKey = manualActionKey(before);
        return await follow(api, before, true, invocation.intervalMs, io, render, (v) => beforeKey !== undefined && manualActionKey(v) === beforeKey);
      }
      case 'certificate': {
        const pem = await api.manualStepCertificate(command.id);
        const about = describeCertificate(pem);
        const path = command.out ?? defaultCertificateFile(command.id);
        await io.writeFile(path, pem.endsWith('\n') ? pem : `${pem}\n`);
        println(`Saved the certificate to upload to ${resolve(path)}`);
        println(`  Subject     ${about.subject}`);
        println(`  SHA-256     ${about.fingerprint256}`);
        println(`  Valid until ${about.validTo}`);
        return EXIT.success;
      }
      case 'cancel': {
        await api.cancelOnboarding(command.id);
        println(`Cancelled onboarding ${command.id}: the run stops; what it created in SAP so far stays.`);
        println('  Start it again with the same request to go on: finished steps are read and reported, not redone.');
        return EXIT.success;
      }
      case 'list': {
        const items = await api.listOnboardings(command.statuses);
        if (command.json) println(JSON.stringify({ items }, null, 2));
        else listLines(items).forEach((l) => println(l));
        return EXIT.success;
      }
      case 'neo-trust export':
      case 'neo-trust import':
      case 'neo-trust restore':
        return await runNeoTrust(command, target, { println, readFile: io.readFile, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }, invocation.intervalMs);
      case 'ias workflow':
        return await runIasWorkflowCommand(command, target, (file) => readJsonFile(file, io), println, invocation.intervalMs);
      case 'certificates': {
        const report = await fetchCertificateReport(api);
        if (command.json) println(JSON.stringify(report, null, 2));
        else certificateReportLines(report).forEach((l) => println(l));
        return EXIT.success;
      }
      case 'credentials set': {
        const text = 'file' in command.source ? await readCredentialFile(command.source.file, io) : await io.readStdin();
        await api.putCredential(command.name, credentialValue(text), command.contentType, command.overwrite);
        println(`Stored credential '${command.name}'.`);
        return EXIT.success;
      }
      case 'offboard':
      case 'plan':
        return await runWorkflowCommand(command, await readJsonFile(command.file, io), new WorkflowApi(resolveTarget(invocation, io.env)), invocation.intervalMs, io);
      // The certificate lifecycle (cli/certificateLifecycle.ts).
      case 'rotate':
        return (await lifecycle.rotate(api, command.subaccountId, command.plan, println)) ? EXIT.success : EXIT.failure;
      case 'rollback':
        return (await lifecycle.rollback(api, command.id, println)) ? EXIT.success : EXIT.failure;
      case 'repair':
        return (await lifecycle.repair(api, command.subaccountId, println)) ? EXIT.success : EXIT.failure;
    }
  } catch (e) {
    return reportError(e, target, (line) => io.stderr.write(`${line}\n`));
  }
}

function manualActionKey(view: OnboardingView): string | undefined {
  if (view.status !== 'waiting for manual step' || !view.manualAction) return undefined;
  return JSON.stringify([view.manualAction.step, view.manualAction.lastVerification]);
}

async function follow(
  api: OnboardingApi,
  first: OnboardingView,
  wait: boolean,
  intervalMs: number,
  io: CliIo,
  render: RenderOptions,
  stale: (view: OnboardingView) => boolean = () => false,
): Promise<ExitCode> {
  const progress = new ProgressView(io.stdout, render);
  const stop = new AbortController();
  const unsubscribe = io.onInterrupt(() => stop.abort());
  try {
    const last = await followOnboarding(api, first, (v) => stale(v) || progress.update(v), { intervalMs, stopWhenWaiting: !wait, signal: stop.signal });
    return exitCodeOf(last, EXIT.waitingForManualStep);
  } catch (e) {
    if (!(e instanceof FollowInterrupted)) throw e;
    progress.interrupted(first.id);
    return EXIT.interrupted;
  } finally {
    unsubscribe();
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

async function holdsList(path: string, io: CliIo): Promise<boolean> {
  try {
    return holdsRequestList(await io.readFile(path));
  } catch {
    return false; // Unreadable: the single onboarding says so, as it always has.
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
