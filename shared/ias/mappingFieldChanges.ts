/** Attribute mapping changes as plan lines: added (to only), replaced (from → to), removed (from only). */
import type { FieldChange } from '../workflow/stepPlan';
import { SOURCE_LABEL, type AttributeMapping, type MappingChanges } from './attributeSources';

const source = (m: AttributeMapping) => `${SOURCE_LABEL[m.source]} ${m.value}`;

export function mappingFieldChanges(changes: MappingChanges): FieldChange[] {
  return [
    ...changes.added.map((m) => ({ field: m.attribute, to: source(m) })),
    ...changes.replaced.map(({ from, to }) => ({ field: to.attribute, from: source(from), to: source(to) })),
    ...changes.removed.map((m) => ({ field: m.attribute, from: source(m) })),
  ];
}
