// Differential fuzzing with a fixed seed: random patterns built from RE2 syntax
// fragments, run through re2 and through the translation (and V8's linear engine).
import t from 'tap';
import RE2 from 're2';
import { checkRe2, enableLinearFallback, translateToV8 } from '../../src/regex/index.js';
import { parseRe2 } from '../../src/regex/parse.js';
import { lcg, showMatch } from '../helpers/random.js';

enableLinearFallback();

const FRAGMENTS = [
  'a', 'b', 'k', 's', 'K', 'S', 'é', '😀', '\u212a', '\u017f', ' ', '-', ']', '[', '^', '$', '.', '|', '(', ')',
  '(?:', '(?i)', '(?i:', '(?s)', '(?U)', '(?m)', '(?-i)', '(?P<n', '(?P<m>', '(?<q>', '>', '*', '+', '?', '*?',
  '{2}', '{1,3}', '{,2}', '{2,}', '{', '}', ',', '0', '1', '\\d', '\\w', '\\s', '\\S', '\\W', '\\D', '\\b', '\\B',
  '\\A', '\\z', '\\pL', '\\p{Greek}', '\\PN', '\\pZ', '[a-z]', '[^a]', '[[:alpha:]]', '[[:^space:]]', '[:', ':]',
  '\\x{1F600}', '\\x{D800}', '[\\x{10000}-\\x{10FFFF}]', '\\Q.+', '\\E', '\\.', '\\n', '\\r', '\\t', '\\v', '\\123',
  '\\x41', '\\8', '\\', '[\\d-]', '[^\\w.]', '(a|b)', '(x)?', '()', '(?=',
];
const LINES = [
  '', 'a', 'ab', 'abab', 'aKs', 'kS\u212a\u017f', 'é😀a', '😀😀', 'a\nb', 'a\rb', ' a b ', 'x-y]z', 'ba', 'aaa',
  'A.+B', 'Greek αβ', '12 34', '\t\v\f', 'ABK', 'x😀y', 'S\n', '{2}',
];

for (const seed of [1, 2, 3]) {
  t.test(`random patterns, seed ${seed}`, async (t) => {
    const random = lcg(seed);
    const problems: string[] = [];
    let translated = 0;
    for (let i = 0; i < 1000; i++) {
      let pattern = '';
      const length = 1 + Math.floor(random() * 10);
      for (let j = 0; j < length; j++) pattern += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
      let re2: RE2 | null = null;
      try {
        re2 = new RE2(pattern, 'u');
      } catch {
        re2 = null;
      }
      if ((re2 !== null) !== parseRe2(pattern).ok) problems.push(`parser and re2 disagree on validity of /${pattern}/`);
      if ((re2 !== null) !== checkRe2(pattern).ok) problems.push(`checkRe2 and re2 disagree on /${pattern}/`);
      if (re2 === null) continue;
      const translation = translateToV8(pattern);
      if (!translation.ok) continue;
      translated++;
      const v8 = new RegExp(translation.source, translation.flags);
      let linear: RegExp | null = null;
      try {
        linear = new RegExp(translation.source, `${translation.flags}l`);
      } catch {
        linear = null;
      }
      for (const line of LINES) {
        const expected = showMatch(re2.exec(line));
        if (showMatch(v8.exec(line)) !== expected) problems.push(`/${pattern}/ on ${JSON.stringify(line)}: V8 differs`);
        if (linear && showMatch(linear.exec(line)) !== expected) problems.push(`/${pattern}/ on ${JSON.stringify(line)}: linear engine differs`);
      }
    }
    t.same(problems.slice(0, 20), []);
    t.ok(translated > 300, `${translated} patterns translated`);
  });
}
