// checkRe2: RE2 decides; its message is passed on, with an offset into the pattern.
import t from 'tap';
import RE2 from 're2';
import { checkRe2, compileMatcher } from '../../src/regex/index.js';

const ERRORS: { name: string; pattern: string; message: string; offset: number }[] = [
  { name: 'unclosed group', pattern: 'ab(c', message: 'missing ): ab(c', offset: 2 },
  { name: 'unexpected )', pattern: 'a)', message: 'unexpected ): a)', offset: 1 },
  { name: 'unclosed class', pattern: 'x[ab', message: 'missing ]: [ab', offset: 1 },
  { name: 'double repetition', pattern: 'a**', message: 'bad repetition operator: **', offset: 1 },
  { name: 'repetition of nothing', pattern: '*a', message: 'no argument for repetition operator: *', offset: 0 },
  { name: 'repetition count above 1000', pattern: 'a{1001}', message: 'invalid repetition size: {1001}', offset: 1 },
  { name: 'backreference \\1', pattern: '(a)\\1', message: 'invalid escape sequence: \\1', offset: 3 },
  { name: '\\8', pattern: 'x\\8', message: 'invalid escape sequence: \\8', offset: 1 },
  { name: 'lookahead', pattern: 'a(?=b)', message: 'invalid perl operator: (?=', offset: 1 },
  { name: 'negative lookbehind', pattern: '(?<!a)b', message: 'invalid perl operator: (?<!', offset: 0 },
  { name: 'reversed range', pattern: '[z-a]', message: 'invalid character class range: z-a', offset: 1 },
  { name: 'unknown POSIX class', pattern: '[[:foo:]]', message: 'invalid character class range: [:foo:]', offset: 1 },
  { name: 'unknown Unicode class', pattern: '\\p{Foo}', message: 'invalid character class range: \\p{Foo}', offset: 0 },
  { name: 'trailing backslash', pattern: 'a\\', message: 'trailing \\', offset: 1 },
  { name: 'code point too large', pattern: '\\x{110000}', message: 'invalid escape sequence: \\x{110000', offset: 0 },
  { name: 'unknown flag', pattern: '(?z)a', message: 'invalid perl operator: (?z', offset: 0 },
  { name: 'empty group name', pattern: '(?P<>a)', message: 'invalid named capture group: (?P<>', offset: 0 },
  { name: 'group name with a dash', pattern: 'x(?P<a-b>y)', message: 'invalid named capture group: (?P<a-b>', offset: 1 },
  { name: 'nested counts above 1000 (RE2 blames the outer one)', pattern: '(a{100}){100}', message: 'invalid repetition size: {100}', offset: 8 },
  // JavaScript spellings the npm package would quietly rewrite; RE2 (and Go) reject them.
  { name: '\\u escape', pattern: 'a\\u0041', message: 'invalid escape sequence: \\u', offset: 1 },
  { name: '\\c escape', pattern: '\\cA', message: 'invalid escape sequence: \\c', offset: 0 },
  { name: 'long category name', pattern: '\\p{Letter}', message: 'invalid character class range: \\p{Letter}', offset: 0 },
  { name: 'Script= prefix', pattern: '\\P{Script=Greek}', message: 'invalid character class range: \\P{Script=Greek}', offset: 0 },
  // Go's regexp (mtail's engine) has no \C; on UTF-8 it would split characters.
  { name: '\\C', pattern: 'a\\C', message: 'invalid escape sequence: \\C', offset: 1 },
];

for (const c of ERRORS) {
  t.test(`rejects: ${c.name}`, async (t) => {
    t.same(checkRe2(c.pattern), { ok: false, message: c.message, offset: c.offset });
    t.throws(() => compileMatcher(c.pattern), SyntaxError);
  });
}

t.test('rejects: duplicate group name (RE2 quotes nothing, so no offset)', async (t) => {
  const result = checkRe2('(?P<n>a)(?P<n>b)');
  t.equal(result.ok, false);
  if (!result.ok) {
    t.equal(result.message, 'duplicate capture group name');
    t.equal(result.offset, undefined);
  }
});

t.test('RE2 itself gives the messages passed on (for the patterns RE2 sees unchanged)', async (t) => {
  for (const c of ERRORS.filter((e) => !/\\[ucC]|\\[pP]\{(Letter|Script)/.test(e.pattern))) {
    t.throws(() => new RE2(c.pattern, 'u'), { message: c.message }, c.name);
  }
});

const ACCEPTED: { name: string; pattern: string; groupNames: (string | undefined)[] }[] = [
  { name: 'no groups', pattern: 'abc', groupNames: [undefined] },
  { name: 'plain and named groups', pattern: '(a)(?P<x>b)(?:c)(?<y>d)', groupNames: [undefined, undefined, 'x', 'y'] },
  { name: 'nested groups are numbered by their (', pattern: '((a)(?P<inner>b))', groupNames: [undefined, undefined, undefined, 'inner'] },
  { name: 'escaped ( is not a group', pattern: '\\((a)', groupNames: [undefined, undefined] },
  { name: '( in a class is not a group', pattern: '[(](a)', groupNames: [undefined, undefined] },
  { name: '( in \\Q...\\E is not a group', pattern: '\\Q(\\E(a)', groupNames: [undefined, undefined] },
  { name: 'flags groups are not groups', pattern: '(?i)(?s:a)(b)', groupNames: [undefined, undefined] },
  { name: '] first in a class', pattern: '[](](a)', groupNames: [undefined, undefined] },
  { name: 'empty pattern', pattern: '', groupNames: [undefined] },
  { name: 'RE2 accepts (?) as an empty flags group', pattern: '(?)a', groupNames: [undefined] },
  { name: 'octal, hex and \\pN', pattern: '\\101\\x{42}\\pN(\\d)', groupNames: [undefined, undefined] },
];

for (const c of ACCEPTED) {
  t.test(`accepts: ${c.name}`, async (t) => {
    const result = checkRe2(c.pattern);
    t.same(result, { ok: true, info: { groupCount: c.groupNames.length - 1, groupNames: c.groupNames } });
    // RE2 agrees on the number of groups: an always-matching alternative shows them all.
    const groups = new RE2(`(?:${c.pattern.replace(/\\Q\(\\E/, '\\(')})|`, 'u').exec('')!;
    t.equal(groups.length, c.groupNames.length);
  });
}
