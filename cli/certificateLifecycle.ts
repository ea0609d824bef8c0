/** `sap-trust rotate | rollback | repair`: the certificate lifecycle routes, one short report each. */
import type { OnboardingApi } from './onboardingApi';

type Println = (line?: string) => void;

interface RunAnswer {
  id?: string;
  status?: string;
  error?: { message?: string; fix?: string };
  steps?: Array<{ id: string; title: string; detail?: string; plan?: { action: string; changes?: Array<{ field: string; to?: string }> } }>;
}

export async function rotate(api: OnboardingApi, subaccountId: string, plan: boolean, println: Println): Promise<boolean> {
  if (!plan) {
    const started = (await api.send('POST', '/api/rotations', { subaccountId })) as RunAnswer;
    println(`Started rotation ${started.id}: follow it with GET ${api.base}/api/rotations/${started.id}`);
    return true;
  }
  const view = (await api.send('POST', '/api/rotations/plans', { subaccountId })) as RunAnswer;
  if (view.error) {
    println(`The plan stopped: ${view.error.message}`);
    if (view.error.fix) println(`Fix: ${view.error.fix}`);
    return false;
  }
  for (const step of view.steps ?? []) {
    const changes = step.plan?.changes ?? [];
    println(`${step.title}${step.plan ? `: ${step.plan.action}` : ''}${step.detail ? ` (${step.detail})` : ''}`);
    for (const c of changes.slice(0, 20)) println(`    ${c.field}${c.to ? ` → ${c.to}` : ''}`);
    if (changes.length > 20) println(`    … and ${changes.length - 20} more`);
  }
  println('Nothing was changed.');
  return true;
}

export async function rollback(api: OnboardingApi, id: string, println: Println): Promise<boolean> {
  await api.send('POST', `/api/rotations/${encodeURIComponent(id)}/rollback`);
  println(`Rolling back ${id}: every tenant gets the old certificate, then BTP rotates back. Follow it with GET ${api.base}/api/rotations/${id}`);
  return true;
}

export async function repair(api: OnboardingApi, subaccountId: string, println: Println): Promise<boolean> {
  const answer = (await api.send('POST', '/api/repairs/mismatched', { subaccountId })) as { repairs: Array<{ tenantHost: string; started?: string; skipped?: string }>; note?: string };
  if (answer.note) println(answer.note);
  for (const r of answer.repairs) println(r.started ? `${r.tenantHost}: repair ${r.started} started` : `${r.tenantHost}: not started (${r.skipped})`);
  return true;
}
