/**
 * The requests of `sap-trust onboard a.json b.json …`, all read and parsed before anything starts.
 * A file holds one request (a JSON object), a JSON array of requests, or (a text file) the paths
 * of request files, one a line, relative to that file; blank lines and `#` comments are skipped.
 * Every file that cannot be used is named with why, so the person fixes them all in one go.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { s4TenantOf } from '../shared/secrets/secretNames';

export interface BatchRequest {
  /** Where it came from: `a.json`, `tenants.json[2]`, or the path a list gave. */
  source: string;
  /** The S/4HANA tenant it onboards (`my100001`), or its source when the request names no host. */
  tenant: string;
  request: Record<string, unknown>;
}

export type ReadRequests = { ok: true; requests: BatchRequest[] } | { ok: false; problems: string[] };

type ReadFile = (path: string) => Promise<string>;

/** A file that lists requests rather than being one: a JSON array, or text that is not JSON at all. */
export function holdsRequestList(text: string): boolean {
  const start = text.trimStart()[0];
  if (start === '[') return true;
  if (start === '{' || start === undefined) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

export async function readBatchRequests(files: string[], readFile: ReadFile): Promise<ReadRequests> {
  const requests: BatchRequest[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const text = await read(file, readFile, problems);
    if (text === undefined) continue;
    const start = text.trimStart()[0];
    if (start === '{' || start === '[' || !holdsRequestList(text)) {
      requests.push(...parseRequests(file, text, problems));
      continue;
    }
    // A list of request files: each must hold requests itself (a list of lists is not followed).
    const listed = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (!listed.length) problems.push(`${file}: lists no request files`);
    for (const path of listed) {
      const resolved = isAbsolute(path) ? path : join(dirname(file), path);
      const listedText = await read(resolved, readFile, problems, file);
      if (listedText !== undefined) requests.push(...parseRequests(resolved, listedText, problems, file));
    }
  }
  if (!problems.length && !requests.length) problems.push('no requests given');
  problems.push(...duplicates(requests));
  return problems.length ? { ok: false, problems } : { ok: true, requests };
}

async function read(path: string, readFile: ReadFile, problems: string[], listedIn?: string): Promise<string | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    problems.push(`${path}${listedIn ? ` (listed in ${listedIn})` : ''}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  }
}

function parseRequests(path: string, text: string, problems: string[], listedIn?: string): BatchRequest[] {
  const where = `${path}${listedIn ? ` (listed in ${listedIn})` : ''}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    problems.push(`${where}: not valid JSON (${(e as Error).message})`);
    return [];
  }
  const items = Array.isArray(json) ? json.map((item, i) => [`${path}[${i}]`, item] as const) : [[path, json] as const];
  if (Array.isArray(json) && !json.length) problems.push(`${where}: an empty list`);
  const requests: BatchRequest[] = [];
  for (const [source, item] of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${source}${listedIn ? ` (listed in ${listedIn})` : ''}: not an onboarding request (a JSON object with btp and s4)`);
      continue;
    }
    const request = item as Record<string, unknown>;
    requests.push({ source, tenant: tenantOf(request) ?? source, request });
  }
  return requests;
}

/** Two requests for one tenant and subaccount would only meet as a 409 or a second, empty run. */
function duplicates(requests: BatchRequest[]): string[] {
  const seen = new Map<string, string[]>();
  for (const r of requests) {
    const subaccountId = (r.request.btp as { subaccountId?: unknown } | undefined)?.subaccountId;
    if (typeof subaccountId !== 'string' || r.tenant === r.source) continue;
    const key = `${r.tenant} ${subaccountId.toLowerCase()}`;
    seen.set(key, [...(seen.get(key) ?? []), r.source]);
  }
  return [...seen.entries()]
    .filter(([, sources]) => sources.length > 1)
    .map(([key, sources]) => `${sources.join(' and ')}: ${sources.length === 2 ? 'both' : 'all'} onboard tenant ${key.split(' ')[0]} to subaccount ${key.split(' ')[1]}; keep one`);
}

function tenantOf(request: Record<string, unknown>): string | undefined {
  const host = (request.s4 as { host?: unknown } | undefined)?.host;
  return typeof host === 'string' && host.trim() ? s4TenantOf(host) : undefined;
}
