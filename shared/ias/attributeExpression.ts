/**
 * Checks an IAS attribute expression (source "Expression", contracts C.4) before it is written:
 * `prefix ${attr} suffix`, `${companyGroups:regex[BTP.*]}`, `${corporateIdP.sn:function[upperCase]}`.
 * IAS would store a broken expression and the application would send an empty attribute at logon,
 * so every problem is reported here, in words an administrator can act on.
 *
 * Known functions: `regex[…]` (a Java regular expression; only on group attributes and corporate IdP
 * attributes) and `function[…]` (`upperCase`, `lowerCase`). Anything else is unknown.
 * UNCONFIRMED: the full function list of IAS expressions; these two are the documented ones.
 */
import { GROUP_ATTRIBUTES, isIdentityDirectoryAttribute, suggestIdentityDirectoryAttribute } from './identityDirectoryAttributes';

const KNOWN_FUNCTIONS = ['regex', 'function'];
const CASE_FUNCTIONS = ['upperCase', 'lowerCase'];
/** IAS concatenates at most five single-value attributes in one expression (S-CIS a2f1e46). */
const MAX_REFERENCES = 5;

/** Every `${…}` placeholder, or the problem with the braces. */
function placeholders(expression: string): { bodies: string[] } | { problem: string } {
  const bodies: string[] = [];
  let i = 0;
  while (i < expression.length) {
    const open = expression.indexOf('${', i);
    const stray = expression.indexOf('}', i);
    if (stray !== -1 && (open === -1 || stray < open)) return { problem: `has unbalanced braces: "}" at position ${stray + 1} closes nothing` };
    if (open === -1) break;
    let depth = 0;
    let end = -1;
    for (let j = open + 2; j < expression.length; j++) {
      if (expression[j] === '[') depth++;
      else if (expression[j] === ']') depth--;
      else if (expression[j] === '{') return { problem: `has unbalanced braces: "{" at position ${j + 1} inside a placeholder` };
      else if (expression[j] === '}' && depth <= 0) {
        end = j;
        break;
      }
    }
    if (end === -1) return { problem: `has unbalanced braces: "\${" at position ${open + 1} is never closed` };
    bodies.push(expression.slice(open + 2, end));
    i = end + 1;
  }
  return { bodies };
}

function checkRegex(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch {
    return `regex[${pattern}] is not a valid regular expression`;
  }
}

function checkPlaceholder(body: string): string[] {
  const [reference, ...functions] = splitFunctions(body);
  const problems: string[] = [];
  let groupLike = false;
  if (reference.startsWith('corporateIdP.')) {
    groupLike = true;
    if (!/^corporateIdP\.[^\s:${}]+$/.test(reference)) problems.push(`\${${body}} names no corporate IdP attribute after "corporateIdP."`);
  } else if (reference.includes('.')) {
    // ${SchemaID.attribute}: a custom schema attribute; IAS checks the schema.
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_]+$/.test(reference)) problems.push(`\${${body}} is not a custom schema attribute <schema>.<attribute>`);
  } else if (!isIdentityDirectoryAttribute(reference)) {
    const near = suggestIdentityDirectoryAttribute(reference);
    problems.push(`\${${body}}: "${reference}" is not an Identity Directory attribute${near ? ` (did you mean ${near}?)` : ''}`);
  } else {
    groupLike = GROUP_ATTRIBUTES.includes(reference);
  }
  for (const fn of functions) {
    const match = /^([A-Za-z]+)\[(.*)\]$/s.exec(fn);
    if (!match) {
      problems.push(`\${${body}}: ":${fn}" is not a function call name[argument]`);
      continue;
    }
    const [, name, argument] = match;
    if (!KNOWN_FUNCTIONS.includes(name)) problems.push(`\${${body}}: unknown function "${name}" (known: ${KNOWN_FUNCTIONS.join(', ')})`);
    else if (name === 'regex') {
      if (!groupLike) problems.push(`\${${body}}: regex applies only to group attributes (${GROUP_ATTRIBUTES.join(', ')}) and corporate IdP attributes`);
      const bad = checkRegex(argument);
      if (bad) problems.push(`\${${body}}: ${bad}`);
    } else if (!CASE_FUNCTIONS.includes(argument)) problems.push(`\${${body}}: function[${argument}] is unknown (known: ${CASE_FUNCTIONS.join(', ')})`);
  }
  return problems;
}

/** `companyGroups:regex[a:b]` → ['companyGroups', 'regex[a:b]']: colons inside [...] do not split. */
function splitFunctions(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** The problems of an expression, each a sentence starting after "expression …"; [] when it can work. */
export function expressionProblems(expression: string): string[] {
  if (expression.trim() === '') return ['is empty'];
  const found = placeholders(expression);
  if ('problem' in found) return [found.problem];
  const problems = found.bodies.flatMap(checkPlaceholder);
  if (found.bodies.length > MAX_REFERENCES) problems.push(`references ${found.bodies.length} attributes; IAS concatenates at most ${MAX_REFERENCES}`);
  return problems;
}
