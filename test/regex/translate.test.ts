// Translation cases: RE2 pattern → V8 source (no flags), or the reason it runs on re2.
import t from 'tap';
import RE2 from 're2';
import { enableLinearFallback, translateToV8 } from '../../src/regex/index.js';

enableLinearFallback();

// A code point outside the BMP, as V8 without `u` sees it: a surrogate pair.
const PAIR = String.raw`[\uD800-\uDBFF][\uDC00-\uDFFF]`;
const not = (units: string): string => String.raw`(?:[^${units}\uD800-\uDFFF]|${PAIR})`;

const CASES: { name: string; pattern: string; source: string }[] = [
  { name: 'digits are ASCII only', pattern: String.raw`\d+`, source: '[0-9]+' },
  { name: 'word characters are ASCII only', pattern: String.raw`\w`, source: '[0-9A-Z_a-z]' },
  { name: 'RE2 \\s is [\\t\\n\\f\\r ] without \\v', pattern: String.raw`\s`, source: String.raw`[\x09\x0A\x0C\x0D ]` },
  { name: '\\S takes whole astral characters', pattern: String.raw`\S+`, source: `${not(String.raw`\x09\x0A\x0C\x0D `)}+` },
  { name: 'negated class', pattern: '[^"]*', source: `${not('"')}*` },
  { name: 'dot excludes only \\n', pattern: '.', source: not(String.raw`\x0A`) },
  { name: 'dot with (?s) matches everything', pattern: '(?s).', source: String.raw`(?:[^\uD800-\uDFFF]|${PAIR})` },
  { name: 'named group becomes a plain group', pattern: '(?P<name>a)', source: '(a)' },
  { name: '(?<name>) is a named group too', pattern: '(?<name>a)', source: '(a)' },
  { name: 'non-capturing group keeps its alternation together', pattern: '(?:a|b)c', source: '(?:a|b)c' },
  { name: 'top-level alternation', pattern: 'a|b', source: 'a|b' },
  { name: 'text anchors', pattern: '^a$', source: '^a$' },
  { name: '\\A and \\z are text anchors', pattern: String.raw`\Aa\z`, source: '^a$' },
  { name: 'word boundaries (ASCII in both engines)', pattern: String.raw`\bx\B`, source: String.raw`\bx\B` },
  { name: '(?i)k includes KELVIN SIGN', pattern: '(?i)k', source: String.raw`[Kk\u212A]` },
  { name: '(?i)s includes LATIN SMALL LETTER LONG S', pattern: '(?i)s', source: String.raw`[Ss\u017F]` },
  { name: '(?i) on a word', pattern: '(?i)get', source: '[Gg][Ee][Tt]' },
  { name: 'scoped (?i:...)', pattern: '(?i:a)b', source: '[Aa]b' },
  { name: 'flags end with their group', pattern: '(?:(?i)a)a', source: '[Aa]a' },
  { name: 'flags last across |', pattern: 'a(?i)b|c', source: 'a[Bb]|[Cc]' },
  { name: 'POSIX class', pattern: '[[:alpha:]]', source: '[A-Za-z]' },
  { name: 'negated POSIX class', pattern: '[[:^alpha:]]', source: not('A-Za-z') },
  { name: 'POSIX space includes \\v', pattern: '[[:space:]]', source: String.raw`[\x09-\x0D ]` },
  { name: 'astral literal', pattern: String.raw`\x{1F600}`, source: String.raw`\uD83D\uDE00` },
  { name: 'quantified astral literal is grouped', pattern: '😀+', source: String.raw`(?:\uD83D\uDE00)+` },
  { name: 'astral range', pattern: '[😀-😂]', source: String.raw`\uD83D[\uDE00-\uDE02]` },
  { name: 'hex escape', pattern: String.raw`\x41\x{62}`, source: 'Ab' },
  { name: 'octal escape', pattern: String.raw`\123\0`, source: String.raw`S\x00` },
  { name: 'a { that is not a repetition is a literal', pattern: 'a{,3}', source: String.raw`a\{,3\}` },
  { name: '\\Q...\\E quotes', pattern: String.raw`\Qa.b\E`, source: String.raw`a\.b` },
  { name: 'slash is escaped for use in a literal', pattern: 'a/b', source: String.raw`a\/b` },
  { name: '(?U) swaps greediness', pattern: '(?U)a+b*?', source: 'a+?b*' },
  { name: 'lazy counted repetition', pattern: 'a{2,5}?', source: 'a{2,5}?' },
  { name: 'a surrogate code point never matches UTF-8 text', pattern: String.raw`\x{D800}`, source: '[]' },
  { name: 'dash after a Perl class is a literal', pattern: String.raw`[\d-z]`, source: String.raw`[\-0-9z]` },
  { name: '] first in a class is a literal', pattern: '[]a]', source: String.raw`[\]a]` },
  { name: 'control characters are escaped', pattern: String.raw`\t\n`, source: String.raw`\x09\x0A` },
  { name: 'non-ASCII literal', pattern: 'é', source: String.raw`\xE9` },
  { name: 'line separator literal is escaped', pattern: String.raw`\x{2028}`, source: String.raw`\u2028` },
  { name: 'quantified assertion is grouped', pattern: '^{2}a', source: '(?:^){2}a' },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    t.same(translateToV8(c.pattern), { ok: true, source: c.source, flags: '' }, `/${c.pattern}/`);
  });
}

const FALLBACKS: { name: string; pattern: string; reason: string }[] = [
  { name: 'multi-line anchors', pattern: '(?m)^a', reason: '(?m)' },
  { name: 'star of a nullable group', pattern: '(a*)*', reason: 'empty string' },
  { name: 'optional nullable group', pattern: '(a*)?', reason: 'empty string' },
  { name: 'repeated optional capture', pattern: '(?:(a)|b)+', reason: 'may not participate' },
  { name: 'repeated capture inside an optional', pattern: '(?:x(a)?)+', reason: 'may not participate' },
  { name: '\\B in a nullable pattern', pattern: String.raw`\B`, reason: String.raw`\B` },
  { name: '\\C', pattern: String.raw`\C`, reason: String.raw`\C` },
  { name: 'unparsable', pattern: '(', reason: 'missing )' },
];

for (const c of FALLBACKS) {
  t.test(`falls back: ${c.name}`, async (t) => {
    const result = translateToV8(c.pattern);
    t.equal(result.ok, false, `/${c.pattern}/`);
    if (!result.ok) t.match(result.reason, c.reason);
  });
}

// Each refusal above exists because plain JavaScript gives a different answer.
const DIFFERENCES: { name: string; re2: string; js: RegExp; line: string }[] = [
  { name: "V8's multiline ^ also matches after \\r", re2: '(?m)^b', js: /^b/m, line: 'a\rb' },
  { name: 'ECMAScript rejects an empty optional iteration', re2: '(a*)?', js: /(a*)?/, line: 'b' },
  { name: 'ECMAScript clears captures at each iteration', re2: '(?:(a)|b)+', js: /(?:(a)|b)+/, line: 'ab' },
  { name: 'V8 without u sees a \\B inside a surrogate pair', re2: String.raw`\B`, js: /\B/, line: 'a😀' },
  { name: "V8's \\s includes \\v and NBSP", re2: String.raw`\s`, js: /\s/, line: 'x\v\u00a0' },
  { name: "V8's . excludes \\r", re2: '.', js: /./, line: '\r' },
  { name: "V8's . without u is one UTF-16 unit", re2: '^.$', js: /^.$/, line: '😀' },
  { name: "V8's /i without u does not fold the Kelvin sign", re2: '(?i)[^k]', js: /[^k]/i, line: '\u212a' },
];

for (const d of DIFFERENCES) {
  t.test(`fact: ${d.name}`, async (t) => {
    const fromRe2 = new RE2(d.re2, 'u').exec(d.line);
    const fromJs = d.js.exec(d.line);
    t.not(JSON.stringify(fromJs && [fromJs.index, ...fromJs]), JSON.stringify(fromRe2 && [fromRe2.index, ...fromRe2]));
  });
}

t.test('fact: the u and i flags and lookahead cost V8 its linear-time engine', async (t) => {
  t.doesNotThrow(() => new RegExp('(a+)+$', 'l'));
  for (const [source, flags] of [['(a+)+$', 'u'], ['(a+)+$', 'i'], ['(?=a)', '']]) {
    t.throws(() => new RegExp(source, `${flags}l`), /linear time/, `/${source}/${flags}`);
  }
});
