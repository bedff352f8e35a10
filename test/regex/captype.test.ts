// Capture group types by mtail's rule over Go's simplified regexp tree: table cases,
// then the same patterns against the real mtail's typed AST (--dump_ast_types).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkRe2, inferCaptureTypes, type CapType } from '../../src/regex/index.js';
import { tempDir } from '../helpers/tempdir.js';

// [pattern, types of groups 1..n]
const CASES: [string, CapType[]][] = [
  ['(\\d+)', ['int']],
  ['(\\d)', ['string']], // Go keeps a single class a class
  ['(-?\\d+)', ['int']],
  ['(\\d+\\.\\d+)', ['float']],
  ['([0-9.]+)', ['float']],
  ['(\\d+(\\.\\d+){3})', ['string', 'float']], // Simplify copies the dot three times
  ['(\\d+|-)', ['string']],
  ['(0)', ['int']],
  ['(e)', ['float']],
  ['(-)', ['string']],
  ['(\\w+)', ['string']],
  ['([0-9a-f]+)', ['string']],
  ['(12|13)', ['int']], // common prefix factored out: a concatenation
  ['(1|2)', ['string']], // single runes become a class
  ['(1.5|1.6)', ['string']], // `.` is any rune
  ['(1\\.5|1\\.6)', ['float']], // the shared "1." counts once
  ['(\\d+\\.\\d+|\\d+)', ['float']],
  ['(\\d+(?:\\.\\d+)?)', ['float']],
  ['(\\d{1,3})', ['int']],
  ['([[:digit:]]+)', ['int']],
  ['([^0-9]+)', ['string']],
  ['(\\D+)', ['string']],
  ['(\\pN+)', ['string']],
  ['(\\d+)(?i)', ['int']],
  ['((?i)\\d+)', ['int']], // a flags group adds no node
  ['((?i)[eE]\\d)', ['float']],
  ['(\\Q1.2\\E{0,2})', ['float']], // the repeat binds to the last literal only
  ['(\\Q1.2\\E)', ['float']],
  ['(^\\d+$)', ['string']], // anchors match no rune of the number
  ['(\\w+) (\\d+) (\\d+\\.\\d+)', ['string', 'int', 'float']],
  ['(\\d+(\\.\\d+))', ['float', 'float']],
  ['(?:x)(\\d+)', ['int']],
  ['(?P<n>\\d+) (?P<f>[\\d.]+)', ['int', 'float']],
  ['(\\d+){2}', ['int']],
  ['((\\d+)|x)', ['string', 'int']],
];

t.test('inferCaptureTypes types every group by mtail\'s rule', async (t) => {
  for (const [re, want] of CASES) t.same(inferCaptureTypes(re, want.length), want, re);
  t.same(inferCaptureTypes('(\\d+', 1), ['string'], 'a pattern that does not parse gives strings');
  t.same(inferCaptureTypes('(\\d+)', 2), ['int', 'string'], 'groups beyond the pattern are strings');
});

t.test('the real mtail infers the same types', async (t) => {
  const probe = spawnSync('mtail', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error !== undefined) {
    t.fail('mtail not found: apt-get install -y mtail');
    return;
  }
  // One program, one rule per case, one capture reference per line: the line says which.
  const lines = ['counter c by a'];
  const where = new Map<number, [number, number]>(); // line -> [case, group]
  CASES.forEach(([re, want], i) => {
    if (!checkRe2(re).ok) throw new Error(`bad case ${re}`);
    lines.push(`/${re.replaceAll('/', '\\/')}/ {`);
    want.forEach((_, g) => {
      lines.push(`  c[$${g + 1}]++`);
      where.set(lines.length, [i, g]);
    });
    lines.push('}');
  });
  const dir = tempDir(t, 'logmetrics-captype-');
  const prog = path.join(dir, 'types.mtail');
  fs.writeFileSync(prog, lines.join('\n') + '\n');
  const r = spawnSync('mtail', ['--compile_only', '--dump_ast_types', '--progs', prog, '--logtostderr', '--address', '127.0.0.1', '--port', '0'], { encoding: 'utf8', timeout: 60_000 });
  const got: (string | undefined)[][] = CASES.map(([, want]) => want.map(() => undefined));
  for (const m of (r.stderr ?? '').matchAll(/CaprefTerm <(\w+)> @ types\.mtail:(\d+):/g)) {
    const at = where.get(Number(m[2]));
    if (at) got[at[0]]![at[1]] = m[1]!.toLowerCase();
  }
  CASES.forEach(([re, want], i) => t.same(got[i], want, `mtail agrees on ${re}`));
});
