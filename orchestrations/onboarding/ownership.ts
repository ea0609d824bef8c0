/**
 * How the onboarding marks what it creates, so that it can tell its own objects from objects someone
 * else made or uses (DESIGN §4.3). S/4 objects carry the mark in their description (80 characters,
 * so the text is built to fit whole); the destination carries it as a property of its own.
 */
import type { OnboardingSpec } from './spec';

const MARK = 'sap-trust';
/** Descriptions written before the mark existed: "BTP subaccount <guid> (SAP_COM_0501), managed by s" (cut at 80). */
const LEGACY_MARK = /^BTP subaccount [0-9a-f-]{36} \(\w+\), managed by s/i;

export const DESCRIPTION_MAX = 80;

/** `sap-trust · BTP subaccount <guid> · SAP_COM_0501`: 78 characters at most, so it is never cut. */
export function ownedDescription(spec: OnboardingSpec): string {
  const full = `${MARK} · BTP subaccount ${spec.btp.subaccountId} · ${spec.s4.scenarioId}`;
  return full.length <= DESCRIPTION_MAX ? full : `${MARK} · BTP subaccount ${spec.btp.subaccountId}`;
}

export const carriesOurMark = (description: string | null | undefined) =>
  typeof description === 'string' && (description.startsWith(`${MARK} · `) || LEGACY_MARK.test(description));

/** The destination property that says which onboarding owns the destination. */
export const DESTINATION_OWNER_PROPERTY = 'sapTrustOwner';
export const destinationOwner = (spec: OnboardingSpec) => `${MARK} onboarding of ${spec.s4.tenant} to subaccount ${spec.btp.subaccountId}`;

/** Destinations written before the owner property existed carry the mark in their description, with the tenant they were made for. */
const LEGACY_DESTINATION_MARK = /^SAP S\/4HANA Cloud (\S+) \(\w+\), managed by sap-trust-onboarding$/;

/** Who owns a destination, read from its properties: us (this onboarding), another onboarding, or someone else. */
export function destinationOwnership(properties: Record<string, unknown>, spec: OnboardingSpec): 'ours' | 'another onboarding' | 'not ours' {
  const owner = properties[DESTINATION_OWNER_PROPERTY];
  if (typeof owner === 'string') return owner === destinationOwner(spec) ? 'ours' : 'another onboarding';
  const legacy = typeof properties.Description === 'string' ? LEGACY_DESTINATION_MARK.exec(properties.Description) : null;
  if (!legacy) return 'not ours';
  return legacy[1].toLowerCase() === spec.s4.tenant.toLowerCase() ? 'ours' : 'another onboarding';
}

/** The onboarding that owns a destination, in words, when it is not this one. */
export function destinationHolder(properties: Record<string, unknown>): string {
  const owner = properties[DESTINATION_OWNER_PROPERTY];
  if (typeof owner === 'string') return owner;
  const legacy = typeof properties.Description === 'string' ? LEGACY_DESTINATION_MARK.exec(properties.Description) : null;
  return legacy ? `${MARK} onboarding of ${legacy[1]} (marked by an earlier version in its description)` : 'someone else (it has no sap-trust owner mark)';
}

/** Marked by the onboarding of this subaccount: the mark alone may be another subaccount's onboarding. */
export const carriesMarkOf = (description: string | null | undefined, spec: OnboardingSpec): description is string =>
  carriesOurMark(description) && description!.toLowerCase().includes(spec.btp.subaccountId.toLowerCase());
