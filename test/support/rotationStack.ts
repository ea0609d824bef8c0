/**
 * Doors to the rotation on top of the onboarding stack: start, follow, the sandbox's certificate facts
 * (which certificate BTP signs with, whether each tenant holds it, the timeline's mismatch windows).
 */
import { adminRequest } from './sandboxClient';
import { subaccount, type OnboardingStack } from './onboardingStack';

const FINAL = new Set(['completed', 'failed', 'terminated']);

export interface RotationView {
  id: string;
  status: string;
  current?: { step?: string; message?: string };
  steps: Array<{ id: string; outcome?: string; detail?: string; warnings?: string[]; plan?: unknown }>;
  manualAction?: { step: string; instructions: string[]; attachments: Array<{ name: string; url: string }> };
  result?: any;
  error?: { step: string; kind: string; message: string; fix: string };
}

export function rotationDoors(stack: OnboardingStack) {
  const get = async (id: string, kind = 'rotations'): Promise<RotationView> => {
    const answer = await stack.api('GET', `/api/${kind}/${encodeURIComponent(id)}`);
    if (answer.status !== 200 && answer.status !== 202) throw new Error(`GET ${kind} ${id}: HTTP ${answer.status} ${answer.text}`);
    return answer.body as RotationView;
  };
  const waitFor = async (id: string, until: (v: RotationView) => boolean = (v) => FINAL.has(v.status), timeoutMs = 120_000, kind = 'rotations') => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await get(id, kind);
      if (until(view)) return view;
      if (Date.now() > deadline) throw new Error(`${kind} ${id} still ${view.status} after ${timeoutMs} ms: ${JSON.stringify(view.current)} ${JSON.stringify(view.error ?? '')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const start = async (body: unknown, kind = 'rotations'): Promise<RotationView> => {
    const answer = await stack.api('POST', `/api/${kind}`, body);
    if (answer.status !== 202) throw new Error(`POST /api/${kind}: HTTP ${answer.status} ${answer.text}`);
    return answer.body as RotationView;
  };
  const inWindow = (v: RotationView) => FINAL.has(v.status) || v.current?.step === 'rollbackWindow' || v.status === 'waiting for manual step';
  const certificates = async (guid: string) => subaccount(await stack.sandboxState(), guid).trustCertificate as { active: { fingerprint256: string } | null; passive: { fingerprint256: string } | null };
  const timeline = async (): Promise<Record<string, { mismatched: boolean; mismatches: Array<{ ms: number | null }>; longestClosedMismatchMs: number | null }>> => {
    const answer = await adminRequest(stack.sandbox, '/timeline');
    return (answer.json() as { tenants: Record<string, any> }).tenants;
  };
  const resetTimeline = async () => void (await adminRequest(stack.sandbox, '/timeline', { method: 'DELETE' }));
  return { get, waitFor, start, inWindow, certificates, timeline, resetTimeline };
}
