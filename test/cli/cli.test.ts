// The built CLI, run as a subprocess (like zx's test/cli.test.js): help and version,
// flag errors and exit codes, `check` with its diagnostics and --emit, and
// `run --one-shot` over several logs, output formats, broken programs, run-time
// errors and hostile input lines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { Code } from '../../src/lang/diagnostics.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'logmetrics.js');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `logmetrics ...args` and waits for it, with a time limit. */
function cli(args: string[], cwd = root): Outcome {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'logmetrics-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const GOOD = `counter lines_total
counter by_word by word
/^(?P<word>[a-z]{1,10})\\b/ {
  by_word[$word]++
}
/$/ {
  lines_total++
}
`;
const BAD = `counter x
/a/ {
  x = = 1
}
`;
const good = write('progs/good.mtail', GOOD);
const bad = write('bad/bad.mtail', BAD);
write('mixed/good.mtail', GOOD);
write('mixed/broken.mtail', BAD);
const logA = write('a.log', 'alpha one\nbeta two\n');
const logB = write('b.log', 'gamma three\n');

/** The value of the first sample line whose name and labels start with `prefix`. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

t.test('help and version', async (t) => {
  const cases: { name: string; args: string[]; want: RegExp[] }[] = [
    { name: 'top-level --help', args: ['--help'], want: [/Usage: logmetrics/, /\brun\b/, /\bcheck\b/] },
    { name: 'run --help', args: ['run', '--help'], want: [/Usage: logmetrics run/, /--progs/, /--logs/, /--one-shot/, /--format/, /--no-prog-label/] },
    { name: 'check --help', args: ['check', '--help'], want: [/Usage: logmetrics check/, /--emit/] },
  ];
  for (const c of cases) {
    const r = cli(c.args);
    t.equal(r.code, 0, `${c.name}: exit 0`);
    for (const re of c.want) t.match(r.stdout, re, `${c.name}: ${re}`);
  }
  const v = cli(['--version']);
  t.equal(v.code, 0, '--version exits 0');
  t.equal(v.stdout.trim(), version, '--version prints the package version');
});

t.test('flag errors exit 2 and say what is wrong', async (t) => {
  const cases: { name: string; args: string[]; want: RegExp }[] = [
    { name: 'an unknown run flag', args: ['run', '--progs', good, '--bogus-flag'], want: /--bogus-flag/ },
    { name: 'an unknown check flag', args: ['check', '--bogus-flag', good], want: /--bogus-flag/ },
    { name: 'a bad --format', args: ['run', '--progs', good, '--logs', logA, '--one-shot', '--format', 'xml'], want: /--format.*xml|xml.*--format/ },
    { name: 'a bad --emit', args: ['check', '--emit', 'wasm', good], want: /--emit.*wasm|wasm.*--emit/ },
    { name: 'missing --progs', args: ['run', '--one-shot', '--logs', logA], want: /--progs/ },
    { name: 'check without a path', args: ['check'], want: /paths/ },
  ];
  for (const c of cases) {
    const r = cli(c.args);
    t.equal(r.code, 2, `${c.name}: exit 2`);
    t.match(r.stderr, c.want, `${c.name}: names the problem`);
    t.equal(r.stdout, '', `${c.name}: nothing on stdout`);
  }
});

t.test('check: exit codes and diagnostics', async (t) => {
  const ok = cli(['check', good]);
  t.equal(ok.code, 0, 'a good program: exit 0');
  t.equal(ok.stderr, '', 'a good program: nothing on stderr');

  const failed = cli(['check', bad]);
  t.equal(failed.code, 1, 'a bad program: exit 1');
  // The file is named as it was given, so an editor can jump to it.
  t.match(failed.stderr, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:7: error\\[E010\\]: expected an expression, found \`=\`$`, 'm'), 'file:line:col: error: message');
  t.match(failed.stderr, /^3 \| {3}x = = 1$/m, 'the numbered source line');
  t.match(failed.stderr, /^ {2}\| {7}\^$/m, 'a caret under the column');
  t.match(failed.stderr, /1 program failed to compile \(of 1\)/, 'a summary');

  const both = cli(['check', good, bad]);
  t.equal(both.code, 1, 'one bad of two: exit 1');
  t.match(both.stderr, /1 program failed to compile \(of 2\)/, 'counted');

  const directory = cli(['check', join(dir, 'mixed')]);
  t.equal(directory.code, 1, 'a directory with a bad program: exit 1');
  t.match(directory.stderr, /broken\.mtail:3:7: error/, 'names the bad file');

  const missing = cli(['check', join(dir, 'no-such.mtail')]);
  t.equal(missing.code, 1, 'a missing file: exit 1');
  t.match(missing.stderr, /no-such\.mtail/, 'names it');
});

t.test('check prints what the error baselines hold', async (t) => {
  const base = join(root, 'fixtures', 'errors', '13-type-mismatch');
  const r = cli(['check', join(base, 'prog.mtail')]);
  t.equal(r.code, 1, 'exit 1');
  // The baseline names the file prog.mtail; the CLI names it as it was given.
  const expected = readFileSync(join(base, 'expected.txt'), 'utf8').replace(/^prog\.mtail:/gm, `${join(base, 'prog.mtail')}:`);
  t.equal(r.stderr, expected + '1 program failed to compile (of 1)\n', 'stderr is the baseline (with the path as given) and the summary');
});

t.test('explain: a code, spelled loosely, and an unknown code', async (t) => {
  const cases: { name: string; args: string[]; code: number; out: RegExp; err: RegExp }[] = [
    { name: 'an error code', args: ['explain', 'E020'], code: 0, out: /^error\[E020\]: `<name>` is not declared\n\n[^]*refused:\n\n {4}counter requests\n[^]*corrected:\n/, err: /^$/ },
    { name: 'a warning code, lower case', args: ['explain', 'w002'], code: 0, out: /^warning\[W002\]: /, err: /^$/ },
    { name: 'without leading zeros', args: ['explain', 'E60'], code: 0, out: /^error\[E060\]: metric `<name>` is declared but never used/, err: /^$/ },
    { name: 'an unknown code', args: ['explain', 'E999'], code: 2, out: /^$/, err: new RegExp(`^logmetrics: "E999" is not a diagnostic code; known codes: ${[...Object.values(Code)].sort().join(', ')}\n$`) },
    { name: 'not a code at all', args: ['explain', 'banana'], code: 2, out: /^$/, err: /"banana" is not a diagnostic code/ },
    { name: 'no code', args: ['explain'], code: 2, out: /^$/, err: /missing required argument 'code'/ },
  ];
  for (const c of cases) {
    const r = cli(c.args);
    t.equal(r.code, c.code, `${c.name}: exit ${c.code}`);
    t.match(r.stdout, c.out, `${c.name}: stdout`);
    t.match(r.stderr, c.err, `${c.name}: stderr`);
  }
  // The code printed by check is the code explain knows.
  const failed = cli(['check', bad]);
  const code = /error\[(E\d{3})\]/.exec(failed.stderr)?.[1] ?? 'none';
  t.equal(cli(['explain', code]).code, 0, `explain ${code}, as printed by check`);
});

t.test('check --emit js and --emit ast print something parseable', async (t) => {
  const js = cli(['check', '--emit', 'js', good]);
  t.equal(js.code, 0, 'js: exit 0');
  t.match(js.stdout, /return function run\(line, filename, now\)/, 'js: the run function');
  t.doesNotThrow(() => new Function('rt', 'M', 'R', 'G', js.stdout), 'js: new Function accepts it');

  const ast = cli(['check', '--emit', 'ast', good]);
  t.equal(ast.code, 0, 'ast: exit 0');
  let parsed: { kind?: string; body?: { kind: string; name?: string }[] } = {};
  t.doesNotThrow(() => {
    parsed = JSON.parse(ast.stdout) as typeof parsed;
  }, 'ast: JSON');
  t.equal(parsed.kind, 'program', 'ast: a program');
  t.same(parsed.body?.slice(0, 2).map((s) => [s.kind, s.name]), [['decl', 'lines_total'], ['decl', 'by_word']], 'ast: the declarations');

  const failed = cli(['check', '--emit', 'js', bad]);
  t.equal(failed.code, 1, 'a bad program: exit 1');
  t.equal(failed.stdout, '', 'a bad program: no code printed');
});

t.test('check --emit prints an int64 literal beyond 2^53 exactly', async (t) => {
  const big = write('progs/big.mtail', 'gauge g\n/a/ {\n  g = 9223372036854775807\n}\n');
  const ast = cli(['check', '--emit', 'ast', big]);
  t.equal(ast.code, 0, 'ast: exit 0', { stderr: ast.stderr });
  t.match(ast.stdout, /"value": 9223372036854775807\b/, 'ast: the literal as a JSON number, every digit');
  t.doesNotThrow(() => JSON.parse(ast.stdout), 'ast: JSON');
  const js = cli(['check', '--emit', 'js', big]);
  t.match(js.stdout, /9223372036854775807n/, 'js: a bigint literal');
});

t.test('run --one-shot reads every log: comma lists and repeated --logs', async (t) => {
  const cases: { name: string; logs: string[] }[] = [
    { name: 'comma-separated', logs: ['--logs', `${logA},${logB}`] },
    { name: 'repeated', logs: ['--logs', logA, '--logs', logB] },
  ];
  for (const c of cases) {
    const r = cli(['run', '--progs', good, ...c.logs, '--one-shot']);
    t.equal(r.code, 0, `${c.name}: exit 0`);
    t.equal(sample(r.stdout, 'lines_total{prog="good.mtail"}'), 3, `${c.name}: lines of both files`);
    t.equal(sample(r.stdout, 'by_word{prog="good.mtail",word="gamma"}'), 1, `${c.name}: the second file`);
    t.equal(sample(r.stdout, 'by_word{prog="good.mtail",word="alpha"}'), 1, `${c.name}: the first file`);
  }
});

t.test('output formats and the prog label', async (t) => {
  const json = cli(['run', '--progs', good, '--logs', logA, '--one-shot', '--format', 'json']);
  t.equal(json.code, 0, 'json: exit 0');
  let metrics: { Name?: string; Program?: string }[] = [];
  t.doesNotThrow(() => {
    metrics = JSON.parse(json.stdout) as typeof metrics;
  }, 'json: parses');
  t.same(metrics.map((m) => m.Name).sort(), ['by_word', 'lines_total'], 'json: both metrics');
  t.ok(metrics.every((m) => m.Program === 'good.mtail'), 'json: the program is named');

  const om = cli(['run', '--progs', good, '--logs', logA, '--one-shot', '--format', 'openmetrics']);
  t.equal(om.code, 0, 'openmetrics: exit 0');
  t.match(om.stdout, /# EOF\n$/, 'openmetrics: ends with # EOF');

  const labelled = cli(['run', '--progs', good, '--logs', logA, '--one-shot']);
  t.match(labelled.stdout, /^lines_total\{prog="good\.mtail"\} 2$/m, 'prometheus: the prog label by default');

  const plain = cli(['run', '--progs', good, '--logs', logA, '--one-shot', '--no-prog-label']);
  t.equal(plain.code, 0, '--no-prog-label: exit 0');
  t.match(plain.stdout, /^lines_total 2$/m, '--no-prog-label: a scalar has no labels at all');
  t.match(plain.stdout, /^by_word\{word="alpha"\} 1$/m, '--no-prog-label: other labels stay');
  t.notMatch(plain.stdout, /prog=/, '--no-prog-label: no prog label anywhere');
});

t.test('a program with a syntax error next to a good one', async (t) => {
  const r = cli(['run', '--progs', join(dir, 'mixed'), '--logs', logA, '--one-shot']);
  t.equal(r.code, 1, 'exit 1');
  t.equal(sample(r.stdout, 'lines_total{prog="good.mtail"}'), 2, "the good program's metrics still print");
  t.notMatch(r.stdout, /broken\.mtail/, 'nothing from the broken program');
  t.match(r.stderr, /broken\.mtail:3:7: error\[E010\]: expected an expression/, 'the error with its position');
});

t.test('a run-time error is logged once, and the other lines still count', async (t) => {
  const prog = write('div/div.mtail', 'counter q\ncounter lines_total\n/^div (\\d+)$/ {\n  q += 10 / $1\n}\n/$/ {\n  lines_total++\n}\n');
  const log = write('div.log', 'div 0\ndiv 5\ndiv 0\ndiv 0\ndiv 2\n');
  const r = cli(['run', '--progs', prog, '--logs', log, '--one-shot']);
  t.equal(r.code, 0, 'exit 0');
  t.equal(sample(r.stdout, 'q{prog="div.mtail"}'), 7, 'the good lines computed (10/5 + 10/2)');
  t.equal(sample(r.stdout, 'lines_total{prog="div.mtail"}'), 2, 'a failing line stops its program for that line only');
  const logged = r.stderr.split('\n').filter((l) => /event=runtime_error\b/.test(l));
  t.equal(logged.length, 1, 'logged once');
  t.match(logged[0] ?? '', /div\.mtail:4:8/, 'with file:line:col');
  t.match(logged[0] ?? '', /divide by zero/, 'and the reason');
  t.match(r.stderr, /runtime_errors.*count=3/, 'the count of all three');
});

t.test('hostile lines: invalid UTF-8, NUL bytes and a 2 MB line do not stop the run', async (t) => {
  const log = write(
    'hostile.log',
    Buffer.concat([
      Buffer.from('alpha\n'),
      Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
      Buffer.from('nul\0byte\n'),
      Buffer.alloc(2 * 1024 * 1024, 0x7a),
      Buffer.from([0x0a, 0xc3, 0x0a]), // a truncated two-byte sequence
      Buffer.from('omega last\n'),
    ]),
  );
  const r = cli(['run', '--progs', good, '--logs', log, '--one-shot']);
  t.equal(r.code, 0, 'exit 0');
  t.equal(sample(r.stdout, 'by_word{prog="good.mtail",word="omega"}'), 1, 'the line after them counts');
  t.equal(sample(r.stdout, 'by_word{prog="good.mtail",word="nul"}'), 1, 'a line with a NUL byte is matched up to it');
  t.equal(sample(r.stdout, 'lines_total{prog="good.mtail"}'), 6, 'every line counted once');
  t.ok(r.stdout.length < 10_000, 'the long line did not become a label');
});

t.test('run --one-shot: a glob in --logs reads every file it matches, as mtail does', async (t) => {
  const prog = write('glob/count.mtail', 'counter lines_total by file\n/./ { lines_total[getfilename()]++ }\n');
  write('glob/logs/a.log', 'x\ny\n');
  write('glob/logs/b.log', 'z\n');
  write('glob/logs/skip.txt', 'not read\n');
  const r = cli(['run', '--progs', prog, '--logs', join(dir, 'glob', 'logs', '*.log'), '--one-shot']);
  t.equal(r.code, 0, 'exit 0');
  t.match(r.stdout, /lines_total\{[^}]*file="[^"]*a\.log"\} 2$/m, 'a.log counted');
  t.match(r.stdout, /lines_total\{[^}]*file="[^"]*b\.log"\} 1$/m, 'b.log counted');
  t.notMatch(r.stdout, /skip\.txt/, 'a file outside the glob is not read');
  const none = cli(['run', '--progs', prog, '--logs', join(dir, 'glob', 'nothing', '*.log'), '--one-shot']);
  t.equal(none.code, 1, 'a glob matching nothing: exit 1');
  t.match(none.stderr, /no file matches .*nothing/, 'and says so');
});

t.test('bin/logmetrics.js runs as a command, with the node flags of its #! line', async (t) => {
  // How npm links it and systemd starts it: the file itself, not `node bin/logmetrics.js`.
  const log = write('direct/a.log', 'one\ntwo\n');
  const prog = write('direct/p.mtail', 'counter lines_total\n/$/ {\n  lines_total++\n}\n');
  const r = spawnSync(bin, ['run', '--progs', prog, '--logs', log, '--one-shot'], { encoding: 'utf8', timeout: 60_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^lines_total\{prog="p\.mtail"\} 2$/m);
  t.match(readFileSync(bin, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env -S node --max-semi-space-size=\d+$/, 'the #! line caps the young generation');
});
