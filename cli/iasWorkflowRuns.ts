/**
 * Runs an IAS workflow command against the run API and prints what each step did or would do:
 * outcome, detail, warnings, and for plans every field that would be added (+), replaced (~) or
 * removed (-). Exit code 1 when a run failed or a plan found a step that cannot go ahead.
 */
import { z } from 'zod';
import { RunViewBase } from '../shared/workflow/runViewSchema';
import { EXIT, type ExitCode } from './exitCodes';
import { IAS_WORKFLOW_COMMANDS, type IasWorkflowCommand } from './iasWorkflowCommand';
import { ApiError, UnreachableError, type ApiTarget } from './onboardingApi';
import { FieldErrorsAnswer } from './onboardingView';

const View = RunViewBase.loose();
type View = z.infer<typeof View>;
const FINAL = new Set(['completed', 'failed', 'terminated', 'canceled']);

async function call(target: ApiTarget, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const base = target.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', ...(target.key ? { 'x-functions-key': target.key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new UnreachableError(base, e);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const fielded = FieldErrorsAnswer.safeParse(json);
    throw new ApiError(fielded.success ? fielded.data.error : `${method} ${base}${path} answered ${response.status}`, response.status, fielded.success ? (fielded.data.fields ?? []) : [], undefined, base);
  }
  return { status: response.status, json };
}

export function viewLines(view: View): string[] {
  const lines = [`${view.id}  ${view.status}`];
  for (const step of view.steps) {
    const outcome = view.mode === 'plan' ? (step.plan?.action ?? 'not reached') : (step.outcome ?? 'not reached');
    lines.push(`  ${step.title.padEnd(40)} ${outcome}${step.detail ? `  ${step.detail}` : ''}`);
    if (view.mode === 'plan' && step.plan) {
      for (const c of step.plan.changes) {
        const mark = c.from === undefined ? '+' : c.to === undefined ? '-' : '~';
        lines.push(`      ${mark} ${c.field}${c.from !== undefined ? `: ${c.from}` : ''}${c.to !== undefined ? `${c.from !== undefined ? ' →' : ':'} ${c.to}` : ''}`);
      }
    }
    for (const w of step.warnings ?? []) lines.push(`      ⚠ ${w}`);
  }
  if (view.error) lines.push(`  ✖ ${view.error.system}, step ${view.error.step}: ${view.error.message}`, `    Fix: ${view.error.fix}`);
  if (view.result !== undefined && view.mode === 'run') lines.push(`  Result: ${JSON.stringify(view.result)}`);
  return lines;
}

export async function runIasWorkflowCommand(command: IasWorkflowCommand, target: ApiTarget, readJson: (file: string) => Promise<unknown>, println: (line: string) => void, intervalMs: number): Promise<ExitCode> {
  const route = `/api/${IAS_WORKFLOW_COMMANDS[command.workflow]}`;
  const show = (view: View, json: boolean) => (json ? println(JSON.stringify(view, null, 2)) : viewLines(view).forEach((l) => println(l)));
  switch (command.verb) {
    case 'start': {
      let view = View.parse((await call(target, 'POST', route, await readJson(command.file))).json);
      while (command.wait && !FINAL.has(view.status)) {
        await new Promise((r) => setTimeout(r, intervalMs));
        view = View.parse((await call(target, 'GET', `${route}/${encodeURIComponent(view.id)}`)).json);
      }
      show(view, false);
      return view.status === 'failed' || view.status === 'terminated' ? EXIT.failure : EXIT.success;
    }
    case 'plan': {
      const view = View.parse((await call(target, 'POST', `${route}/plans`, await readJson(command.file))).json);
      show(view, command.json);
      return view.status === 'failed' ? EXIT.failure : EXIT.success;
    }
    case 'status': {
      const view = View.parse((await call(target, 'GET', `${route}/${encodeURIComponent(command.id)}`)).json);
      show(view, command.json);
      return view.status === 'failed' || view.status === 'terminated' ? EXIT.failure : EXIT.success;
    }
    case 'list': {
      const { items } = z.object({ items: z.array(View) }).parse((await call(target, 'GET', route)).json);
      if (command.json) println(JSON.stringify({ items }, null, 2));
      else if (items.length === 0) println(`No ${command.workflow} runs.`);
      else for (const v of items) println(`${v.id}  ${v.status}  ${v.updatedAt}`);
      return EXIT.success;
    }
  }
}
