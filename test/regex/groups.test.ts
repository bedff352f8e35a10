// compileMatcher(pattern, keepGroups): a matcher that captures only the groups a program
// reads must match exactly where the full pattern matches and report those groups as the
// full match reports them, renumbered 1..n; on V8 and on the re2 fallback alike.
import t from 'tap';
import RE2 from 're2';
import { checkRe2, compileMatcher, GroupSelection } from '../../src/regex/index.js';
import { LINES, RE2_PATTERNS, V8_PATTERNS } from './corpus.js';

type Outcome = { index: number; captures: (string | undefined)[] } | null;

function outcome(m: RegExpExecArray | null): Outcome {
  return m === null ? null : { index: m.index, captures: [...m] };
}

/** re2's own answer, cut down to the kept groups. */
function expected(pattern: string, line: string, keep: readonly number[]): Outcome {
  const m = new RE2(pattern, 'u').exec(line);
  return m === null ? null : { index: m.index, captures: [m[0], ...keep.map((g) => m[g])] };
}

function groupCount(pattern: string): number {
  const check = checkRe2(pattern);
  if (!check.ok) throw new Error(`corpus pattern /${pattern}/ is invalid: ${check.message}`);
  return check.info.groupCount;
}

/** Three selections per pattern: no group, the odd groups, the last group. */
function selections(n: number): number[][] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  return [[], all.filter((g) => g % 2 === 1), n > 0 ? [n] : []];
}

t.test('kept groups on every corpus pattern: same matches, same groups as re2', async (t) => {
  const mismatches: string[] = [];
  let checked = 0;
  for (const pattern of [...V8_PATTERNS, ...RE2_PATTERNS.map((p) => p.pattern)]) {
    const n = groupCount(pattern);
    for (const keep of selections(n)) {
      const { matcher } = compileMatcher(pattern, keep);
      for (const line of LINES) {
        checked++;
        const want = JSON.stringify(expected(pattern, line, keep), replacer);
        const got = JSON.stringify(outcome(matcher.exec(line)), replacer);
        if (got !== want) mismatches.push(`/${pattern}/ keep [${keep}] on ${JSON.stringify(line)}: re2 ${want}, ours ${got}`);
      }
    }
  }
  t.ok(checked > 10_000, `${checked} pattern × selection × line cases`);
  t.same(mismatches, []);
});

t.test('dropping groups can move a pattern from re2 to V8', async (t) => {
  // A repeated group whose capture may not take part runs on re2 (ECMAScript clears it at
  // each iteration); when the program does not read that capture, V8 can match it exactly.
  const pattern = '(?:(a)|b)+c';
  t.equal(compileMatcher(pattern).engine, 're2', 'with its group: re2');
  const withoutGroup = compileMatcher(pattern, []);
  t.equal(withoutGroup.engine, 'v8', 'without it: V8');
  t.same(outcome(withoutGroup.matcher.exec('xbabc')), { index: 1, captures: ['babc'] });
});

t.test('on re2, unread groups are removed from the match, not just ignored', async (t) => {
  const { matcher, engine } = compileMatcher('(?m)^(\\w+)=(\\w+);(\\w+)$', [3]);
  t.equal(engine, 're2');
  t.ok(matcher instanceof GroupSelection);
  const m = matcher.exec('x\nkey=value;rest');
  t.same(m && [...m], ['key=value;rest', 'rest']);
  t.equal(m?.index, 2);
  t.ok(matcher.test('a=b;c'));
  t.equal(matcher.exec('nothing'), null);
});

t.test('the generated code reads groups at their new places', async (t) => {
  const { compile } = await import('../../src/lang/compile.js');
  const r = compile('p.mtail', 'counter c by b\n/(a+)-(b+)-(c+)/ {\n  c[$2]++\n}\n');
  t.same(r.generated?.groups, [[2]], 'only group 2 is captured');
  t.match(r.generated?.code ?? '', /g0\[1\]/, 'and read as [1]');
  t.notMatch(r.generated?.code ?? '', /g0\[2\]/);
  t.match(r.generated?.code ?? '', /R0 captures group 2 as \[1\]/, 'the emitted code says so');
});

/** JSON keeps undefined array slots distinct from "". */
function replacer(_key: string, value: unknown): unknown {
  return value === undefined ? '<unset>' : value;
}
