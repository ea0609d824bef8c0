/**
 * devhost + sandbox with Neo subaccounts for the Neo trust workflows: each subaccount is seeded with
 * its own platform API client (the sandbox lets a client manage only its own subaccount), stored as
 * the credential `neo-<subaccount>-platform-client`.
 */
import path from 'node:path';
import { fileSecretStore, type SecretStore } from '../../shared/secrets';
import { NEO_PLATFORM_CLIENT_CONTENT_TYPE } from '../../shared/neoTrust/neoPlatformClient';
import type { TrustDocument } from '../../shared/neoTrust/trustDocument';
import { startOnboardingStack, type ApiAnswer, type OnboardingStack, type StackOptions } from './onboardingStack';

export const NEO_LANDSCAPE = 'eu2.hana.ondemand.com';
const FINAL = new Set(['completed', 'failed', 'terminated']);

export interface NeoSubaccountSpec {
  subaccount: string;
  trust?: TrustDocument;
}

export interface NeoTrustStack {
  stack: OnboardingStack;
  secrets: SecretStore;
  credential(subaccount: string): string;
  target(subaccount: string): { landscapeHost: string; subaccount: string; credentialSecret: string };
  /** Every answer the product's API gave through this helper (for the secret audit). */
  answers: { label: string; text: string }[];
  call(method: string, p: string, body?: unknown): Promise<ApiAnswer>;
  /** POST /api/neo-trust/<kind> and wait for the run to end; returns the final view. */
  run(kind: 'exports' | 'imports' | 'restores', body: unknown, timeoutMs?: number): Promise<any>;
  plan(kind: 'exports' | 'imports' | 'restores', body: unknown): Promise<ApiAnswer>;
  /** The subaccount's trust configuration as the sandbox holds it (private key masked). */
  sandboxTrust(subaccount: string): Promise<any>;
  setSwitches(subaccount: string, switches: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startNeoTrustStack(subaccounts: NeoSubaccountSpec[], options: StackOptions = {}): Promise<NeoTrustStack> {
  const clients = new Map(subaccounts.map((s) => [s.subaccount, { clientId: `neo-${s.subaccount}-client`, clientSecret: `neo-${s.subaccount}-secret-${Math.random().toString(36).slice(2, 14)}` }]));
  const stack = await startOnboardingStack({
    landscapes: [],
    ...options,
    neoSubaccounts: subaccounts.map((s) => ({ landscape: NEO_LANDSCAPE, subaccount: s.subaccount, clients: [clients.get(s.subaccount)], ...(s.trust ? { trust: s.trust } : {}) })),
  });
  const credential = (subaccount: string) => `neo-${subaccount}-platform-client`;
  for (const s of subaccounts) {
    const answer = await stack.api('PUT', `/api/credentials/${credential(s.subaccount)}`, { value: clients.get(s.subaccount), contentType: NEO_PLATFORM_CLIENT_CONTENT_TYPE });
    if (answer.status !== 204) throw new Error(`storing ${credential(s.subaccount)}: HTTP ${answer.status} ${answer.text}`);
  }
  const answers: { label: string; text: string }[] = [];
  const call = async (method: string, p: string, body?: unknown) => {
    const answer = await stack.api(method, p, body);
    answers.push({ label: `${method} ${p} (HTTP ${answer.status})`, text: `${JSON.stringify(answer.headers)}\n${answer.text}` });
    return answer;
  };
  const waitFor = async (p: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await call('GET', p);
      if (answer.status === 200 && FINAL.has(answer.body.status)) return answer.body;
      if (Date.now() > deadline) throw new Error(`${p} did not end within ${timeoutMs} ms: ${answer.text.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  return {
    stack,
    secrets: fileSecretStore({ dir: path.join(stack.dataDir, 'secrets') }),
    credential,
    target: (subaccount) => ({ landscapeHost: NEO_LANDSCAPE, subaccount, credentialSecret: credential(subaccount) }),
    answers,
    call,
    async run(kind, body, timeoutMs = 120_000) {
      const started = await call('POST', `/api/neo-trust/${kind}`, body);
      if (started.status !== 202) throw new Error(`POST /api/neo-trust/${kind}: HTTP ${started.status} ${started.text}`);
      return waitFor(`/api/neo-trust/${kind}/${started.body.id}`, timeoutMs);
    },
    plan: (kind, body) => call('POST', `/api/neo-trust/${kind}/plans`, body),
    async sandboxTrust(subaccount) {
      const state = await stack.sandboxState();
      return state.services?.neo?.[`${NEO_LANDSCAPE}/${subaccount}`]?.trust;
    },
    setSwitches: (subaccount, switches) => stack.setSwitches(subaccount, switches),
    stop: () => stack.stop(),
  };
}
