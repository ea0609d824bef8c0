/**
 * What the mapping needs to know about the corporate IdP, read from its `identityFederation`
 * (SAP's Terraform provider sci_corporate_idp, docs/resources/corporate_idp.md):
 * - identity federation on ⇔ `useLocalUserStore` ("user attributes … from Identity Authentication
 *   user store"), CONFIRMED by that documentation.
 * - "the corporate IdP allows local users" (seed 001's prerequisite) has no field of that name.
 *   UNCONFIRMED reading, kept in this one place: local users (profiles in the Identity Directory)
 *   are used only when the IdP reads the IAS user store, so they are forbidden when
 *   `useLocalUserStore` is false; then the attributes must be enriched (the renames this workflow
 *   writes), as seed 001 says.
 */
import type { CorporateIdp } from '../../shared/sap/ias/corporateIdps';
import type { CorporateIdpFacts } from './spec';

export function corporateIdpFacts(idp: CorporateIdp): CorporateIdpFacts {
  const federation = idp.identityFederation?.useLocalUserStore === true;
  return { id: idp.id, displayName: idp.displayName, identityFederation: federation, localUsersAllowed: federation };
}

/** The IdP the request means: by id, name or display name, or the only one. */
export function chooseCorporateIdp(all: CorporateIdp[], wanted: string | undefined): { idp: CorporateIdp } | { problem: string; fix: string } {
  if (wanted === undefined) {
    if (all.length === 1) return { idp: all[0] };
    return all.length === 0
      ? { problem: 'the tenant has no corporate identity provider', fix: 'Add the corporate IdP in the IAS admin console (Identity Providers > Corporate Identity Providers) first: platform users come from it.' }
      : { problem: `the tenant has ${all.length} corporate identity providers (${all.map((i) => i.displayName).join(', ')})`, fix: 'Name the one platform users log on with in corporateIdp (its display name or id).' };
  }
  const matches = all.filter((i) => i.id === wanted || i.name === wanted || i.displayName === wanted);
  if (matches.length === 1) return { idp: matches[0] };
  return matches.length === 0
    ? { problem: `no corporate identity provider is called "${wanted}" (there are: ${all.map((i) => i.displayName).join(', ') || 'none'})`, fix: 'Give the display name or id the IAS admin console shows under Corporate Identity Providers.' }
    : { problem: `${matches.length} corporate identity providers are called "${wanted}"`, fix: 'Give the id of the one you mean.' };
}
