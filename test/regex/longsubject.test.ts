// Subjects longer than LONG_SUBJECT run on a V8 pattern's re2 twin (matcher.ts): the answers
// must be those V8 gives on the same subject (same match, index and captures, with or without
// kept groups, and for replace-all), and the hostile subjects that made V8 take minutes must
// come back at all (a functional check; the time per line is bench scenario 6's figure).
import t from 'tap';
import { compileMatcher, enableLinearFallback, LengthSwitch, LONG_SUBJECT, translateToV8 } from '../../src/regex/index.js';
import { Runtime } from '../../src/runtime/rt.js';
import { LINES, V8_PATTERNS } from './corpus.js';

enableLinearFallback();

type Outcome = { index: number; captures: (string | undefined)[] } | null;

function outcome(m: RegExpExecArray | null): Outcome {
  return m === null ? null : { index: m.index, captures: [...m] };
}

function replacer(_key: string, value: unknown): unknown {
  return value === undefined ? '<unset>' : value;
}

/** Each corpus line made longer than LONG_SUBJECT in three ways: padded before, padded after, repeated. */
function longVersions(line: string): string[] {
  const pad = 'pad 0.5 ok= '.repeat(Math.ceil(LONG_SUBJECT / 12) + 1);
  const repeated = line === '' ? pad : line.repeat(Math.ceil((LONG_SUBJECT + 1) / line.length));
  return [pad + line, line + pad, repeated, `${pad}\n${line}\n${pad}`];
}

const LONG_LINES = LINES.flatMap(longVersions);

t.test('every long version is long', async (t) => {
  t.ok(LONG_LINES.every((l) => l.length > LONG_SUBJECT));
  t.ok(LONG_LINES.length >= 160, `${LONG_LINES.length} long lines`);
});

t.test('on long subjects the re2 twin answers as V8 does, for every corpus pattern and group selection', async (t) => {
  const mismatches: string[] = [];
  let checked = 0;
  for (const pattern of V8_PATTERNS) {
    const tr = translateToV8(pattern);
    if (!tr.ok) continue; // equivalence.test.ts fails for it
    const reference = new RegExp(tr.source, tr.flags);
    const compiled = compileMatcher(pattern);
    t.ok(compiled.matcher instanceof LengthSwitch, `/${pattern}/ switches on length`);
    for (const line of LONG_LINES) {
      checked++;
      const want = JSON.stringify(outcome(reference.exec(line)), replacer);
      const got = JSON.stringify(outcome(compiled.matcher.exec(line)), replacer);
      if (got !== want) mismatches.push(`/${pattern}/ on ${JSON.stringify(line.slice(0, 60))}…: V8 ${want}, twin ${got}`);
      if (compiled.matcher.test(line) !== (want !== 'null')) mismatches.push(`/${pattern}/ test() on ${JSON.stringify(line.slice(0, 60))}…`);
    }
  }
  t.ok(checked > 10_000, `${checked} pattern × line cases`);
  t.same(mismatches, []);
});

t.test('kept groups: the twin renumbers like the V8 translation', async (t) => {
  const cases: [string, number[]][] = [
    ['(\\w+)=(\\w+)', [2]],
    ['(?P<a>\\d+)\\.(?P<b>\\d+)(x)?', [1, 3]],
    ['(a)|(b)|(ok)', [3]],
  ];
  for (const [pattern, keep] of cases) {
    const tr = translateToV8(pattern, undefined, new Set(keep));
    t.ok(tr.ok, `/${pattern}/ translates`);
    if (!tr.ok) continue;
    const reference = new RegExp(tr.source, tr.flags);
    const { matcher } = compileMatcher(pattern, keep);
    for (const line of LONG_LINES) {
      t.same(JSON.stringify(outcome(matcher.exec(line)), replacer), JSON.stringify(outcome(reference.exec(line)), replacer), `/${pattern}/ keep [${keep}]`);
    }
  }
});

t.test("replace-all on a long subject: the global twin gives V8's result", async (t) => {
  const rt = new Runtime(undefined as never);
  for (const pattern of ['o', '\\d+', 'x*', '(?:ok)=?', '\\b', 'é|😀']) {
    const tr = translateToV8(pattern);
    t.ok(tr.ok);
    if (!tr.ok) continue;
    const reference = new RegExp(tr.source, `${tr.flags}g`);
    const global = compileMatcher(pattern).global() as unknown as RegExp;
    for (const line of LONG_LINES.slice(0, 40)) {
      t.equal(rt.rsubst(global, '<>', line), rt.rsubst(reference, '<>', line), `/${pattern}/`);
    }
    // Short and long subjects alternate on the same object: lastIndex must not leak between them.
    t.equal(rt.rsubst(global, '-', 'a1b22'), rt.rsubst(reference, '-', 'a1b22'));
  }
});

t.test('hostile long subjects that cost V8 minutes are answered', async (t) => {
  const n = 1_000_000;
  const cases: [string, string, boolean][] = [
    ['x+y', 'x'.repeat(n), false],
    ['(x+x+)+y', 'x'.repeat(n), false],
    ['(a+)+$', 'a'.repeat(n) + '!', false],
    ['(a|aa)+b', 'a'.repeat(n), false],
    ['.*.*=.*', 'a'.repeat(n), false],
    ['x+y', 'x'.repeat(n) + 'y', true],
  ];
  for (const [pattern, line, matches] of cases) {
    t.equal(compileMatcher(pattern).matcher.test(line), matches, `/${pattern}/ on ${line.length} characters`);
  }
});
