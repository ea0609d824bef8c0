/**
 * POST /api/ias-trusts → the orchestration input. Every problem of the request and of its SP
 * metadata is a 400 naming the field, before anything is written: malformed XML, a DOCTYPE or
 * entity, no entityID or ACS, an expired or unreadable certificate, an unknown Identity Directory
 * attribute, an application name that two IAS applications carry.
 */
import { z } from 'zod';
import { runtimeServices } from '../../shared/config/runtimeServices';
import type { Prepared } from '../../shared/workflow/defineWorkflow';
import { validationErrors, type FieldError } from '../../shared/schemas/fieldErrors';
import { checkIasApiClient, iasTenantSpec, IasTenantRequest } from '../../shared/schemas/iasTenant';
import { parseSpMetadata, MAX_METADATA_CHARS } from '../../shared/saml/spMetadata';
import { samlConfigurationFromMetadata } from '../../shared/ias/samlConfigurationFromMetadata';
import { isIdentityDirectoryAttribute, suggestIdentityDirectoryAttribute } from '../../shared/ias/identityDirectoryAttributes';
import type { AttributeMapping } from '../../shared/ias/attributeSources';
import { SEED_000_ATTRIBUTES } from './seedAttributes';
import { findApplicationsNamed } from './applicationLookup';
import { serviceProviderFrom } from './serviceProvider';
import type { IasTrustSpec } from './spec';

const MetadataUrl = z
  .url({ protocol: /^https$/, message: 'must be an https URL' })
  .refine((u) => !u.includes('?'), 'must not contain a query parameter (IAS refuses it)')
  .meta({ description: 'Where IAS can read the SP metadata itself; IAS then renews expired SP certificates on its own.' });

export const IasTrustRequest = z
  .object({
    ias: IasTenantRequest,
    applicationName: z.string().trim().min(1).max(255).meta({ description: 'The IAS application, found by this exact name (created when missing).' }),
    spMetadataXml: z.string().max(MAX_METADATA_CHARS).optional().meta({ description: "The SP metadata XML exactly as the cockpit's Get Metadata produces it." }),
    neoSubaccount: z.unknown().optional().meta({ description: 'Not available yet: build the SP metadata from a Neo subaccount (needs the Neo safe import, issue 11).' }),
    spMetadataUrl: MetadataUrl.optional(),
    assertionAttributes: z
      .record(z.string().min(1).max(255), z.string().min(1).max(255))
      .optional()
      .meta({ description: 'Extra assertion attributes: assertion attribute name → Identity Directory attribute (technical name, e.g. "department").' }),
  })
  .strict();
export type IasTrustRequest = z.infer<typeof IasTrustRequest>;

export async function prepareIasTrust(body: unknown): Promise<Prepared<IasTrustSpec>> {
  const parsed = IasTrustRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, IasTrustRequest) };
  const request = parsed.data;
  const fields: FieldError[] = [];
  if (request.neoSubaccount !== undefined) {
    fields.push({ field: 'neoSubaccount', message: 'building the SP metadata from a Neo subaccount is not available in this version (it needs the Neo safe import); give spMetadataXml from the cockpit\'s Get Metadata instead' });
  }
  if (request.spMetadataXml === undefined && request.neoSubaccount === undefined) fields.push({ field: 'spMetadataXml', message: 'is required: the SP metadata XML from the cockpit\'s Get Metadata' });
  const attributes: AttributeMapping[] = [...SEED_000_ATTRIBUTES];
  for (const [attribute, value] of Object.entries(request.assertionAttributes ?? {})) {
    if (!isIdentityDirectoryAttribute(value)) {
      const near = suggestIdentityDirectoryAttribute(value);
      fields.push({ field: `assertionAttributes.${attribute}`, message: `"${value}" is not an Identity Directory attribute${near ? `; did you mean ${near}?` : ''}` });
      continue;
    }
    const i = attributes.findIndex((a) => a.attribute === attribute);
    if (i >= 0) attributes[i] = { attribute, source: 'identityDirectory', value };
    else attributes.push({ attribute, source: 'identityDirectory', value });
  }
  let spec: IasTrustSpec | undefined;
  if (request.spMetadataXml !== undefined) {
    const reading = parseSpMetadata(request.spMetadataXml, new Date());
    if (!reading.ok) fields.push(...reading.problems.map((message) => ({ field: 'spMetadataXml', message })));
    else {
      fields.push(...samlConfigurationFromMetadata(reading.metadata).problems.map((message) => ({ field: 'spMetadataXml', message })));
      spec = {
        ias: iasTenantSpec(request.ias),
        applicationName: request.applicationName,
        serviceProvider: serviceProviderFrom(reading.metadata),
        ...(request.spMetadataUrl ? { metadataUrl: request.spMetadataUrl } : {}),
        attributes,
      };
    }
  }
  if (fields.length > 0 || !spec) return { ok: false, status: 400, fields };
  const credential = await checkIasApiClient(request.ias, runtimeServices().secrets);
  if (credential.length > 0) return { ok: false, status: 422, fields: credential };
  const ambiguous = await findApplicationsNamed(spec);
  if (ambiguous) return { ok: false, status: 400, fields: [ambiguous] };
  return { ok: true, input: spec };
}
