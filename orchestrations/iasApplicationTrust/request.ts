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
import { SecretName } from '../../shared/schemas/secretName';
import { NeoTrustTarget } from '../../shared/neoTrust/pacedNeoTrust';
import { neoCredentialProblems } from '../neoTrust/credentialCheck';
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
    neoSubaccount: z
      .strictObject({
        landscapeHost: NeoTrustTarget.shape.landscapeHost,
        subaccount: NeoTrustTarget.shape.subaccount,
        credentialSecret: SecretName.meta({ description: 'The Neo platform API client {"clientId","clientSecret"} (readTrustSettings, manageTrustSettings).' }),
        localServiceProviderName: z.string().trim().min(1).max(64).optional().meta({ description: 'Name (entity ID) of the local service provider when it is not Custom yet; default https://<landscapeHost>/<subaccount>.' }),
        keyValidDays: z.number().int().min(30).max(3650).default(730).meta({ description: 'Validity of the generated self-signed certificate.' }),
      })
      .optional()
      .meta({ description: 'Instead of spMetadataXml: make the Neo local service provider Custom with a generated key pair (safe import: back up, import, read back), then use its SP metadata.' }),
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
  if (request.neoSubaccount !== undefined && request.spMetadataXml !== undefined) {
    fields.push({ field: 'neoSubaccount', message: 'give either spMetadataXml or neoSubaccount, not both' });
  }
  if (request.spMetadataXml === undefined && request.neoSubaccount === undefined) fields.push({ field: 'spMetadataXml', message: 'is required (or neoSubaccount): the SP metadata XML from the cockpit\'s Get Metadata' });
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
  const neo = request.neoSubaccount;
  if (neo !== undefined && request.spMetadataXml === undefined) {
    spec = {
      ias: iasTenantSpec(request.ias),
      applicationName: request.applicationName,
      neo: {
        target: { landscapeHost: neo.landscapeHost, subaccount: neo.subaccount, credentialSecret: neo.credentialSecret },
        localServiceProviderName: neo.localServiceProviderName ?? `https://${neo.landscapeHost}/${neo.subaccount}`,
        keyValidDays: neo.keyValidDays,
      },
      ...(request.spMetadataUrl ? { metadataUrl: request.spMetadataUrl } : {}),
      attributes,
    };
  } else if (request.spMetadataXml !== undefined) {
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
  const credential = [
    ...(await checkIasApiClient(request.ias, runtimeServices().secrets)),
    ...(neo ? await neoCredentialProblems(runtimeServices().secrets, 'neoSubaccount.credentialSecret', neo.credentialSecret) : []),
  ];
  if (credential.length > 0) return { ok: false, status: 422, fields: credential };
  const ambiguous = await findApplicationsNamed(spec);
  if (ambiguous) return { ok: false, status: 400, fields: [ambiguous] };
  return { ok: true, input: spec };
}
