/**
 * What the IAS application representing SAP BTP for platform users must send (seed 001, S-CP
 * map-user-attributes-…-for-platform-users-40c2e54): the subject name identifier (default User ID)
 * and email, first_name, last_name, groups, each from the right source for the corporate IdP's
 * identity federation setting:
 * - federation off: IAS passes the IdP's attributes 1:1; the application maps each from the
 *   Corporate IdP source, under the name the IdP sends (`sn` for last_name, …).
 * - federation on: IAS takes attributes from its user store; each is mapped from the Identity
 *   Directory, and a Corporate IdP source would never be used.
 * Groups may come from an Expression instead, e.g. `${companyGroups:regex[BTP.*]}`.
 */
import { expressionProblems } from './attributeExpression';
import type { AttributeMapping } from './attributeSources';
import { isIdentityDirectoryAttribute } from './identityDirectoryAttributes';

export const PLATFORM_ATTRIBUTES = ['email', 'first_name', 'last_name', 'groups'] as const;
export type PlatformAttribute = (typeof PLATFORM_ATTRIBUTES)[number];

/** Identity Directory sources with federation on. UNCONFIRMED: the console's "Groups" is `companyGroups`. */
const FROM_IDENTITY_DIRECTORY: Record<PlatformAttribute, string> = { email: 'mail', first_name: 'firstName', last_name: 'lastName', groups: 'companyGroups' };

export interface PlatformMappingInput {
  identityFederation: boolean;
  /** BTP attribute → the name the corporate IdP sends it under, where it differs. */
  corporateIdpAttributes: Partial<Record<PlatformAttribute, string>>;
  groupsExpression?: string;
  /** Identity Directory attribute for the subject name identifier (default uid = User ID). */
  subjectNameIdentifier: string;
}

export interface PlatformMapping {
  subjectNameIdentifier: string;
  attributes: AttributeMapping[];
}

export function wantedPlatformMapping(input: PlatformMappingInput): PlatformMapping {
  const attributes = PLATFORM_ATTRIBUTES.map((attribute): AttributeMapping => {
    if (attribute === 'groups' && input.groupsExpression !== undefined) return { attribute, source: 'expression', value: input.groupsExpression };
    const renamed = input.corporateIdpAttributes[attribute];
    if (input.identityFederation && renamed === undefined) return { attribute, source: 'identityDirectory', value: FROM_IDENTITY_DIRECTORY[attribute] };
    return { attribute, source: 'corporateIdp', value: renamed ?? attribute };
  });
  return { subjectNameIdentifier: input.subjectNameIdentifier, attributes };
}

/** Every reason the mapping cannot work; [] when it can. Nothing is written while this is not empty. */
export function platformMappingProblems(mapping: PlatformMapping, identityFederation: boolean): string[] {
  const problems: string[] = [];
  if (!isIdentityDirectoryAttribute(mapping.subjectNameIdentifier)) problems.push(`subject name identifier: "${mapping.subjectNameIdentifier}" is not an Identity Directory attribute`);
  for (const attribute of PLATFORM_ATTRIBUTES) {
    const sources = mapping.attributes.filter((m) => m.attribute === attribute);
    if (sources.length === 0) problems.push(`${attribute} has no source`);
    if (sources.length > 1) problems.push(`${attribute} has ${sources.length} sources; IAS would merge them into one multi-valued attribute`);
  }
  for (const m of mapping.attributes) {
    if (m.source === 'expression') {
      problems.push(...expressionProblems(m.value).map((p) => `expression of ${m.attribute} ${p}`));
      if (!identityFederation && /\$\{(?!corporateIdP\.)/.test(m.value)) {
        problems.push(`expression of ${m.attribute} reads the Identity Directory, which is not used with federation off; use \${corporateIdP.<attribute>…} instead`);
      }
    }
    if (m.source === 'identityDirectory' && !isIdentityDirectoryAttribute(m.value)) problems.push(`${m.attribute}: "${m.value}" is not an Identity Directory attribute`);
    if (m.source === 'corporateIdp' && identityFederation) {
      problems.push(`source Corporate IdP is not used with federation on: ${m.attribute} ← ${m.value} would be ignored (IAS takes ${m.attribute} from the Identity Directory); leave out corporateIdpAttributes.${m.attribute}`);
    }
    if (m.source === 'identityDirectory' && !identityFederation) {
      problems.push(`source Identity Directory is not used with federation off: ${m.attribute} ← ${m.value} would be empty for users the corporate IdP sends`);
    }
  }
  return problems;
}
