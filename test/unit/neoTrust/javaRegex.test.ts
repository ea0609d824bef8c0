import { javaRegexProblem } from '../../../shared/neoTrust/javaRegex';

describe('regexp group rules compile as Java patterns', () => {
  it.each([
    '[.*]',
    'Team Manager',
    '^dev(ops)?$',
    '(?i)manager',
    '(?i:man)ager',
    'a*+b',
    'a++',
    'x{2}+',
    '(?>ab|a)c',
    '\\Qa.b*c\\E',
    '\\p{Lu}\\p{L}*',
    '\\Adev\\z',
    '(?<dept>[A-Z]+)-\\d{3}',
    '(?<=x)y(?!z)',
    '[]a]',
    'a{1,3}',
    '\\{literal\\}',
  ])('accepts %s', (pattern) => expect(javaRegexProblem(pattern)).toBeUndefined());

  it.each([
    ['[a-', /unclosed character class/],
    ['(ab', /does not compile/],
    ['*a', /does not compile/],
    ['dev{ops}', /Illegal repetition/],
    ['a{', /Illegal repetition/],
    ['\\year', /\\y is not an escape Java knows/],
    ['(?<a_b>x)', /group name "a_b"/],
    ['(?q)x', /flags Java does not know/],
    ['x\\', /lone backslash/],
    ['\\p', /needs a class name/],
  ])('refuses %s', (pattern, problem) => expect(javaRegexProblem(pattern)).toMatch(problem));
});
