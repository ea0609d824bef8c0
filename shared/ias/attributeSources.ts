/**
 * Where an IAS application takes an attribute from, and how the Application Directory stores it
 * (CONFIRMED by SAP's Terraform provider, sci type_application.go; contracts G.7 update):
 * - Identity Directory → `assertionAttributes[] {assertionAttributeName, userAttributeName}`
 * - Corporate IdP      → `advancedAssertionAttributes[] {attributeName, attributeValue: "${corporateIdP.<name>}"}`
 * - Expression         → `advancedAssertionAttributes[] {attributeName, attributeValue: <the raw expression>}`
 */
import { z } from 'zod';

export const AttributeSource = z.enum(['identityDirectory', 'corporateIdp', 'expression']);
export type AttributeSource = z.infer<typeof AttributeSource>;

export const SOURCE_LABEL: Record<AttributeSource, string> = {
  identityDirectory: 'Identity Directory',
  corporateIdp: 'Corporate IdP',
  expression: 'Expression',
};

export const AttributeMapping = z.object({
  /** The assertion attribute (token claim) the application sends, e.g. `last_name`. */
  attribute: z.string(),
  source: AttributeSource,
  /** Identity Directory: the attribute's technical name; Corporate IdP: the name the IdP sends; Expression: the expression. */
  value: z.string(),
});
export type AttributeMapping = z.infer<typeof AttributeMapping>;

export interface IasAttributeLists {
  assertionAttributes: { assertionAttributeName: string; userAttributeName: string; inherited?: boolean }[];
  advancedAssertionAttributes: { attributeName: string; attributeValue: string; inherited?: boolean }[];
}

const CORPORATE = /^\$\{corporateIdP\.([^:}]+)\}$/;

/** What the application sends today, one mapping per entry; inherited entries are not the application's own. */
export function mappingsOf(lists: Partial<IasAttributeLists>): AttributeMapping[] {
  const direct = (lists.assertionAttributes ?? [])
    .filter((a) => !a.inherited)
    .map((a): AttributeMapping => ({ attribute: a.assertionAttributeName, source: 'identityDirectory', value: a.userAttributeName }));
  const advanced = (lists.advancedAssertionAttributes ?? [])
    .filter((a) => !a.inherited)
    .map((a): AttributeMapping => {
      const corporate = CORPORATE.exec(a.attributeValue);
      return corporate ? { attribute: a.attributeName, source: 'corporateIdp', value: corporate[1] } : { attribute: a.attributeName, source: 'expression', value: a.attributeValue };
    });
  return [...direct, ...advanced];
}

/** The two lists IAS stores for these mappings, in the order given. */
export function iasListsOf(mappings: AttributeMapping[]): IasAttributeLists {
  return {
    assertionAttributes: mappings
      .filter((m) => m.source === 'identityDirectory')
      .map((m) => ({ assertionAttributeName: m.attribute, userAttributeName: m.value })),
    advancedAssertionAttributes: mappings
      .filter((m) => m.source !== 'identityDirectory')
      .map((m) => ({ attributeName: m.attribute, attributeValue: m.source === 'corporateIdp' ? `\${corporateIdP.${m.value}}` : m.value })),
  };
}

export const mappingKey = (m: AttributeMapping) => `${m.attribute}\u0000${m.source}\u0000${m.value}`;
export const describeMapping = (m: AttributeMapping) => `${m.attribute} ← ${SOURCE_LABEL[m.source]} ${m.value}`;

export interface MappingChanges {
  added: AttributeMapping[];
  /** Same attribute, another source or value. */
  replaced: { from: AttributeMapping; to: AttributeMapping }[];
  removed: AttributeMapping[];
}

/** What changes when `current` becomes `wanted`, attribute by attribute. */
export function mappingChanges(current: AttributeMapping[], wanted: AttributeMapping[]): MappingChanges {
  const wantedKeys = new Set(wanted.map(mappingKey));
  const currentKeys = new Set(current.map(mappingKey));
  const gone = current.filter((m) => !wantedKeys.has(mappingKey(m)));
  const fresh = wanted.filter((m) => !currentKeys.has(mappingKey(m)));
  const replaced: MappingChanges['replaced'] = [];
  const added: AttributeMapping[] = [];
  const usedGone = new Set<AttributeMapping>();
  for (const to of fresh) {
    const from = gone.find((m) => m.attribute === to.attribute && !usedGone.has(m));
    if (from) {
      usedGone.add(from);
      replaced.push({ from, to });
    } else added.push(to);
  }
  return { added, replaced, removed: gone.filter((m) => !usedGone.has(m)) };
}

export const noChanges = (c: MappingChanges) => c.added.length + c.replaced.length + c.removed.length === 0;
