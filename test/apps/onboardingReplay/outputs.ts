/** A valid onboarding spec and what each onboarding step plausibly returns: just enough for the orchestrator. */
import type { OnboardingSpec } from '../../../orchestrations/onboarding/spec';
import type { CommunicationSystemRef } from '../../../orchestrations/onboarding/references';

export function onboardingSpec(overrides: Partial<OnboardingSpec> = {}): OnboardingSpec {
  return {
    btp: {
      region: 'eu10',
      subaccountId: '32fceecc-0000-4000-8000-000000000001',
      destinationServiceKeySecret: 'destination-key',
      destinationName: 'S4_MY100001',
      allowCertificateGeneration: true,
    },
    s4: {
      host: 'my100001-api.s4hana.ondemand.com',
      tenant: 'my100001',
      uiHost: 'my100001.s4hana.ondemand.com',
      bootstrapUserSecret: 'bootstrap-user',
      communicationUserName: 'COM0501_32FCEECC',
      communicationSystemId: 'BTP_32FCEECC',
      scenarioId: 'SAP_COM_0501',
      arrangementName: 'SAP_COM_0501_32FCEECC',
      userIdMappingMode: 'user_uuid',
    },
    destinationProperties: {},
    manualStepDeadlineDays: 7,
    adopt: [],
    ...overrides,
  };
}

export const systemOutput = (certificateMatches: boolean): CommunicationSystemRef => ({
  systemId: 'BTP_32FCEECC',
  systemUuid: 'uuid-system',
  inboundUserUuid: 'uuid-inbound',
  oauthClientId: 'CC0000000001',
  certificateMatches,
  ...(certificateMatches ? {} : { certificateProblem: 'the system has no signing certificate' }),
});

export const defaultOutputs: Record<string, () => unknown> = {
  preflight: () => ({ certificateUploadByApi: true, missingProperties: [] }),
  trustCertificate: () => ({
    commonName: 'cfapps.eu10.hana.ondemand.com/32fceecc',
    fingerprintSha256: 'AB:CD',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2028-01-01T00:00:00.000Z',
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    base64Der: 'MIIB',
  }),
  communicationUser: () => ({ userName: 'COM0501_32FCEECC', userId: 'CC0000000001', passwordSecret: 'password-com0501' }),
  communicationSystem: () => systemOutput(true),
  arrangement: () => ({ arrangementName: 'SAP_COM_0501_32FCEECC', arrangementUuid: 'uuid-arrangement', scenarioId: 'SAP_COM_0501' }),
  destination: () => ({ name: 'S4_MY100001', url: 'https://my100001-api.s4hana.ondemand.com' }),
  verify: () => ({ tokenObtained: true }),
  record: () => ({ tenantHost: 'my100001-api.s4hana.ondemand.com' }),
};
