/**
 * Onboard an S/4HANA Cloud tenant to a BTP subaccount (seed 003, DESIGN §5): trust certificate ∥
 * communication user → communication system → OAuth 2.0 details → arrangement ∥ destination →
 * verify the token exchange → record. Reads top to bottom like the procedure it automates.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { manualCertificateUpload } from './manualCertificateUpload';
import { OnboardingResult, OnboardingSubject } from './result';
import { OnboardingRequest } from '../../shared/schemas/onboardingRequest';
import { prepareOnboarding } from './request';
import { onboardingKey, OnboardingSpec } from './spec';
import { preflight } from './steps/preflight';
import { trustCertificate } from './steps/trustCertificate';
import { communicationUser } from './steps/communicationUser';
import { communicationSystem } from './steps/communicationSystem';
import { arrangement } from './steps/arrangement';
import { oauthDetails } from './steps/oauthDetails';
import { destination } from './steps/destination';
import { verify } from './steps/verify';
import { record } from './steps/record';
import { ROLLBACK_WINDOW_STEP } from '../rotation/steps/rollbackWindow';

export const onboarding = defineWorkflow<OnboardingSpec, OnboardingResult>({
  kind: 'onboardings',
  name: 'onboarding',
  noun: 'onboarding',
  idPrefix: 'onboard',
  request: OnboardingRequest,
  prepare: prepareOnboarding,
  input: OnboardingSpec,
  key: onboardingKey,
  exclusiveGroup: 'tenant',
  // An onboarding reads the trust certificate: while a rotation of its subaccount cuts over, it would read the
  // one about to be replaced. It gets a 409 naming the rotation until the rotation reaches its rollback window.
  blockedBy: [{ workflow: 'rotation', key: (spec) => spec.btp.subaccountId.toLowerCase(), while: (status) => status?.step !== ROLLBACK_WINDOW_STEP }],
  subject: OnboardingSubject,
  subjectOf: (spec) => ({ tenant: spec.s4.tenant, subaccountId: spec.btp.subaccountId }),
  steps: [preflight, trustCertificate, communicationUser, communicationSystem, oauthDetails, arrangement, destination, verify, record],
  result: OnboardingResult,

  *orchestrate(run, spec) {
    const caps = yield* run.step(preflight.with({ spec }));
    const [cert, user] = yield* run.together(trustCertificate.with({ spec }), communicationUser.with({ spec }));

    let system = yield* run.step(communicationSystem.with({ spec, cert, user, uploadCertificate: caps.certificateUploadByApi }));
    if (!system.certificateMatches) {
      system = yield* run.manual(communicationSystem.with({ spec, cert, user, uploadCertificate: false }), system, {
        action: (deadline) => manualCertificateUpload(spec, cert, run.id, deadline),
        pending: (s) => (s.certificateMatches ? undefined : `system ${spec.s4.communicationSystemId} does not hold the certificate ${cert.fingerprintSha256} with SAML issuer ${cert.commonName} yet (${s.certificateProblem})`),
        deadlineDays: spec.manualStepDeadlineDays,
        deadlineFix: `Upload the certificate in the Fiori app Communication Systems (system ${spec.s4.communicationSystemId}), then start the onboarding again.`,
      });
    }

    const oauth = yield* run.step(oauthDetails.with({ spec, system }));
    // The destination needs only the client ID, not the arrangement: the two are written together.
    const [arranged, dest] = yield* run.together(arrangement.with({ spec, system }), destination.with({ spec, oauth, user }));
    const verified = yield* run.step(verify.with({ spec, destination: dest }));
    yield* run.step(record.with({ spec, cert, system, arrangement: arranged, destination: dest, onboardingId: run.id, at: run.now().toISOString() }));

    return {
      destinationName: dest.name,
      destinationUrl: dest.url,
      tokenServiceURL: oauth.tokenServiceURL,
      audience: oauth.audience,
      clientId: oauth.clientId,
      tokenExchangeVerified: verified.tokenObtained,
      certificateFingerprint: cert.fingerprintSha256,
      certificateNotAfter: cert.notAfter,
    };
  },
});
