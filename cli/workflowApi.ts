/**
 * The run API of any workflow by its kind (`offboardings`, `onboardings`): start, read, plan. The
 * same answers and errors as the onboarding's client, for the commands that are not onboarding-only.
 */
import { z } from 'zod';
import { RunViewBase } from '../shared/workflow/runViewSchema';
import { ApiError, UnreachableError, type ApiTarget } from './onboardingApi';
import { ConflictAnswer, FieldErrorsAnswer } from './onboardingView';

/** Any workflow's view: its subject when it is about a tenant, its result as the server sent it. */
export const WorkflowRunView = RunViewBase.extend({ tenant: z.string().optional(), subaccountId: z.string().optional(), result: z.unknown().optional() });
export type WorkflowRunView = z.infer<typeof WorkflowRunView>;

export class WorkflowApi {
  private readonly baseUrl: string;

  constructor(private readonly target: ApiTarget) {
    this.baseUrl = target.baseUrl.replace(/\/+$/, '');
  }

  start(kind: string, request: unknown): Promise<WorkflowRunView> {
    return this.call('POST', `/api/${kind}`, request);
  }

  get(kind: string, id: string): Promise<WorkflowRunView> {
    return this.call('GET', `/api/${kind}/${encodeURIComponent(id)}`, undefined);
  }

  /** 200 with the plan when it is ready within the server's wait; otherwise the plan run to poll. */
  plan(kind: string, request: unknown): Promise<WorkflowRunView> {
    return this.call('POST', `/api/${kind}/plans`, request);
  }

  private async call(method: string, path: string, body: unknown): Promise<WorkflowRunView> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.target.key) headers['x-functions-key'] = this.target.key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new UnreachableError(this.baseUrl, e);
    }
    const text = await response.text();
    const json = safeJson(text);
    if (!response.ok) throw errorFrom(method, path, response.status, json);
    const parsed = WorkflowRunView.safeParse(json);
    if (!parsed.success) throw new ApiError(`${method} ${path} answered an unexpected shape (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`, response.status);
    return parsed.data;
  }
}

function errorFrom(method: string, path: string, status: number, json: unknown): ApiError {
  const conflict = status === 409 ? ConflictAnswer.safeParse(json) : undefined;
  if (conflict?.success) return new ApiError(conflict.data.error, status, [], conflict.data.id);
  const fielded = FieldErrorsAnswer.safeParse(json);
  if (fielded.success) return new ApiError(fielded.data.error, status, fielded.data.fields ?? []);
  if (status === 401 || status === 403) return new ApiError('the function app refused the function key', status);
  return new ApiError(`${method} ${path} answered ${status}`, status);
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
