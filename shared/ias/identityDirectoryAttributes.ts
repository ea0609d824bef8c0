/**
 * The Identity Directory's user attributes by technical name (contracts C.4, S-CIS
 * configuring-attributes-based-on-flexible-expressions-a2f1e46.md), and the labels the admin console
 * and SAP's procedures use for some of them ("E-Mail", "Display Name", "User ID").
 */
const BASE = [
  'title', 'firstName', 'middleName', 'lastName', 'mail', 'telephone', 'language', 'loginName', 'displayName', 'uid', 'userUuid',
  'type', 'street', 'street2', 'city', 'zip', 'country', 'state', 'costCenter', 'department', 'division', 'personnelNumber',
  'company', 'companyStreet', 'companyStreet2', 'companyCity', 'companyZip', 'companyCountry', 'companyState', 'companyRelationship',
  'industry', 'jobFunction', 'companyGroups', 'applicationGroups', 'corporateGroups', 'contactPreferenceEmail',
  'contactPreferenceTelephone', 'activationTime', 'timeZone',
] as const;

export const IDENTITY_DIRECTORY_ATTRIBUTES: readonly string[] = [...BASE, ...Array.from({ length: 10 }, (_, i) => `customAttribute${i + 1}`)];

/** Attributes that hold several values: only these take `:regex[…]` in an expression (S-CIS a2f1e46). */
export const GROUP_ATTRIBUTES: readonly string[] = ['companyGroups', 'applicationGroups', 'corporateGroups'];

export function isIdentityDirectoryAttribute(name: string): boolean {
  return IDENTITY_DIRECTORY_ATTRIBUTES.includes(name);
}

/** The nearest known name for a typo, e.g. `lastname` → `lastName`. */
export function suggestIdentityDirectoryAttribute(name: string): string | undefined {
  const lower = name.toLowerCase();
  return IDENTITY_DIRECTORY_ATTRIBUTES.find((known) => known.toLowerCase() === lower);
}
