/** What a completed platform-user attribute mapping returns, and what the views show about a run. */
import { z } from 'zod';
import { AttributeMapping } from '../../shared/ias/attributeSources';

export const MappingResult = z.object({
  applicationId: z.string(),
  applicationName: z.string(),
  corporateIdp: z.string(),
  identityFederation: z.boolean(),
  subjectNameIdentifier: z.string(),
  attributes: z.array(AttributeMapping),
  users: z.number().int(),
  duplicateEmails: z.number().int(),
});
export type MappingResult = z.infer<typeof MappingResult>;

export const MappingSubject = z.object({ iasTenant: z.string(), applicationName: z.string() });
