// re2Certain: where it says RE2 need not be asked, RE2 accepts the pattern. Checked against
// RE2 itself on random patterns built from RE2 syntax fragments (each fragment a place where
// our parser and RE2 could part), on the regex corpus, and on the constructs our parser lets
// through and RE2 refuses; and it does apply to ordinary log patterns.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import RE2 from 're2';
import { parseRe2, treeOf } from '../../src/regex/parse.js';
import { re2Certain } from '../../src/regex/re2-certain.js';
import { checkRe2 } from '../../src/regex/index.js';
import { compile } from '../../src/lang/compile.js';
import { RE2_PATTERNS, V8_PATTERNS } from './corpus.js';
import { lcg } from '../helpers/random.js';
import { findRepoRoot } from '../differential/corpus.js';

function re2Accepts(pattern: string): boolean {
  try {
    new RE2(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** re2Certain as the checker asks it: only of what our parser accepts. */
function certain(pattern: string): boolean {
  const parsed = parseRe2(pattern);
  return parsed.ok && re2Certain(pattern, parsed.pattern);
}

const FRAGMENTS = [
  'a', 'K', 'é', '😀', '\u212a', ' ', '-', ']', '[', '^', '$', '.', '|', '(', ')', '(?:', '(?i)', '(?s)', '(?U)', '(?m)',
  '(?-i)', '(?P<n>', '(?P<m>', '(?<q>', '(?P<é>', '(?P<1>', '(?P<a-b>', '(?P<', '>', '*', '+', '?', '*?', '{2}', '{1,3}',
  '{,2}', '{2,}', '{0}', '{1000}', '{999,1000}', '{1001}', '{100}', '{', '}', ',', '0', '\\d', '\\w', '\\s', '\\S', '\\W', '\\D',
  '\\b', '\\B', '\\A', '\\z', '\\pL', '\\p{Greek}', '\\p{Foo}', '\\PN', '\\pZ', '[a-z]', '[^a]', '[[:alpha:]]', '[[:^space:]]',
  '[[:foo:]]', '[:', ':]', '\\x{1F600}', '\\x{D800}', '\\x{110000}', '[\\x{100}-\\x{10FFFF}]', '[\\x{80}-\\x{7FF}]', '\\Q.+',
  '\\E', '\\.', '\\n', '\\123', '\\x41', '\\8', '\\1', '\\', '\\_', '\\<', '\\C', '\\u0041', '\\cA', '[\\d-]', '[^\\w.]',
  '(a|b)', '(x)?', '()', '(?=', '(?!', '(?<=', '[(]', '\uD800', '\uDC00',
];

t.test('random patterns: where RE2 is skipped, RE2 accepts', async (t) => {
  const wrong: string[] = [];
  let skipped = 0;
  let accepted = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const random = lcg(seed);
    for (let i = 0; i < 4000; i++) {
      let pattern = '';
      const length = 1 + Math.floor(random() * 12);
      for (let j = 0; j < length; j++) pattern += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
      const re2 = re2Accepts(pattern);
      if (re2) accepted++;
      if (!certain(pattern)) continue;
      skipped++;
      if (!re2) wrong.push(pattern);
    }
  }
  t.same(wrong.slice(0, 20), [], 'RE2 refuses none of the patterns it is not asked about');
  t.ok(skipped > accepted / 2, `RE2 skipped for ${skipped} of the ${accepted} patterns it accepts`);
});

t.test('what our parser lets through and RE2 refuses is never certain', async (t) => {
  const cases: [name: string, pattern: string][] = [
    ['nested counts above 1,000', '(?:a{10}){101}'],
    ['three levels of counts above 1,000', '((a{10}){10}){11}'],
    ['a count of a count of 1,000', '(?:a{1000}){2}'],
    ['a Unicode class repeated into too large a program', '\\pL{1000}'],
    ['an unknown Unicode class', '\\p{Foo}'],
    ['too large a program of dots', '.{1000}'.repeat(146)],
    ['too large a program of negated classes', '[^a]{1000}'.repeat(100)],
    ['a duplicate group name', '(?P<a>x)(?P<a>y)'],
    ['a duplicate name across alternatives', '(?P<a>x)|(?P<a>y)'],
    ['a group name with a dash', '(?P<a-b>x)'],
  ];
  for (const [name, pattern] of cases) {
    t.ok(parseRe2(pattern).ok, `${name}: our parser accepts ${pattern.slice(0, 40)}`);
    t.notOk(re2Accepts(pattern), `${name}: RE2 refuses it`);
    t.notOk(certain(pattern), `${name}: so RE2 is asked`);
    const check = checkRe2(pattern, treeOf(pattern));
    t.equal(check.ok, false, `${name}: and checkRe2 refuses it, given the tree`);
  }
});

t.test('the regex corpus and the shipped programs: RE2 accepts every pattern it is not asked about, and most are not asked', async (t) => {
  const root = findRepoRoot();
  const patterns = [...V8_PATTERNS, ...RE2_PATTERNS.map((p) => p.pattern)];
  for (const file of readdirSync(join(root, 'programs')).filter((f) => f.endsWith('.mtail'))) {
    const r = compile(file, readFileSync(join(root, 'programs', file), 'utf8'));
    for (const p of r.checked?.patterns ?? []) patterns.push(p.source);
  }
  let skipped = 0;
  for (const pattern of patterns) {
    if (!certain(pattern)) continue;
    skipped++;
    t.ok(re2Accepts(pattern), `RE2 accepts /${pattern.slice(0, 60)}/`);
  }
  t.ok(skipped > patterns.length / 2, `${skipped} of ${patterns.length} patterns need no RE2`);
  t.ok(certain('^GET \\/page1 HTTP\\/1\\.1" (?P<status>\\d{3}) '), 'a generated pattern of bench 9 needs no RE2');
});

t.test('the largest programs RE2 is not asked about: RE2 compiles them', async (t) => {
  // For each body, as many copies as the estimate allows: its bound must hold where it is tightest.
  const bodies = ['a', 'é', '\\x{1F600}', '.', '(?s).', '[^a]', '\\w', '\\S', '[[:^alpha:]]', '(?i)k', '(?i)[a-z]', '[\\x{80}-\\x{10FFFF}]', '[^\\x{80}-\\x{10FFFF}]', '(a|bc)', '(?:x*y+)'];
  for (const body of bodies) {
    let count = 1;
    while (count < 1000 && certain(`(?:${body}){${count + 1}}`)) count++;
    const unit = `(?:${body}){${count}}`;
    let pattern = unit;
    while (certain(pattern + unit)) pattern += unit;
    t.ok(certain(pattern), `${body}: certain up to ${pattern.length} characters`);
    t.ok(re2Accepts(pattern), `${body}: RE2 compiles ${pattern.length / unit.length} times ${unit}`);
  }
});
