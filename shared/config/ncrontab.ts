/**
 * NCRONTAB as the Azure Functions timer trigger reads it: six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`. Only validation lives here (the host does
 * the scheduling), so that a bad schedule is a settings error at start and not a timer that never fires.
 */

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/** undefined when `expression` is a valid six-field NCRONTAB expression, else what is wrong with it. */
export function ncrontabProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) return `must have 6 fields {second} {minute} {hour} {day} {month} {day-of-week}, e.g. "0 0 2 * * *"; got ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i];
    const problem = fieldProblem(field, spec);
    if (problem) return `${spec.name} field "${field}" ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  const names: readonly string[] = 'names' in spec ? spec.names : [];
  const value = (text: string): number | undefined => {
    const named = names.indexOf(text.toUpperCase());
    if (named >= 0) return named + spec.min;
    if (!/^\d+$/.test(text)) return undefined;
    const n = Number(text);
    // Day-of-week 7 is Sunday too in NCRONTAB.
    return n >= spec.min && n <= (spec.name === 'day-of-week' ? 7 : spec.max) ? n : undefined;
  };
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === '') return 'is not a list of values, ranges and steps';
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `has the step "${step}", which must be a positive number`;
    if (range === '*' || range === '?') continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined) return `has the range "${range}", which is not from-to`;
    const a = value(from);
    if (a === undefined) return `has "${from}", outside ${spec.min}–${spec.max}${names.length ? ` (or ${names[0]}–${names[names.length - 1]})` : ''}`;
    if (to !== undefined) {
      const b = value(to);
      if (b === undefined) return `has "${to}", outside ${spec.min}–${spec.max}`;
      if (b < a) return `has the range "${range}", which runs backwards`;
    }
  }
  return undefined;
}
