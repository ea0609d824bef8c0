'use strict';
/**
 * .funcignore as Core Tools and azd read it: gitignore syntax, one pattern a line, `#` comments. This
 * reader supports the part of the syntax .funcignore uses and refuses the rest (negation `!`, escapes)
 * rather than read it differently: a pattern with a slash at the start or in the middle is relative to
 * the project root, one without matches a name at any depth; a trailing slash matches directories only;
 * `*` and `?` stay within one path segment, `**` spans segments.
 */
const { readFileSync } = require('node:fs');

function patternRegExp(body) {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '*' && body[i + 1] === '*') {
      out += '.*';
      i++;
      if (body[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** Compiles the patterns; throws on a line it would not read as Core Tools does. */
function parseFuncignore(text) {
  const rules = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!') || line.includes('\\')) throw new Error(`.funcignore line ${index + 1}: "${line}" uses syntax this reader does not support (negation or escapes)`);
    const directoryOnly = line.endsWith('/');
    const body = directoryOnly ? line.slice(0, -1) : line;
    const anchored = body.includes('/');
    const glob = patternRegExp(body.replace(/^\//, ''));
    rules.push({ line, directoryOnly, regExp: new RegExp(anchored ? `^${glob}$` : `(^|/)${glob}$`) });
  }
  return rules;
}

/** A matcher for project-relative posix paths: ignored(path, isDirectory). */
function funcignoreMatcher(file) {
  const rules = parseFuncignore(readFileSync(file, 'utf8'));
  return (relativePath, isDirectory) => rules.some((r) => (!r.directoryOnly || isDirectory) && r.regExp.test(relativePath));
}

module.exports = { parseFuncignore, funcignoreMatcher };
