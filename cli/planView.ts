/**
 * A plan as a person reads it, one object per step, Terraform-style: `+ create`, `~ update` with each
 * field's old and new value, `- delete`, `= unchanged`, `! conflict` with who holds the object and
 * how to go on. Secret values arrive masked from the server; only named fields are printed.
 */
import type { StepPlan } from '../shared/workflow/stepPlan';
import type { WorkflowRunView } from './workflowApi';

type StepView = WorkflowRunView['steps'][number];

const SYMBOL: Record<StepPlan['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=', conflict: '!', check: '?', manual: '✋' };
const COLOR: Partial<Record<StepPlan['action'], string>> = { create: '32', update: '33', delete: '31', conflict: '31;1' };
const NONE = '(none)';

export function planLines(view: WorkflowRunView, noun: string, options: { color: boolean }): string[] {
  const paint = (code: string | undefined, text: string) => (options.color && code ? `\x1b[${code}m${text}\x1b[0m` : text);
  const about = [view.tenant && `tenant ${view.tenant}`, view.subaccountId && `subaccount ${view.subaccountId}`].filter(Boolean).join(', ');
  const lines = [`Plan of the ${noun}${about ? ` of ${about}` : ''} (nothing was written)`];
  for (const step of view.steps) lines.push(...stepLines(step, paint));
  if (view.status === 'failed' && view.error) {
    lines.push(paint('31', `✖ The plan stopped at ${view.error.step} on ${view.error.system}: ${view.error.message}`), `  Fix: ${view.error.fix}`);
  } else if (view.status !== 'completed') {
    lines.push(`The plan is still ${view.status}: ${view.id}`);
  }
  lines.push(summary(view.steps));
  return lines;
}

function stepLines(step: StepView, paint: (code: string | undefined, text: string) => string): string[] {
  const plan = step.plan;
  if (!plan) return [`  · ${step.title}${step.detail ? `: ${step.detail}` : ''}`];
  const head = `  ${paint(COLOR[plan.action], `${SYMBOL[plan.action]} ${plan.action.padEnd(9)}`)}  ${plan.object ?? step.title}${plan.detail ? ` (${plan.detail})` : ''}`;
  const lines = [head];
  for (const change of plan.changes) lines.push(`        ${change.field}: ${change.from ?? NONE} → ${change.to ?? NONE}`);
  if (plan.conflict) {
    if (plan.conflict.usedBy.length) lines.push(`        used by: ${plan.conflict.usedBy.join('; ')}`);
    lines.push(`        fix: ${plan.conflict.fix}`);
  }
  for (const warning of step.warnings ?? []) lines.push(`        warning: ${warning}`);
  return lines;
}

function summary(steps: StepView[]): string {
  const count = (action: StepPlan['action']) => steps.filter((s) => s.plan?.action === action).length;
  const conflicts = count('conflict');
  return `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged${conflicts ? `, ${conflicts} conflict${conflicts > 1 ? 's' : ''}: a run would stop there` : ''}.`;
}

/** A plan with a conflict is a run that would fail. */
export const planHasConflict = (view: WorkflowRunView) => view.steps.some((s) => s.plan?.action === 'conflict');
