/**
 * Does a pattern compile as a java.util.regex.Pattern? Neo evaluates `regexp` group rules with Java
 * regular expressions (contracts D), and the product runs on JavaScript. The pattern is scanned once:
 * Java-only syntax is translated so JavaScript can compile it, and what Java refuses but JavaScript
 * (without the u flag) silently accepts is reported. Then JavaScript compiles the translation, which
 * catches what both refuse (unbalanced parentheses, nothing to repeat, ranges out of order).
 *
 * Where the two differ, and what this does:
 * - possessive quantifiers `a*+`, `a++`, `a?+`, `a{2}+`: Java only; translated to the greedy form.
 * - atomic groups `(?>…)`, inline flags `(?i)`, `(?i:…)`, `(?-i)`: Java only; translated to `(?:…)`
 *   (flags dropped) after checking the flags are Java's (i d m s u x U c).
 * - `\A`, `\z`, `\Z`, `\G`, `\h`, `\H`, `\v`, `\V`, `\R`, `\X`, `\e`, `\a`: Java escapes JavaScript reads as
 *   letters; translated to a JavaScript equivalent for the compile.
 * - `\Q…\E` quoting: Java only; the quoted text is escaped for the compile.
 * - `\p{…}` / `\P{…}` classes: JavaScript without u reads `p`; translated to `\w` (the class name is not checked).
 * - a backslash before a letter Java does not define (`\y`, `\i`, …): Java refuses ("Illegal/unsupported
 *   escape sequence"), JavaScript takes the letter: reported.
 * - a `{` that does not start a quantifier (`a{`, `{x}`): Java refuses ("Illegal repetition"), JavaScript
 *   takes it literally: reported.
 * - group names with `_` or `$`: JavaScript allows them, Java does not: reported.
 * Not checked: nested classes and `&&` intersections (`[a-z&&[^e]]`) compile in both but mean different
 * things; a pattern using them is accepted as Java accepts it.
 */

const JAVA_LETTER_ESCAPES = new Set('tnrfaecdDsSwWbBAGZzQEpPhHvVRXNkux0'.split(''));
const JS_FOR_JAVA: Record<string, string> = { A: '^', z: '$', Z: '$', G: '', h: '[ \\t]', H: '[^ \\t]', v: '[\\n\\x0B\\f\\r]', V: '[^\\n\\x0B\\f\\r]', R: '(?:\\r\\n|[\\n\\r])', X: '[\\s\\S]', e: '\\x1B', a: '\\x07' };
const JAVA_FLAGS = /^[idmsuxUc]*(-[idmsuxUc]*)?$/;

const escapeForJs = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** undefined when Java would compile the pattern, else why not (in words for an administrator). */
export function javaRegexProblem(pattern: string): string | undefined {
  let js = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'ends with a lone backslash';
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const quoted = pattern.slice(i + 2, end === -1 ? undefined : end);
        js += escapeForJs(quoted);
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      if (/[A-Za-z]/.test(next) && !JAVA_LETTER_ESCAPES.has(next)) return `\\${next} is not an escape Java knows (Java refuses it: "Illegal/unsupported escape sequence")`;
      if (next === 'p' || next === 'P') {
        const named = /^\{[A-Za-z_][A-Za-z0-9_=]*\}|^[A-Za-z]/.exec(pattern.slice(i + 2));
        if (!named) return `\\${next} needs a class name, e.g. \\${next}{L} or \\${next}{Lu}`;
        js += next === 'p' ? '\\w' : '\\W';
        i += 1 + named[0].length;
        continue;
      }
      if (!inClass && JS_FOR_JAVA[next] !== undefined) {
        js += JS_FOR_JAVA[next];
        i++;
        continue;
      }
      js += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      js += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      js += c;
      // A ']' right after '[' or '[^' is a literal in Java.
      const negated = pattern[i + 1] === '^';
      if (negated) {
        js += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        js += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      const group = /^<([^>]*)>/.exec(rest);
      if (group && !/^[=!]/.test(rest.slice(1))) {
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(group[1])) return `group name "${group[1]}" is not valid in Java (letters and digits only, starting with a letter)`;
        js += pattern.slice(i, i + 2 + group[0].length);
        i += 1 + group[0].length;
        continue;
      }
      if (rest.startsWith('>')) {
        js += '(?:';
        i += 2;
        continue;
      }
      const flags = /^([A-Za-z-]*)([:)])/.exec(rest);
      if (flags && flags[1] !== '' && flags[1] !== '-') {
        if (!JAVA_FLAGS.test(flags[1])) return `(?${flags[1]}${flags[2]} has flags Java does not know (Java's are i d m s u x U c)`;
        js += flags[2] === ':' ? '(?:' : '';
        i += 1 + flags[0].length;
        continue;
      }
    }
    if (c === '{') {
      const quantifier = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      if (!quantifier) return `"{" at position ${i + 1} does not start a repetition such as {2} or {1,3} (Java refuses it: "Illegal repetition"; write \\{ for a literal brace)`;
      js += quantifier[0];
      i += quantifier[0].length - 1;
      if (pattern[i + 1] === '+') i++;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && pattern[i + 1] === '+') {
      js += c;
      i++;
      continue;
    }
    js += c;
  }
  if (inClass) return 'has an unclosed character class ([ without ])';
  try {
    new RegExp(js);
    return undefined;
  } catch (e) {
    return `does not compile: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`;
  }
}
