// Whole-unit repeats (src/regex/units.ts): anchored `\S+`, `[^"]*`, `.*` become repeats of a
// plain UTF-16 unit class. They must match exactly like re2, in particular on astral characters,
// where a unit repeat could stop between the two halves of a pair.
import t from 'tap';
import RE2 from 're2';
import { compileMatcher, translateToV8 } from '../../src/regex/index.js';
import { lcg, showMatch } from '../helpers/random.js';

const S_UNITS = '[^\\x09\\x0A\\x0C\\x0D ]';

t.test('which repeats become unit repeats', async (t) => {
  const cases: [name: string, pattern: string, unitRepeats: number][] = [
    ['anchored, followed by a literal', '^(\\S+) x', 1],
    ['anchored, at the end of the pattern', '^a(\\S*)', 1],
    ['anchored, followed by $', '^(\\S+)$', 1],
    ['anchored, followed by a class', '^(\\S+)(\\S)', 1],
    ['followed by optional parts, then the end', '^(\\S+)(?:x)?', 1],
    ['inside an optional group, followed by a literal', '^(?:(\\S+):)?x', 1],
    ['unanchored: an attempt could start inside a pair', '(\\S+) x', 0],
    ['lazy', '^(\\S+?) x', 0],
    ['a minimum above one counts code points', '^(\\S{2,}) x', 0],
    ['inside a loop', '^(?:\\S+ )+x', 0],
    ['followed by \\B, which holds inside a pair', '^(\\S+)\\B', 0],
    ['followed by another unit repeat: only the last one', '^(\\S+)(\\S+)$', 1],
    ['a set without the astral planes stays as it was', '^([a-z]+) x', 0],
  ];
  for (const [name, pattern, unitRepeats] of cases) {
    const r = translateToV8(pattern);
    t.ok(r.ok, `${name}: translated`);
    if (r.ok) t.equal(r.source.split(`${S_UNITS}+`).length + r.source.split(`${S_UNITS}*`).length - 2, unitRepeats, `${name}: ${r.source}`);
  }
});

// Anchored patterns from pieces that make unit repeats and the things that may follow them,
// over lines dense in astral characters.
const PIECES = [
  '\\S+', '\\S*', '[^"]*', '[^ ]+', '.*', '.+', '(\\S+)', '([^"]*)', '(.*)', '(\\S)', '(.)', ' ', '"', ':', 'a', '😀',
  '(?:😀)?', '\\b', '\\B', '$', '(\\S+?)', '(?:(\\S+):)?', '(?:a|(\\S+))', '\\d+', '[😀-😂]', '(?:\\S+ )+', '\\S{2,}',
  '(?:a|\\B)', '(?:|b)', '(?:\\S+)?', '(?:x|$)', '[^a]*', '(?s:.*)', '\\pL*',
];
const ALPHABET = ['a', 'b', ' ', '"', ':', '1', '😀', '😁', 'é', '\u00a0'];

for (const seed of [11, 12]) t.test(`random anchored patterns agree with re2 on astral-heavy lines, seed ${seed}`, async (t) => {
  const random = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length) % xs.length]!;
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) lines.push(Array.from({ length: Math.floor(random() * 10) }, () => pick(ALPHABET)).join(''));
  const problems: string[] = [];
  let withUnits = 0;
  for (let i = 0; i < 1500; i++) {
    const pattern = '^' + Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(PIECES)).join('');
    const compiled = compileMatcher(pattern);
    if (compiled.engine !== 'v8') continue;
    if ((compiled.matcher as RegExp).source.includes(S_UNITS) || (compiled.matcher as RegExp).source.includes('[^\\x0A]')) withUnits++;
    const re2 = new RE2(pattern, 'u');
    for (const line of lines) {
      const want = showMatch(re2.exec(line));
      const got = showMatch(compiled.matcher.exec(line));
      if (want !== got) problems.push(`/${pattern}/ on ${JSON.stringify(line)}: re2 ${want}, ours ${got}`);
    }
  }
  t.ok(withUnits > 300, `${withUnits} patterns use unit repeats`);
  t.same(problems.slice(0, 20), [], `${problems.length} disagreements`);
});
