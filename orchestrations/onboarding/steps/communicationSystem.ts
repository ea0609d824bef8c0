/**
 * The communication system that trusts the subaccount: OAuth 2.0 IdP active, SAML issuer = the
 * certificate CN, the signing certificate, the User ID mapping mode, and an inbound user for the
 * SAML bearer grant. Where the tenant refuses the certificate field (contracts G.1), the system is
 * written without it and `certificateMatches: false` sends the run to the manual step. A system
 * that holds other inbound users or arrangements of other scenarios is not ours to change.
 */
import { z } from 'zod';
import { isSapError } from '../../../shared/sap/errors';
import type { CommunicationArrangement, CommunicationSystem, S4Client } from '../../../shared/sap/s4';
import {
  holdsSigningCertificate,
  isSamlBearerInboundUser,
  oauth2IdentityProviderFields,
  OAUTH2_IDP_FIELDS,
  SIGNING_CERTIFICATE_FIELD,
} from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { fieldChanges } from '../../../shared/workflow/stepPlan';
import { ownedDescription } from '../ownership';
import { CommunicationSystemRef, CommunicationUserRef, TrustCertificateRef } from '../references';
import { OnboardingSpec } from '../spec';

const Input = z.object({ spec: OnboardingSpec, cert: TrustCertificateRef, user: CommunicationUserRef, uploadCertificate: z.boolean() });
type Input = z.infer<typeof Input>;
type Fields = Record<string, string | boolean>;

interface Current {
  system?: CommunicationSystem;
  arrangements: CommunicationArrangement[];
}

const ASSIGNED = '(assigned by S/4 on create)';

export const communicationSystem = defineStep({
  id: 'communicationSystem',
  title: 'S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)',
  system: ({ spec }) => spec.s4.tenant,
  input: Input,
  output: CommunicationSystemRef,
  async read(deps, { spec }): Promise<Current> {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const [system, arrangements] = await Promise.all([s4.systems.findById(spec.s4.communicationSystemId), s4.arrangements.listBySystem(spec.s4.communicationSystemId)]);
    if (system && !system.InboundUsers) system.InboundUsers = await s4.systems.listInboundUsers(system.UUID);
    return { system, arrangements };
  },
  diff({ system, arrangements }, input) {
    const { spec, cert, user } = input;
    const object = `communication system ${spec.s4.communicationSystemId}`;
    const wanted = wantedFields(input);
    if (!system) {
      return {
        action: 'create',
        object,
        changes: [...fieldChanges(undefined, { ID: spec.s4.communicationSystemId, HostName: spec.s4.uiHost, ...shown(wanted, cert) }), { field: 'inbound user', to: `${user.userName} (OAuth 2.0 SAML bearer)` }],
        output: { systemId: spec.s4.communicationSystemId, systemUuid: ASSIGNED, inboundUserUuid: ASSIGNED, oauthClientId: ASSIGNED, certificateMatches: input.uploadCertificate },
      };
    }
    const inbound = system.InboundUsers?.find((u) => isSamlBearerInboundUser(u, user.userId));
    const output: CommunicationSystemRef = {
      systemId: system.ID,
      systemUuid: system.UUID,
      inboundUserUuid: inbound?.UUID ?? ASSIGNED,
      oauthClientId: inbound?.OAuth2ClientID ?? ASSIGNED,
      ...certificateState(system, cert),
    };
    const usedBy = foreignUse(system, arrangements, input);
    if (usedBy.length > 0 && !spec.adopt.includes('communicationSystem')) {
      return {
        action: 'conflict',
        object,
        changes: [],
        output,
        detail: `changing its OAuth 2.0 identity provider would affect ${usedBy.join('; ')}`,
        conflict: {
          usedBy,
          fix: `Choose another "s4.communicationSystemId" for this onboarding, or send "adopt": ["communicationSystem"] to take system ${system.ID} over knowingly.`,
        },
      };
    }
    const changes = [
      ...fieldChanges(system, shown(wanted, cert), { equal: (field, have) => (field === SIGNING_CERTIFICATE_FIELD ? holdsCertificate(system, cert) : String(have ?? '') === String(wanted[field] ?? '')) }),
      ...(inbound ? [] : [{ field: 'inbound user', to: `${user.userName} (OAuth 2.0 SAML bearer)` }]),
    ];
    if (changes.length === 0) return { action: 'unchanged', object, changes, output, ...problemDetail(output) };
    return { action: 'update', object, changes, output, detail: `changed ${changes.map((c) => c.field).join(', ')}` };
  },
  async write(deps, input, { system: existing }, diff) {
    const { spec, cert, user } = input;
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const wanted = wantedFields(input);
    let system = existing;
    let refused = false;
    if (!system) {
      ({ result: system, certificateRefused: refused } = await withoutRefusedCertificate(wanted, (fields) =>
        s4.systems.create({ id: spec.s4.communicationSystemId, name: spec.s4.communicationSystemId, hostName: spec.s4.uiHost, fields }),
      ));
    } else {
      const changed = Object.fromEntries(diff.changes.filter((c) => c.field in wanted).map((c) => [c.field, wanted[c.field]]));
      if (Object.keys(changed).length > 0) ({ certificateRefused: refused } = await withoutRefusedCertificate(changed, (fields) => s4.systems.patch(system!.UUID, fields)));
    }
    const inbound = await ensureInboundUser(s4, system, user.userId);
    // A create answers with the system as S/4 stored it (a certificate it dropped is missing there too);
    // after a PATCH, S/4 is asked again.
    const after = existing ? ((await s4.systems.getByUUID(system.UUID)) ?? system) : system;
    const state = certificateState(after, cert, refused);
    const output: CommunicationSystemRef = { systemId: spec.s4.communicationSystemId, systemUuid: system.UUID, inboundUserUuid: inbound.uuid, oauthClientId: inbound.oauthClientId, ...state };
    return { output, ...problemDetail(output) };
  },
});

function wantedFields({ spec, cert, uploadCertificate }: Input): Fields {
  return {
    Description: ownedDescription(spec),
    ...oauth2IdentityProviderFields({ samlIssuer: cert.commonName, userIdMappingMode: spec.s4.userIdMappingMode, ...(uploadCertificate ? { signingCertificatePem: cert.pem } : {}) }),
  };
}

/** The certificate field shown in a plan as its fingerprint, not as 1,700 characters of base64. */
function shown(fields: Fields, cert: TrustCertificateRef): Fields {
  return SIGNING_CERTIFICATE_FIELD in fields ? { ...fields, [SIGNING_CERTIFICATE_FIELD]: `certificate ${cert.fingerprintSha256}` } : fields;
}

/** Inbound users of other communication users, and arrangements of other scenarios: someone else uses this system. */
function foreignUse(system: CommunicationSystem, arrangements: CommunicationArrangement[], { spec, user }: Input): string[] {
  const otherUsers = (system.InboundUsers ?? []).filter((u) => u.CommunicationUserID && u.CommunicationUserID !== user.userId);
  const otherArrangements = arrangements.filter((a) => a.CommunicationScenarioID !== spec.s4.scenarioId);
  return [
    ...otherUsers.map((u) => `inbound user ${u.CommunicationUserID}`),
    ...otherArrangements.map((a) => `arrangement ${a.Name} (${a.CommunicationScenarioID})`),
  ];
}

function certificateState(system: CommunicationSystem, cert: TrustCertificateRef, refused = false): Pick<CommunicationSystemRef, 'certificateMatches' | 'certificateProblem'> {
  const problem = certificateProblem(system, cert);
  if (!problem) return { certificateMatches: true };
  return { certificateMatches: false, certificateProblem: refused ? `the tenant refused the certificate field: ${problem}` : problem };
}

const problemDetail = (output: CommunicationSystemRef) => (output.certificateProblem ? { warnings: [`certificate: ${output.certificateProblem}`] } : {});

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
  return { uuid: inbound.UUID, oauthClientId };
}

function certificateProblem(system: CommunicationSystem, cert: TrustCertificateRef): string | undefined {
  if (system[OAUTH2_IDP_FIELDS.active] !== true) return 'the OAuth 2.0 identity provider is not active';
  if (system[OAUTH2_IDP_FIELDS.samlIssuer] !== cert.commonName) return `the SAML issuer is "${String(system[OAUTH2_IDP_FIELDS.samlIssuer] ?? '')}", not ${cert.commonName}`;
  if (!holdsCertificate(system, cert)) return `the signing certificate is not ${cert.fingerprintSha256}`;
  return undefined;
}

/** A plan may carry a certificate that BTP has not generated yet: no system can hold that one. */
const holdsCertificate = (system: CommunicationSystem, cert: TrustCertificateRef) => cert.pem !== '' && holdsSigningCertificate(system, cert.pem);
