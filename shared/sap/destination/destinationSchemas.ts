/** Payloads of the Destination service (contracts A.3–A.5; S-DSPEC). */
import { z } from 'zod';

const Pem = z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'expected a PEM certificate' });

export const TrustCertificateResponse = z.looseObject({ certificate: Pem });
export const RotateCertificateResponse = z.looseObject({ activeCertificate: Pem, passiveCertificate: Pem });
export const CountResponse = z.looseObject({ Count: z.number().int() });

/** A destination as the service returns it: Name and Type required, every other property a string key. */
export const Destination = z.looseObject({
  Name: z.string().min(1),
  Type: z.string().min(1),
});
export type Destination = z.infer<typeof Destination> & Record<string, unknown>;

/** What we write: Name, Type and string-valued properties (contracts A.4: "send strings"). */
export type DestinationProperties = { Name: string; Type: 'HTTP' | 'RFC' | 'MAIL' | 'LDAP' } & Record<string, string>;

export const DestinationList = z.array(Destination);

export const AuthToken = z.looseObject({
  type: z.string(),
  value: z.string(),
  http_header: z.looseObject({ key: z.string(), value: z.string() }).optional(),
  expires_in: z.union([z.string(), z.number()]).optional(),
  error: z.string().optional(),
});
export type AuthToken = z.infer<typeof AuthToken>;

export const FindDestinationResponse = z.looseObject({
  owner: z.looseObject({ SubaccountId: z.string().nullable().optional(), InstanceId: z.string().nullable().optional() }).optional(),
  destinationConfiguration: Destination,
  authTokens: z.array(AuthToken).optional(),
});
