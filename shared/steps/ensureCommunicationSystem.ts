/**
 * Step 3: the communication system that trusts the subaccount: OAuth 2.0 IdP active, SAML issuer =
 * the certificate CN, the signing certificate, the User ID mapping mode, and an inbound user for
 * the SAML bearer grant. Read, diff, write only what differs, then read back what S/4 holds.
 * Where the tenant refuses the certificate field (contracts G.1), the system is written without it
 * and `certificateMatches: false` sends the run to the manual step.
 */
import { isSapError } from '../sap/errors';
import type { CommunicationSystem, S4Client } from '../sap/s4';
import {
  holdsSigningCertificate,
  isSamlBearerInboundUser,
  oauth2IdentityProviderFields,
  OAUTH2_IDP_FIELDS,
  SIGNING_CERTIFICATE_FIELD,
} from '../sap/s4/unconfirmedFields';
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { CommunicationSystemRef, CommunicationUserRef, TrustCertificateRef } from './stepReferences';
import { asActivityOutcome, PermanentStepError, type ActivityOutcome, type StepOutcome } from './stepResult';

export interface CommunicationSystemInput {
  plan: OnboardingPlan;
  cert: TrustCertificateRef;
  user: CommunicationUserRef;
  uploadCertificate: boolean;
}

type Fields = Record<string, string | boolean>;

export function ensureCommunicationSystem(input: CommunicationSystemInput, deps: StepDependencies): Promise<ActivityOutcome<CommunicationSystemRef>> {
  const { plan, cert, user } = input;
  return asActivityOutcome('communicationSystem', plan.s4.tenant, async () => {
    const s4 = await deps.s4(plan.s4.host, plan.s4.bootstrapUserSecret);
    const wanted: Fields = {
      Name: plan.s4.communicationSystemId,
      ...oauth2IdentityProviderFields({
        samlIssuer: cert.commonName,
        userIdMappingMode: plan.s4.userIdMappingMode,
        ...(input.uploadCertificate ? { signingCertificatePem: cert.pem } : {}),
      }),
    };
    const changed: string[] = [];
    let certificateRefused = false;

    let system = await s4.systems.findById(plan.s4.communicationSystemId);
    let outcome: StepOutcome = 'unchanged';
    if (!system) {
      const write = (fields: Fields) =>
        s4.systems.create({ id: plan.s4.communicationSystemId, name: plan.s4.communicationSystemId, hostName: plan.s4.uiHost, fields });
      ({ result: system, certificateRefused } = await withoutRefusedCertificate(wanted, write));
      outcome = 'created';
    } else {
      const drift = driftedFields(system, wanted, cert.pem);
      if (drift.length > 0) {
        const uuid = system.UUID;
        const changes = Object.fromEntries(drift.map((k) => [k, wanted[k]]));
        ({ certificateRefused } = await withoutRefusedCertificate(changes, (fields) => s4.systems.patch(uuid, fields)));
        changed.push(...drift.filter((k) => !(certificateRefused && k === SIGNING_CERTIFICATE_FIELD)));
        if (changed.length > 0) outcome = 'updated';
      }
    }

    const inboundUser = await ensureInboundUser(s4, system, user.userId);
    if (inboundUser.created && outcome !== 'created') {
      changed.push('inbound user');
      outcome = 'updated';
    }

    const after = (await s4.systems.getByUUID(system.UUID)) ?? system;
    const problem = certificateProblem(after, cert);
    const ref: CommunicationSystemRef = {
      systemId: plan.s4.communicationSystemId,
      systemUuid: system.UUID,
      inboundUserUuid: inboundUser.uuid,
      oauthClientId: inboundUser.oauthClientId,
      certificateMatches: problem === undefined,
      ...(problem ? { certificateProblem: certificateRefused ? `the tenant refused the certificate field: ${problem}` : problem } : {}),
    };
    const detail = [changed.length ? `changed ${changed.join(', ')}` : '', problem ? `certificate: ${ref.certificateProblem}` : ''].filter(Boolean).join('; ');
    return { ok: true, outcome, reference: ref, ...(detail ? { detail } : {}) };
  });
}

/** Which wanted fields differ from what S/4 holds (the certificate compared as a certificate). */
function driftedFields(system: CommunicationSystem, wanted: Fields, pem: string): string[] {
  return Object.keys(wanted).filter((key) =>
    key === SIGNING_CERTIFICATE_FIELD ? !holdsSigningCertificate(system, pem) : system[key] !== wanted[key],
  );
}

/** Writes `fields`; when S/4 rejects the write and the certificate was part of it, writes the rest alone. */
async function withoutRefusedCertificate<T>(fields: Fields, write: (fields: Fields) => Promise<T>): Promise<{ result: T; certificateRefused: boolean }> {
  try {
    return { result: await write(fields), certificateRefused: false };
  } catch (e) {
    if (!(SIGNING_CERTIFICATE_FIELD in fields) || !isSapError(e) || e.kind !== 'Invalid') throw e;
    const { [SIGNING_CERTIFICATE_FIELD]: _refused, ...rest } = fields;
    return { result: await write(rest), certificateRefused: true };
  }
}

async function ensureInboundUser(s4: S4Client, system: CommunicationSystem, communicationUserId: string) {
  const existing = (system.InboundUsers ?? (await s4.systems.listInboundUsers(system.UUID))).find((u) => isSamlBearerInboundUser(u, communicationUserId));
  const inbound = existing ?? (await s4.systems.createSamlBearerInboundUser(system.UUID, communicationUserId));
  // S/4 assigns the OAuth client id; it may be the user name or its CC… id (contracts B.4), so read it back.
  const oauthClientId = inbound.OAuth2ClientID ?? (await s4.systems.listInboundUsers(system.UUID)).find((u) => u.UUID === inbound.UUID)?.OAuth2ClientID;
  if (!oauthClientId) {
    throw new PermanentStepError({
      system: system.ID,
      kind: 'NoOAuthClientId',
      message: `the inbound user of communication system ${system.ID} has no OAuth 2.0 client ID`,
      fix: `Open the system in the Fiori app Communication Systems and check the inbound user for communication user ${communicationUserId}.`,
    });
  }
  return { uuid: inbound.UUID, oauthClientId, created: !existing };
}

function certificateProblem(system: CommunicationSystem, cert: TrustCertificateRef): string | undefined {
  if (system[OAUTH2_IDP_FIELDS.active] !== true) return 'the OAuth 2.0 identity provider is not active';
  if (system[OAUTH2_IDP_FIELDS.samlIssuer] !== cert.commonName) return `the SAML issuer is "${String(system[OAUTH2_IDP_FIELDS.samlIssuer] ?? '')}", not ${cert.commonName}`;
  if (!holdsSigningCertificate(system, cert.pem)) return `the signing certificate is not ${cert.fingerprintSha256}`;
  return undefined;
}
