// The translation must match exactly like re2: same match or no match, same
// index, same captures (undefined for a group that did not participate).
import t from 'tap';
import RE2 from 're2';
import { compileMatcher, enableLinearFallback, translateToV8 } from '../../src/regex/index.js';
import { LINES, RE2_PATTERNS, V8_PATTERNS } from './corpus.js';

enableLinearFallback();

type Outcome = null | { index: number; captures: (string | undefined)[] };

function outcome(m: RegExpExecArray | null): Outcome {
  return m === null ? null : { index: m.index, captures: [...m] };
}

function re2Outcome(pattern: string, line: string): Outcome {
  return outcome(new RE2(pattern, 'u').exec(line));
}

t.test('re2 reports an unset group as undefined, a group that matched empty as ""', async (t) => {
  t.same([...new RE2('(a)|(b)', 'u').exec('b')!], ['b', undefined, 'b']);
  t.equal(new RE2('(a)|(b)', 'u').exec('b')![1], undefined);
  t.equal(new RE2('(a*)b', 'u').exec('b')![1], '');
});

t.test('the corpus is large enough', async (t) => {
  t.ok(V8_PATTERNS.length >= 80, `${V8_PATTERNS.length} patterns`);
  t.ok(LINES.length >= 40, `${LINES.length} lines`);
});

for (const pattern of V8_PATTERNS) {
  t.test(`V8 translation of /${pattern}/ matches like re2`, async (t) => {
    const translation = translateToV8(pattern);
    if (!translation.ok) {
      t.fail(`not translated: ${translation.reason}`);
      return;
    }
    const v8 = new RegExp(translation.source, translation.flags);
    const mismatches: string[] = [];
    for (const line of LINES) {
      const expected = re2Outcome(pattern, line);
      const actual = outcome(v8.exec(line));
      if (JSON.stringify(actual, replacer) !== JSON.stringify(expected, replacer)) {
        mismatches.push(`${printable(line)}: re2 ${JSON.stringify(expected, replacer)} v8 ${JSON.stringify(actual, replacer)}`);
      }
    }
    t.same(mismatches, [], `source: ${translation.source.slice(0, 300)}`);
  });
}

t.test('the linear-time engine agrees with re2 on every translated pattern', async (t) => {
  // Under hostile input V8 reruns a match on this engine; it must give the same answer.
  const mismatches: string[] = [];
  for (const pattern of V8_PATTERNS) {
    const translation = translateToV8(pattern);
    if (!translation.ok) continue; // reported by the per-pattern tests above
    let linear: RegExp;
    try {
      linear = new RegExp(translation.source, `${translation.flags}l`);
    } catch (e) {
      mismatches.push(`/${pattern}/ has no linear form: ${(e as Error).message}`);
      continue;
    }
    for (const line of LINES) {
      const expected = JSON.stringify(re2Outcome(pattern, line), replacer);
      const actual = JSON.stringify(outcome(linear.exec(line)), replacer);
      if (actual !== expected) mismatches.push(`/${pattern}/ on ${printable(line)}: re2 ${expected} linear ${actual}`);
    }
  }
  t.same(mismatches, []);
});

t.test('compileMatcher puts every corpus pattern on V8', async (t) => {
  const notV8 = V8_PATTERNS.map((p) => ({ p, c: compileMatcher(p) }))
    .filter(({ c }) => c.engine !== 'v8')
    .map(({ p, c }) => `/${p}/: ${c.reason}`);
  t.same(notV8, []);
});

for (const { pattern, because } of RE2_PATTERNS) {
  t.test(`/${pattern}/ runs on re2 and matches like re2`, async (t) => {
    const compiled = compileMatcher(pattern);
    t.equal(compiled.engine, 're2');
    t.match(compiled.reason ?? '', because);
    for (const line of LINES) {
      t.same(outcome(compiled.matcher.exec(line)), re2Outcome(pattern, line), printable(line));
    }
  });
}

t.test('re2 engine sees \\Q/\\E and a class with (?< as RE2 means them', async (t) => {
  // The npm package would turn \Q/\E into \Q\/\E (a backslash and a slash), and
  // (?< inside a class into (?P<.
  const slash = compileMatcher('(?m)^\\Q/\\E$');
  t.equal(slash.engine, 're2');
  t.ok(slash.matcher.test('/'));
  t.notOk(slash.matcher.test('\\/'));
  const cls = compileMatcher('(?m)^[(?<x]+$');
  t.ok(cls.matcher.test('(?<x'));
  t.notOk(cls.matcher.test('P'));
});

/** JSON keeps undefined array slots distinct from "". */
function replacer(_key: string, value: unknown): unknown {
  return value === undefined ? '<unset>' : value;
}

/** A line as ASCII, so that U+2028 and friends cannot break the TAP stream. */
function printable(line: string): string {
  return JSON.stringify(line).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
