/** The assertion attributes seed 000 maps (User Attribute → Assertion Attribute), by Identity Directory technical name. */
import type { AttributeMapping } from '../../shared/ias/attributeSources';

export const SEED_000_ATTRIBUTES: readonly AttributeMapping[] = [
  { attribute: 'first_name', source: 'identityDirectory', value: 'firstName' },
  { attribute: 'last_name', source: 'identityDirectory', value: 'lastName' },
  { attribute: 'mail', source: 'identityDirectory', value: 'mail' },
  { attribute: 'display_name', source: 'identityDirectory', value: 'displayName' },
];
