/** The resolved platform-user attribute mapping (seed 001): what the request asks, every default applied. */
import { z } from 'zod';
import { IasTenantSpec, nameKey } from '../../shared/schemas/iasTenant';

export const DEFAULT_BTP_APPLICATION = 'SAP Business Technology Platform';

export const MappingSpec = z.object({
  ias: IasTenantSpec,
  applicationName: z.string(),
  /** id, name or display name of the corporate IdP; absent when the tenant has exactly one. */
  corporateIdp: z.string().optional(),
  corporateIdpAttributes: z.object({ email: z.string(), first_name: z.string(), last_name: z.string(), groups: z.string() }).partial(),
  groupsExpression: z.string().optional(),
  subjectNameIdentifier: z.string(),
});
export type MappingSpec = z.infer<typeof MappingSpec>;

export const mappingKey = (spec: Pick<MappingSpec, 'ias' | 'applicationName'>) => `${spec.ias.tenant}-${nameKey(spec.applicationName)}`;
export const iasSystem = (spec: Pick<MappingSpec, 'ias'>) => `IAS tenant ${spec.ias.tenantHost}`;

export const CorporateIdpFacts = z.object({
  id: z.string(),
  displayName: z.string(),
  identityFederation: z.boolean(),
  /** UNCONFIRMED reading of "allows local users" (corporateIdpFacts.ts). */
  localUsersAllowed: z.boolean(),
});
export type CorporateIdpFacts = z.infer<typeof CorporateIdpFacts>;
