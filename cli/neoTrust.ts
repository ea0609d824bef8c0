/**
 * Runs the `neo-trust` commands against the run API of the Neo trust workflows
 * (/api/neo-trust/exports|imports|restores): start (or plan), follow until the run ends, print each
 * step, then what the run found: the export id, the backup id, the changes. The private key is never
 * in what the API answers, so it cannot reach the terminal.
 */
import { z } from 'zod';
import { RunViewBase } from '../shared/workflow/runViewSchema';
import { EXIT, type ExitCode } from './exitCodes';
import { ApiError, errorFrom, UnreachableError, type ApiTarget } from './onboardingApi';
import type { NeoTrustCommand } from './neoTrustCommandLine';

const NeoTrustView = RunViewBase.extend({ result: z.record(z.string(), z.unknown()).optional() });
type NeoTrustView = z.infer<typeof NeoTrustView>;
const FINAL = new Set(['completed', 'failed', 'terminated', 'canceled']);
const MARK: Record<string, string> = { created: '✔', updated: '✔', unchanged: '=', checked: '✔', verified: '✔', skipped: '·', failed: '✘' };

export interface NeoTrustIo {
  println(line?: string): void;
  readFile(path: string): Promise<string>;
  sleep(ms: number): Promise<void>;
}

async function call(target: ApiTarget, method: string, path: string, body?: unknown): Promise<NeoTrustView> {
  const base = target.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', ...(target.key ? { 'x-functions-key': target.key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new UnreachableError(base, e);
  }
  const text = await response.text();
  if (!response.ok) throw errorFrom(method, path, response.status, text, base);
  const parsed = NeoTrustView.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ApiError(`${method} ${path} answered an unexpected shape`, response.status, [], undefined, base);
  return parsed.data;
}

async function requestOf(command: NeoTrustCommand, io: NeoTrustIo): Promise<{ kind: string; body: Record<string, unknown>; plan: boolean }> {
  switch (command.kind) {
    case 'neo-trust export':
      return { kind: 'exports', plan: false, body: { source: { landscapeHost: command.landscapeHost, subaccount: command.subaccount, credentialSecret: command.credential } } };
    case 'neo-trust import': {
      const target = { landscapeHost: command.landscapeHost, subaccount: command.subaccount, credentialSecret: command.credential };
      if ('exportId' in command.source) return { kind: 'imports', plan: command.plan, body: { target, exportId: command.source.exportId } };
      let document: unknown;
      try {
        document = JSON.parse(await io.readFile(command.source.documentFile));
      } catch (e) {
        throw new ApiError(`cannot read ${command.source.documentFile} as JSON: ${(e as Error).message.split('\n')[0]}`, 0);
      }
      return { kind: 'imports', plan: command.plan, body: { target, document } };
    }
    case 'neo-trust restore':
      return { kind: 'restores', plan: false, body: { backupId: command.backupId, ...(command.credential ? { credentialSecret: command.credential } : {}) } };
  }
}

export async function runNeoTrust(command: NeoTrustCommand, target: ApiTarget, io: NeoTrustIo, intervalMs: number): Promise<ExitCode> {
  const { kind, body, plan } = await requestOf(command, io);
  let view = await call(target, 'POST', `/api/neo-trust/${kind}${plan ? '/plans' : ''}`, body);
  if (!plan && !command.wait) {
    io.println(`Started ${view.id}; follow it with GET /api/neo-trust/${kind}/${view.id}`);
    return EXIT.success;
  }
  while (!FINAL.has(view.status)) {
    await io.sleep(intervalMs);
    view = await call(target, 'GET', `/api/neo-trust/${kind}/${encodeURIComponent(view.id)}`);
  }
  if (command.json) io.println(JSON.stringify(view, null, 2));
  else viewLines(view).forEach((l) => io.println(l));
  return view.status === 'completed' ? EXIT.success : EXIT.failure;
}

export function viewLines(view: NeoTrustView): string[] {
  const lines = [`${view.mode === 'plan' ? 'Plan' : 'Run'} ${view.id}: ${view.status}`];
  for (const s of view.steps) {
    if (!s.outcome && !s.plan) continue;
    lines.push(`  ${MARK[s.outcome ?? ''] ?? ' '} ${s.title}${s.outcome ? ` (${s.outcome})` : ''}${s.detail ? `: ${s.detail}` : ''}`);
    for (const w of s.warnings ?? []) lines.push(`      ! ${w}`);
    if (view.mode === 'plan' && s.plan?.changes.length) for (const c of s.plan.changes) lines.push(`      ${c.field}${c.from !== undefined ? `  from ${c.from}` : ''}${c.to !== undefined ? `  to ${c.to}` : ''}`);
  }
  if (view.error) lines.push(`  ✘ ${view.error.message}`, `    Fix: ${view.error.fix}`);
  const r = view.result ?? {};
  if (typeof r.exportId === 'string') lines.push(`  Export id: ${r.exportId} (sha256 ${String(r.fingerprint).slice(0, 16)}); import it with --export ${r.exportId}`);
  if (typeof r.backupId === 'string') lines.push(`  Backup id: ${r.backupId}; undo with: sap-trust neo-trust restore ${r.backupId}`);
  if (Array.isArray(r.changes) && view.mode === 'run') lines.push(`  ${r.changes.length} change(s)`);
  return lines;
}
