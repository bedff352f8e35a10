// `=~` and `!~` whose right side is not a regex literal. As mtail's checker does, a right
// side made only of literals and const patterns joined by `+` is one pattern built when the
// program loads (its named groups are captures, an invalid one is a compile error); any
// other string (a capture, a concatenation with one, a call) is compiled when the line runs,
// cached by string, and an invalid one fails that line only. Numbers marked "mtail" were
// checked with Debian's mtail 3.0.0~rc50; test/differential/dynmatch.test.ts runs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { extensionUses } from '../../src/lang/extensions.js';
import { datums, runProgram, value } from './helpers.js';

const LINES = ['foo foobar', 'bar baz', 'x.y xzy', 'q a12', 'a( x', 'b b'];

t.test('right sides that compile, and what they count', async (t) => {
  const cases: { name: string; rhs: string; op?: '=~' | '!~'; want: number; errors?: number }[] = [
    { name: 'string literal (mtail)', rhs: '"^ba"', want: 1 },
    { name: 'string literal, !~ (mtail)', rhs: '"^ba"', op: '!~', want: 5 },
    { name: 'int literal is its digits (mtail)', rhs: '12', want: 1 },
    { name: 'sum of string literals (mtail)', rhs: '("^" + "foo")', want: 1 },
    { name: 'const pattern (mtail)', rhs: 'P', want: 1 },
    { name: 'const pattern plus string (mtail)', rhs: '(P + "b")', want: 1 },
    // mtail rc50 reads a capture here as "": 6 of 6. Ours compiles the capture's text.
    { name: 'capture: foo in foobar, bar not in baz, x.y in xzy, q not in a12, a( invalid, b in b', rhs: '$a', want: 3, errors: 1 },
    { name: 'capture, !~', rhs: '$a', op: '!~', want: 2, errors: 1 },
    { name: 'anchored concatenation with a capture', rhs: '("^" + $a + "b")', want: 1, errors: 1 },
    { name: 'a call', rhs: 'tolower($a)', want: 3, errors: 1 },
    { name: 'numbered capture', rhs: '$1', want: 3, errors: 1 },
  ];
  for (const c of cases) {
    // mtail refuses an unused const, so P is declared only where used.
    const prog = `${c.rhs.includes('P') ? 'const P /fo+/\n' : ''}counter hit\ncounter lines\n/^(?P<a>\\S+) (?P<b>\\S+)$/ {\n  $b ${c.op ?? '=~'} ${c.rhs} {\n    hit++\n  }\n  lines++\n}\n`;
    const run = runProgram(prog, LINES);
    t.equal(value(run, 'hit'), c.want, `${c.name}: hits`);
    t.equal(run.errors.length, c.errors ?? 0, `${c.name}: run-time errors`);
    t.equal(value(run, 'lines'), LINES.length - (c.errors ?? 0), `${c.name}: a failing line stops only that line's program`);
  }
});

t.test('a string right side built at load time declares its named groups, as a literal does (mtail)', async (t) => {
  const run = runProgram('counter z by z\n/^\\S+ (?P<b>\\S+)$/ {\n  $b =~ "(?P<z>[0-9]+)" {\n    z[$z]++\n  }\n}\n', LINES);
  t.same(datums(run, 'z'), { '12': 1 });
});

t.test('right sides that are refused when the program loads', async (t) => {
  const cases: { name: string; rhs: string; want: RegExp }[] = [
    { name: 'invalid regex in a string (mtail: "error parsing regexp")', rhs: '"("', want: /E040.*invalid regular expression: missing \)/ },
    { name: 'a metric (mtail: "Can\'t append variable")', rhs: 'm', want: /E046.*`m` is a counter, not a pattern constant/ },
    { name: 'a metric inside a computed right side', rhs: '($a + t)', want: /E046.*`t` is a text/ },
    { name: 'a metric in a call', rhs: 'tolower(t)', want: /E046.*`t` is a text/ },
    { name: 'a comparison is a Bool', rhs: '($a == "x")', want: /E039.*must be a pattern or a string, not Bool/ },
    { name: 'a call returning nothing', rhs: 'strptime($a, "2006")', want: /E039.*not None/ },
    { name: 'a capture of a computed right side does not exist', rhs: '$a {\n  $zz == "" {\n    m++\n  }\n}\n/x/', want: /E0\d\d.*zz/ },
  ];
  for (const c of cases) {
    const prog = `counter m\ntext t\n/^(?P<a>\\S+) (?P<b>\\S+)$/ {\n  t = $a\n  $b =~ ${c.rhs} {\n    m++\n  }\n}\n`;
    const r = compile('prog.mtail', prog);
    const text = r.diagnostics.map((d) => d.format(r.source)).join('\n');
    t.notOk(r.generated, `${c.name}: refused`);
    t.match(text, c.want, `${c.name}: message`);
  }
});

t.test('generated code: a computed right side is one readable rt.dmatch call; a built one stays a regex', async (t) => {
  const r = compile('prog.mtail', 'counter a\ncounter b\n/^(?P<x>\\S+) (?P<y>\\S+)$/ {\n  $y !~ ("^" + "q") {\n    a++\n  }\n  $y =~ ("^" + $x) {\n    b++\n  }\n}\n');
  const code = r.generated?.code ?? '';
  t.match(code, /const R1 = R\[1\]; \/\/ \/\^q\//, 'the built string is a regex of the table');
  t.match(code, /if \(rt\.dmatch\(y, \("\^" \+ x\), \d+\)\) \{/, 'the computed one is matched when the line runs');
  t.notMatch(code, /R2/, 'and has no table entry');
});

t.test('check --strict-mtail flags computed right sides only (mtail reads their captures as "")', async (t) => {
  const r = compile('prog.mtail', 'counter a\nconst P /z/\n/^(?P<x>\\S+) (?P<y>\\S+)$/ {\n  $y =~ "^q" && $y !~ P && $y =~ $x && $y !~ tolower($x) {\n    a++\n  }\n}\n');
  t.ok(r.generated, 'compiles');
  // (rc50 refuses this condition anyway, for its second regex: test/differential/refusals.test.ts.)
  const uses = extensionUses(r.ast!).filter((u) => u.name !== 'mtail');
  t.same(uses.map((u) => [u.name, r.source.text.slice(u.span.start, u.span.end)]), [['=~', '$x'], ['!~', 'tolower($x)']]);
});

t.test('from the command line: check --emit js and check --strict-mtail', async (t) => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const bin = join(root, 'bin', 'logmetrics.js');
  const dir = mkdtempSync(join(tmpdir(), 'logmetrics-dynmatch-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  const cases: { name: string; rhs: string; strictCode: number; strict?: RegExp; js: RegExp }[] = [
    { name: 'a string built at load time is mtail', rhs: '("^" + "x")', strictCode: 0, js: /R\[1\]; \/\/ \/\^x\// },
    { name: 'a capture is flagged', rhs: '$a', strictCode: 1, strict: /prog\.mtail:3:9: warning\[strict-mtail\]: a right side computed when the line runs .*reading captures and calls as ""/, js: /rt\.dmatch\(b, a, \d+\)/ },
  ];
  for (const c of cases) {
    const prog = join(dir, 'prog.mtail');
    writeFileSync(prog, `counter n\n/^(?P<a>\\S+) (?P<b>\\S+)$/ {\n  $b =~ ${c.rhs} {\n    n++\n  }\n}\n`);
    const plain = cli(['check', '--emit', 'js', prog]);
    t.equal(plain.status, 0, `${c.name}: check accepts it`);
    t.match(plain.stdout, c.js, `${c.name}: generated code`);
    const strict = cli(['check', '--strict-mtail', prog]);
    t.equal(strict.status, c.strictCode, `${c.name}: --strict-mtail exit code`);
    if (c.strict) t.match(strict.stderr, c.strict, `${c.name}: the warning`);
    else t.notMatch(strict.stderr, /strict-mtail/, `${c.name}: no warning`);
  }
});
