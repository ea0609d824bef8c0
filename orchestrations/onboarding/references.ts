/**
 * What each onboarding step hands to the next, through Durable history: names, ids, fingerprints
 * and public certificates. Never a secret value: the communication user's password travels as the
 * NAME of its secret.
 */
import { z } from 'zod';

export const Preflight = z.object({
  /** The tenant's $metadata has the signing-certificate property we would write. */
  certificateUploadByApi: z.boolean(),
  /** Properties we intend to write that the tenant's $metadata lacks. */
  missingProperties: z.array(z.string()),
});
export type Preflight = z.infer<typeof Preflight>;

export const TrustCertificateRef = z.object({
  /** The SAML issuer S/4 must know: the CN, read from the certificate. */
  commonName: z.string(),
  fingerprintSha256: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  /** Public certificate: what the manual step offers for download. */
  pem: z.string(),
  base64Der: z.string(),
});
export type TrustCertificateRef = z.infer<typeof TrustCertificateRef>;

export const CommunicationUserRef = z.object({
  userName: z.string(),
  userId: z.string(),
  /** Name of the secret that holds the password. */
  passwordSecret: z.string(),
});
export type CommunicationUserRef = z.infer<typeof CommunicationUserRef>;

export const CommunicationSystemRef = z.object({
  systemId: z.string(),
  systemUuid: z.string(),
  inboundUserUuid: z.string(),
  /** The OAuth 2.0 client id S/4 assigned to the inbound user (read back, contracts B.4). */
  oauthClientId: z.string(),
  /** The system holds the trust certificate and the SAML issuer equals its CN. */
  certificateMatches: z.boolean(),
  /** Why not, when it does not: shown to the person doing the manual step. */
  certificateProblem: z.string().optional(),
});
export type CommunicationSystemRef = z.infer<typeof CommunicationSystemRef>;

export const ArrangementRef = z.object({
  arrangementName: z.string(),
  arrangementUuid: z.string(),
  scenarioId: z.string(),
});
export type ArrangementRef = z.infer<typeof ArrangementRef>;

export const OAuthDetails = z.object({
  clientId: z.string(),
  tokenServiceURL: z.string(),
  audience: z.string(),
});
export type OAuthDetails = z.infer<typeof OAuthDetails>;

export const DestinationRef = z.object({
  name: z.string(),
  url: z.string(),
});
export type DestinationRef = z.infer<typeof DestinationRef>;

export const TokenExchangeResult = z.object({
  tokenObtained: z.boolean(),
});
export type TokenExchangeResult = z.infer<typeof TokenExchangeResult>;
