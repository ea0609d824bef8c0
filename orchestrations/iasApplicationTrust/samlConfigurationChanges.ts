/**
 * What differs between the application's SAML 2.0 configuration and the one the SP metadata asks
 * for, field by field, and the PATCH operations that make them equal. Certificates compare by their
 * DER bytes (IAS may re-wrap the PEM); endpoint lists compare as sets.
 */
import { authenticationPath, IAS_AUTHENTICATION, type IasApplication, type IasPatchOperation } from '../../shared/sap/ias/applicationSchemas';
import type { FieldChange } from '../../shared/workflow/stepPlan';
import type { WantedSamlConfiguration } from './spec';

type Field = keyof WantedSamlConfiguration;
const FIELDS: Field[] = ['acsEndpoints', 'sloEndpoints', 'certificatesForSigning', 'certificateForEncryption', 'defaultNameIdFormat', 'requireSignedAuthnRequest'];

const der = (pem: unknown) => (typeof pem === 'string' ? pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '') : '');

function canonical(field: Field, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (field) {
    case 'acsEndpoints':
      return JSON.stringify((value as Record<string, unknown>[]).map((e) => [e.bindingName, e.location, e.index, e.isDefault === true]).sort());
    case 'sloEndpoints':
      return JSON.stringify((value as Record<string, unknown>[]).map((e) => [e.bindingName, e.location, e.responseLocation ?? '']).sort());
    case 'certificatesForSigning':
      return JSON.stringify((value as Record<string, unknown>[]).map((c) => [der(c.base64Certificate), c.isDefault === true]).sort());
    case 'certificateForEncryption':
      return der((value as Record<string, unknown>).base64Certificate);
    default:
      return String(value);
  }
}

function shown(field: Field, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (field) {
    case 'acsEndpoints':
    case 'sloEndpoints':
      return (value as Record<string, unknown>[]).map((e) => `${String(e.bindingName).split(':').pop()} ${e.location}${field === 'acsEndpoints' ? ` #${e.index}${e.isDefault ? ' (default)' : ''}` : ''}`).join(', ') || '(none)';
    case 'certificatesForSigning':
      return `${(value as unknown[]).length} certificate(s)`;
    case 'certificateForEncryption':
      return 'a certificate';
    default:
      return String(value);
  }
}

export function currentSamlConfiguration(app: IasApplication | undefined): Record<string, unknown> {
  return (app?.[IAS_AUTHENTICATION]?.saml2Configuration as Record<string, unknown> | undefined) ?? {};
}

export function samlConfigurationChanges(current: Record<string, unknown>, wanted: WantedSamlConfiguration): { changes: FieldChange[]; operations: IasPatchOperation[] } {
  const changes: FieldChange[] = [];
  const operations: IasPatchOperation[] = [];
  for (const field of FIELDS) {
    const want = wanted[field];
    const have = current[field];
    // The metadata says nothing about the name ID format or request signing: IAS keeps its own.
    if (want === undefined && (field === 'defaultNameIdFormat' || field === 'requireSignedAuthnRequest')) continue;
    if (canonical(field, have) === canonical(field, want)) continue;
    const from = shown(field, have);
    const to = shown(field, want);
    changes.push({ field: `saml2Configuration.${field}`, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    const path = authenticationPath('saml2Configuration', field);
    operations.push(want === undefined ? { op: 'remove', path } : { op: 'replace', path, value: want });
  }
  return { changes, operations };
}
