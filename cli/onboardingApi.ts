/**
 * The CLI's only door to the product: the onboarding HTTP API, against devhost or an Azure function
 * app alike (base URL + function key). Errors say what the server said, never what was sent.
 */
import { z } from 'zod';
import { ConflictAnswer, FieldErrorsAnswer, OnboardingList, OnboardingView } from './onboardingView';

export interface ApiTarget {
  /** e.g. http://127.0.0.1:7071 or https://<app>.azurewebsites.net */
  baseUrl: string;
  /** Function key, sent as x-functions-key. */
  key?: string;
  /** Where the key came from, for an error that says which key was refused. */
  keySource?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: FieldError[] = [],
    /** The running instance on a 409. */
    readonly conflictId?: string,
    /** The function app that answered. */
    readonly baseUrl?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The function app could not be reached at all. */
export class UnreachableError extends Error {
  constructor(readonly baseUrl: string, cause: unknown) {
    super(`cannot reach ${baseUrl}: ${causeText(cause)}`);
    this.name = 'UnreachableError';
  }
}

export class OnboardingApi {
  private readonly baseUrl: string;

  constructor(private readonly target: ApiTarget) {
    this.baseUrl = target.baseUrl.replace(/\/+$/, '');
  }

  get base(): string {
    return this.baseUrl;
  }

  /** Makes a server-relative path (like `/api/onboardings/x/certificate`) absolute. */
  absolute(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  async startOnboarding(request: unknown): Promise<OnboardingView> {
    return this.call('POST', '/api/onboardings', request, OnboardingView);
  }

  async getOnboarding(id: string): Promise<OnboardingView> {
    return this.call('GET', `/api/onboardings/${encodeURIComponent(id)}`, undefined, OnboardingView);
  }

  async listOnboardings(statuses: string[] = []): Promise<OnboardingView[]> {
    const query = statuses.length ? `?status=${encodeURIComponent(statuses.join(','))}` : '';
    return (await this.call('GET', `/api/onboardings${query}`, undefined, OnboardingList)).items;
  }

  /** Stops a run (DELETE): the engine terminates it; what it created so far stays. */
  async cancelOnboarding(id: string): Promise<void> {
    await this.call('DELETE', `/api/onboardings/${encodeURIComponent(id)}`, undefined, undefined);
  }

  /** The PEM a manual step asks a person to upload, fetched with the function key. */
  async manualStepCertificate(id: string): Promise<string> {
    return this.call('GET', `/api/onboardings/${encodeURIComponent(id)}/certificate`, undefined, 'text');
  }

  async resumeManualStep(id: string, step: string, note?: string): Promise<void> {
    await this.call('POST', `/api/onboardings/${encodeURIComponent(id)}/manual-steps/${encodeURIComponent(step)}`, note ? { note } : {}, undefined);
  }

  /** Stores a credential; the value goes in the body only and is never part of an error. */
  async putCredential(name: string, value: unknown, contentType?: string, overwrite = false): Promise<void> {
    await this.call('PUT', `/api/credentials/${encodeURIComponent(name)}${overwrite ? '?overwrite=true' : ''}`, { value, ...(contentType ? { contentType } : {}) }, undefined);
  }

  /** Any other route of the API (rotations, repairs): the JSON answer, errors as for the onboarding routes. */
  async send(method: string, path: string, body?: unknown): Promise<unknown> {
    return this.call(method, path, body, z.unknown());
  }

  /** A GET of another route of the app (e.g. the certificate report), checked against its schema. */
  async getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return this.call('GET', path, undefined, schema);
  }

  private async call<T>(method: string, path: string, body: unknown, schema: z.ZodType<T> | 'text' | undefined): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.target.key) headers['x-functions-key'] = this.target.key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new UnreachableError(this.baseUrl, e);
    }
    const text = await response.text();
    if (!response.ok) throw errorFrom(method, path, response.status, text, this.baseUrl);
    if (!schema) return undefined as T;
    if (schema === 'text') return text as T;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(`${this.baseUrl}${path} answered ${response.status} with a body that is not JSON: is ${this.baseUrl} the function app?`, response.status, [], undefined, this.baseUrl);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new ApiError(`${method} ${path} answered an unexpected shape (${where})`, response.status, [], undefined, this.baseUrl);
    }
    return parsed.data;
  }
}

export function errorFrom(method: string, path: string, status: number, text: string, baseUrl: string): ApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // A key problem first: devhost and Azure both explain a 401 in a body, which is not the point.
  if (status === 401 || status === 403) return new ApiError(`${baseUrl} refused the request for want of a valid function key`, status, [], undefined, baseUrl);
  if (status === 409) {
    const conflict = ConflictAnswer.safeParse(json);
    if (conflict.success) return new ApiError(conflict.data.error, status, [], conflict.data.id, baseUrl);
  }
  const fielded = FieldErrorsAnswer.safeParse(json);
  if (fielded.success) return new ApiError(fielded.data.error, status, fielded.data.fields ?? [], undefined, baseUrl);
  if (status === 404) return new ApiError(`${baseUrl}${path} does not exist: is ${baseUrl} the function app?`, status, [], undefined, baseUrl);
  return new ApiError(`${method} ${baseUrl}${path} answered ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, status, [], undefined, baseUrl);
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  return e instanceof Error ? (cause?.message ?? e.message) : String(e);
}
