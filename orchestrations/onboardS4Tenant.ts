/**
 * Onboard an S/4HANA Cloud tenant to a BTP subaccount (seed 003, DESIGN §5): trust certificate →
 * communication user → communication system → arrangement → OAuth 2.0 details → destination →
 * verify the token exchange → record. Pure: it only yields durable tasks and decides.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { ONBOARDING_STEPS } from '../shared/steps/onboardingSteps';
import { OnboardingPlan } from '../shared/steps/onboardingPlan';
import { manualCertificateUpload, manualStepEventName } from '../shared/steps/manualCertificateUpload';
import type {
  ArrangementRef,
  CommunicationSystemRef,
  CommunicationUserRef,
  DestinationRef,
  OAuthDetails,
  Preflight,
  TokenExchangeResult,
  TrustCertificateRef,
} from '../shared/steps/stepReferences';
import type { OnboardingResult } from '../shared/steps/onboardingResult';
import { activities } from '../functions/activities/onboardingActivities';
import { stepReporter } from './stepReporter';

export const ONBOARD_S4_TENANT = 'onboardS4Tenant';

const onboardS4Tenant: OrchestrationHandler = function* (context: OrchestrationContext) {
  const plan = OnboardingPlan.parse(context.df.getInput());
  const progress = stepReporter(context, ONBOARDING_STEPS);
  const s4 = plan.s4.tenant;
  const btp = `subaccount ${plan.btp.subaccountId}`;

  const caps: Preflight = yield* progress.run('preflight', activities.preflight({ plan }), s4);
  const cert: TrustCertificateRef = yield* progress.run('trustCertificate', activities.ensureTrustCertificate({ plan }), btp);
  const user: CommunicationUserRef = yield* progress.run('communicationUser', activities.ensureCommunicationUser({ plan }), s4);

  const uploadByApi = caps.certificateUploadByApi;
  let system: CommunicationSystemRef = yield* progress.run(
    'communicationSystem',
    activities.ensureCommunicationSystem({ plan, cert, user, uploadCertificate: uploadByApi }),
    s4,
  );
  if (!system.certificateMatches) {
    system = yield* waitForCertificateUpload(context, progress, plan, cert, user);
  }

  const arrangement: ArrangementRef = yield* progress.run('arrangement', activities.ensureArrangement({ plan, system }), s4);
  const oauth: OAuthDetails = yield* progress.run('oauthDetails', activities.readOAuthDetails({ plan, system, arrangement }), s4);
  const destination: DestinationRef = yield* progress.run('destination', activities.ensureDestination({ plan, oauth, user }), btp);
  const verified: TokenExchangeResult = yield* progress.run('verify', activities.verifyTokenExchange({ plan, destination }), btp);
  yield* progress.run('record', activities.recordTenant({ plan, cert, system, arrangement, destination, verified, onboardingId: context.df.instanceId }), 'tenant registry');

  const result: OnboardingResult = {
    destinationName: destination.name,
    destinationUrl: destination.url,
    tokenServiceURL: oauth.tokenServiceURL,
    audience: oauth.audience,
    clientId: oauth.clientId,
    tokenExchangeVerified: verified.tokenObtained,
    certificateFingerprint: cert.fingerprintSha256,
    certificateNotAfter: cert.notAfter,
  };
  return result;
};

/**
 * The tenant does not take the signing certificate through the API: a person uploads it in Fiori,
 * confirms with POST /api/onboardings/{id}/manual-steps/communicationSystem, and we read it back.
 */
function* waitForCertificateUpload(
  context: OrchestrationContext,
  progress: ReturnType<typeof stepReporter>,
  plan: OnboardingPlan,
  cert: TrustCertificateRef,
  user: CommunicationUserRef,
): Generator<df.Task, CommunicationSystemRef, unknown> {
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + plan.manualStepDeadlineDays * 86_400_000);
  let lastVerification: string | undefined;
  for (;;) {
    progress.waitFor('communicationSystem', {
      ...manualCertificateUpload(plan, cert, context.df.instanceId, deadline),
      lastVerification,
    });
    const confirmation = context.df.waitForExternalEvent(manualStepEventName('communicationSystem'));
    // A new timer for the same deadline each round: a task may be yielded only once.
    const timer = context.df.createTimer(deadline);
    const winner = (yield context.df.Task.any([confirmation, timer])) as df.Task;
    if (winner === timer) {
      return progress.fail('communicationSystem', {
        step: 'communicationSystem',
        system: plan.s4.tenant,
        kind: 'ManualStepDeadline',
        message: lastVerification
          ? `the manual certificate upload was not found before the deadline ${deadline.toISOString()}. ${lastVerification}`
          : `nobody confirmed the manual certificate upload before the deadline ${deadline.toISOString()}`,
        fix: `Upload the certificate in the Fiori app Communication Systems (system ${plan.s4.communicationSystemId}), then start the onboarding again.`,
      });
    }
    timer.cancel();
    progress.resumeAfterManualStep('communicationSystem', 'Checking the manual certificate upload…');
    const system: CommunicationSystemRef = yield* progress.run(
      'communicationSystem',
      activities.ensureCommunicationSystem({ plan, cert, user, uploadCertificate: false }),
      plan.s4.tenant,
    );
    if (system.certificateMatches) return system;
    lastVerification = `Checked at ${context.df.currentUtcDateTime.toISOString()}: system ${plan.s4.communicationSystemId} does not hold the certificate ${cert.fingerprintSha256} with SAML issuer ${cert.commonName} yet.`;
  }
}

df.app.orchestration(ONBOARD_S4_TENANT, onboardS4Tenant);
