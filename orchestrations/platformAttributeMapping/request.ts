/**
 * POST /api/attribute-mappings → the orchestration input. 400 for a request that cannot be right
 * whatever IAS holds: an expression with unbalanced braces or an unknown function, an unknown
 * Identity Directory attribute. What depends on the corporate IdP's settings is checked by the run,
 * before it writes.
 */
import { z } from 'zod';
import { runtimeServices } from '../../shared/config/runtimeServices';
import type { Prepared } from '../../shared/workflow/defineWorkflow';
import { validationErrors, type FieldError } from '../../shared/schemas/fieldErrors';
import { checkIasApiClient, iasTenantSpec, IasTenantRequest } from '../../shared/schemas/iasTenant';
import { expressionProblems } from '../../shared/ias/attributeExpression';
import { isIdentityDirectoryAttribute, suggestIdentityDirectoryAttribute } from '../../shared/ias/identityDirectoryAttributes';
import { findApplicationsNamed } from '../iasApplicationTrust/applicationLookup';
import { DEFAULT_BTP_APPLICATION, type MappingSpec } from './spec';

const IdpAttributeName = z.string().trim().min(1).max(200).regex(/^[^\s${}:]+$/, 'must be an attribute name as the corporate IdP sends it, without spaces, $, {, } or :');

export const AttributeMappingRequest = z
  .object({
    ias: IasTenantRequest,
    applicationName: z.string().trim().min(1).max(255).default(DEFAULT_BTP_APPLICATION).meta({ description: 'The IAS application representing SAP BTP for platform users.' }),
    corporateIdp: z.string().trim().min(1).max(255).optional().meta({ description: 'Display name or id of the corporate IdP; may be left out when the tenant has one.' }),
    corporateIdpAttributes: z
      .object({ email: IdpAttributeName, first_name: IdpAttributeName, last_name: IdpAttributeName, groups: IdpAttributeName })
      .partial()
      .strict()
      .default({})
      .meta({ description: 'Where the corporate IdP sends an attribute under another name, e.g. {"last_name":"sn"}.' }),
    groupsExpression: z.string().max(512).optional().meta({ description: 'Expression source for groups, e.g. ${companyGroups:regex[BTP.*]}.' }),
    subjectNameIdentifier: z.string().default('uid').meta({ description: 'Identity Directory attribute sent as subject name identifier (default uid = User ID).' }),
  })
  .strict();

export async function prepareAttributeMapping(body: unknown): Promise<Prepared<MappingSpec>> {
  const parsed = AttributeMappingRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, AttributeMappingRequest) };
  const request = parsed.data;
  const fields: FieldError[] = [];
  if (request.groupsExpression !== undefined) {
    fields.push(...expressionProblems(request.groupsExpression).map((p) => ({ field: 'groupsExpression', message: `expression ${p}` })));
  }
  if (!isIdentityDirectoryAttribute(request.subjectNameIdentifier)) {
    const near = suggestIdentityDirectoryAttribute(request.subjectNameIdentifier);
    fields.push({ field: 'subjectNameIdentifier', message: `"${request.subjectNameIdentifier}" is not an Identity Directory attribute${near ? `; did you mean ${near}?` : ''}` });
  }
  if (fields.length > 0) return { ok: false, status: 400, fields };
  const credential = await checkIasApiClient(request.ias, runtimeServices().secrets);
  if (credential.length > 0) return { ok: false, status: 422, fields: credential };
  const ambiguous = await findApplicationsNamed({ ias: iasTenantSpec(request.ias), applicationName: request.applicationName });
  if (ambiguous) return { ok: false, status: 400, fields: [ambiguous] };
  return {
    ok: true,
    input: {
      ias: iasTenantSpec(request.ias),
      applicationName: request.applicationName,
      ...(request.corporateIdp ? { corporateIdp: request.corporateIdp } : {}),
      corporateIdpAttributes: request.corporateIdpAttributes,
      ...(request.groupsExpression !== undefined ? { groupsExpression: request.groupsExpression } : {}),
      subjectNameIdentifier: request.subjectNameIdentifier,
    },
  };
}
