/** OnboardingView snapshots of one run, as the HTTP API answers them. */
import type { OnboardingView } from '../../../cli/onboardingView';

const STEPS = [
  ['preflight', 'Preflight'],
  ['trustCertificate', 'Trust certificate'],
  ['communicationUser', 'Communication user'],
  ['communicationSystem', 'Communication system'],
  ['arrangement', 'Communication arrangement'],
  ['oauthDetails', 'OAuth 2.0 details'],
  ['destination', 'Destination'],
  ['verify', 'Verify token exchange'],
  ['record', 'Record tenant'],
] as const;

const base = {
  id: 'onboard-my100001-0a1b2c3d',
  kind: 'onboardings',
  mode: 'run' as const,
  tenant: 'my100001',
  subaccountId: '0a1b2c3d-1111-2222-3333-444455556666',
  createdAt: '2025-01-01T10:00:00.000Z',
};

/** The first `done` steps finished with `outcome`, the next one running. */
export function runningView(done: number, outcome: 'created' | 'unchanged' = 'created'): OnboardingView {
  return {
    ...base,
    status: 'running',
    updatedAt: '2025-01-01T10:00:02.000Z',
    current: { step: STEPS[done][0], index: done + 1, total: STEPS.length, message: `${STEPS[done][1]}…` },
    steps: STEPS.map(([id, title], i) =>
      i < done
        ? { id, title, outcome, startedAt: '2025-01-01T10:00:00.000Z', finishedAt: '2025-01-01T10:00:00.250Z', durationMs: 250 + i }
        : i === done
          ? { id, title, startedAt: '2025-01-01T10:00:01.000Z' }
          : { id, title },
    ),
  };
}

export function waitingView(lastVerification?: string): OnboardingView {
  const view = runningView(3);
  view.status = 'waiting for manual step';
  view.steps[3].outcome = 'waiting';
  view.manualAction = {
    step: 'communicationSystem',
    title: 'Upload the signing certificate to the communication system',
    instructions: ['Open communication system SAP_BTP_0A1B2C3D.', 'Under OAuth 2.0 Identity Provider, upload the certificate as Signing Certificate.'],
    attachments: [{ name: 'certificate', fileName: 'trust.pem', contentType: 'application/x-pem-file', description: 'BTP trust certificate', url: '/api/onboardings/onboard-my100001-0a1b2c3d/attachments/certificate' }],
    facts: { 'Fiori app': 'Communication Systems', 'OAuth 2.0 SAML Issuer': 'CN=cfapps.eu10.hana.ondemand.com/0a1b2c3d' },
    resumeUrl: '/api/onboardings/onboard-my100001-0a1b2c3d/manual-steps/communicationSystem',
    deadline: '2025-01-08T10:00:00.000Z',
    lastVerification,
  };
  return view;
}

export function completedView(): OnboardingView {
  const view = runningView(9 - 1);
  view.status = 'completed';
  view.steps[8] = { ...view.steps[8], outcome: 'created', finishedAt: '2025-01-01T10:00:04.000Z', durationMs: 12 };
  view.current = undefined;
  view.updatedAt = '2025-01-01T10:00:04.200Z';
  view.result = {
    destinationName: 'S4_my100001_SAML',
    destinationUrl: 'https://my100001-api.s4hana.ondemand.com',
    tokenServiceURL: 'https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token',
    audience: 'https://my100001.s4hana.ondemand.com',
    clientId: 'SAP_BTP_CLIENT_0A1B',
    tokenExchangeVerified: true,
    certificateFingerprint: 'AB:CD',
    certificateNotAfter: '2026-01-01T00:00:00.000Z',
  };
  return view;
}

export function failedView(): OnboardingView {
  const view = runningView(4);
  view.status = 'failed';
  view.steps[4] = { ...view.steps[4], outcome: 'failed', durationMs: 80, detail: 'S4Error(Forbidden)' };
  view.error = {
    step: 'arrangement',
    system: 'my100001-api.s4hana.ondemand.com',
    message: 'S4Error(Forbidden): my100001 CommunicationArrangements create: "No authorization"',
    fix: 'Give the technical user on my100001 the authorization for CommunicationArrangements create.',
  };
  return view;
}
