// `logmetrics test`: golden tests of programs, run as the built CLI in a
// subprocess (and in-process where a fake terminal is needed). The expected
// expositions here are written by hand from the logs, not copied from output.
import t from 'tap';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { diffSamples, sameValue, sampleKey } from '../../src/cli/samplediff.js';
import { ExpositionSyntaxError, parseExposition } from '../../src/export/textparse.js';
import { findRepoRoot, type ProcessResult } from '../differential/corpus.js';
import { tempDir } from '../helpers/tempdir.js';

const BIN = path.join(findRepoRoot(), 'bin', 'logmetrics.js');

const PROGRAM = `counter requests_total by code
histogram latency_seconds buckets 0.5, 1

/^(?P<code>\\d{3}) (?P<t>\\d+\\.\\d+)$/ {
  requests_total[$code]++
  latency_seconds = $t
}
`;
const LOG = '200 0.1\n200 0.7\n404 2.0\n';
// By hand from LOG: two 200s and one 404; latencies 0.1 (le 0.5), 0.7 (le 1), 2.0 (+Inf),
// so cumulative 1, 2, 3; sum 2.8. Written out of order, with `le="1.0"`, `3e0`, a
// timestamp and no HELP/TYPE lines: none of that may matter.
const EXPECTED = `latency_seconds_count{prog="web.mtail"} 3e0
requests_total{prog="web.mtail",code="404"} 1
latency_seconds_bucket{le="+Inf",prog="web.mtail"} 3
latency_seconds_bucket{prog="web.mtail",le="1.0"} 2
latency_seconds_sum{prog="web.mtail"} 2.8 1700000000000
latency_seconds_bucket{prog="web.mtail",le="0.5"} 1
requests_total{code="200",prog="web.mtail"} 2
`;
// One value changed (200: 3), one sample dropped (404) and one invented (500).
const WRONG = EXPECTED.replace('code="200",prog="web.mtail"} 2', 'code="200",prog="web.mtail"} 3')
  .replace('requests_total{prog="web.mtail",code="404"} 1\n', '')
  .concat('requests_total{prog="web.mtail",code="500"} 1\n');

/** Writes NAME.mtail, NAME.log and (unless undefined) NAME.expected into dir. */
function triple(dir: string, name: string, expected: string | undefined, program = PROGRAM.replace(/web\.mtail/g, `${name}.mtail`)): void {
  fs.writeFileSync(path.join(dir, `${name}.mtail`), program);
  fs.writeFileSync(path.join(dir, `${name}.log`), LOG);
  if (expected !== undefined) fs.writeFileSync(path.join(dir, `${name}.expected`), expected.replace(/web\.mtail/g, `${name}.mtail`));
}

/** Runs the built CLI in `cwd`, so paths are given as a user in that folder would. */
function logmetrics(args: string[], cwd: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, TZ: 'UTC' }, timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr, error: err && typeof err.code !== 'number' ? err.message : undefined });
    });
  });
}

t.test('a program whose metrics match the expected file passes', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', EXPECTED);
  const r = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--expect', 'web.expected'], dir);
  t.equal(r.code, 0, `exit 0 (${r.stdout}${r.stderr})`);
  t.match(r.stdout, /^PASS .*web\.mtail: 7 samples match .*web\.expected$/m, 'a PASS line naming the files');
  t.notMatch(r.stdout, /\u001b\[/, 'no colours when stdout is not a terminal');
});

t.test('a difference is shown sample by sample and exits 1', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', WRONG);
  const r = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--expect', 'web.expected'], dir);
  t.equal(r.code, 1, 'exit 1');
  t.match(r.stdout, /^FAIL .*web\.mtail: differs from .*web\.expected$/m, 'a FAIL line');
  t.match(r.stdout, /missing \(expected, not produced\):\n +- requests_total\{code="500",prog="web\.mtail"\} 1\n/, 'the invented sample is missing');
  t.match(r.stdout, /unexpected \(produced, not expected\):\n +\+ requests_total\{code="404",prog="web\.mtail"\} 1\n/, 'the dropped sample is unexpected');
  t.match(r.stdout, /changed \(expected → produced\):\n +~ requests_total\{code="200",prog="web\.mtail"\} 3 → 2\n/, 'the changed value, old and new');
  t.match(r.stdout, /1 missing, 1 unexpected, 1 changed; 5 of 7 expected samples match/, 'a count line');
  t.notMatch(r.stdout, /\u001b\[/, 'no colours when stdout is not a terminal');
});

t.test('colours only on a terminal', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', WRONG);
  const args = ['node', 'logmetrics', 'test', path.join(dir, 'web.mtail')];
  const run = async (isTTY: boolean): Promise<{ code: number; out: string }> => {
    const out = Object.assign(new PassThrough(), { isTTY });
    const err = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    err.resume();
    const code = await main(args, { out, err });
    return { code, out: text };
  };
  const noColor = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
  t.teardown(() => {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  });
  const tty = await run(true);
  t.equal(tty.code, 1, 'terminal: exit 1');
  t.match(tty.out, /\u001b\[31m- requests_total\{code="500"/, 'terminal: missing samples in red');
  t.match(tty.out, /\u001b\[32m\+ requests_total\{code="404"/, 'terminal: unexpected samples in green');
  t.match(tty.out, /\u001b\[33m~ requests_total\{code="200"/, 'terminal: changed samples in yellow');
  const pipe = await run(false);
  t.notMatch(pipe.out, /\u001b/, 'not a terminal: no escapes');
  t.equal(tty.out.replace(/\u001b\[[0-9;]*m/g, ''), pipe.out, 'the same text either way');
  process.env.NO_COLOR = '1';
  t.notMatch((await run(true)).out, /\u001b/, 'NO_COLOR set: no escapes on a terminal either');
});

t.test('--update writes the expected file, which then passes', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', undefined);
  const expectedFile = path.join(dir, 'web.expected');
  const before = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--expect', 'web.expected'], dir);
  t.equal(before.code, 1, 'without the file: exit 1');
  t.match(before.stdout, /expected file .*web\.expected not found \(write it with --update\)/, 'says how to create it');

  const r = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--expect', 'web.expected', '--update'], dir);
  t.equal(r.code, 0, `--update exits 0 (${r.stderr})`);
  t.match(r.stdout, /^UPDATED .*web\.expected: 7 samples from .*web\.mtail$/m, 'an UPDATED line');
  const written = fs.readFileSync(expectedFile, 'utf8');
  t.match(written, /^# TYPE requests_total counter$/m, 'it is our exposition text, with TYPE lines');
  const diff = diffSamples(parseExposition(written), parseExposition(EXPECTED));
  t.same(diff, { missing: [], unexpected: [], changed: [], matched: 7 }, 'its samples are the hand-written ones');

  const after = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--expect', 'web.expected'], dir);
  t.equal(after.code, 0, 'then the test passes');
});

t.test('a program alone uses NAME.log and NAME.expected beside it', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', EXPECTED);
  const r = await logmetrics(['test', 'web.mtail'], dir);
  t.equal(r.code, 0, `exit 0 (${r.stdout})`);
  t.match(r.stdout, /^PASS /m, 'PASS');
});

t.test('--log may be given several times; the logs are read in order', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'web', undefined);
  fs.writeFileSync(path.join(dir, 'more.log'), '500 0.2\n');
  // By hand: LOG's samples plus one 500 in le=0.5: cumulative 2, 3, 4; sum 3.0.
  fs.writeFileSync(
    path.join(dir, 'web.expected'),
    EXPECTED.replace('3e0', '4')
      .replace('le="+Inf",prog="web.mtail"} 3', 'le="+Inf",prog="web.mtail"} 4')
      .replace('le="1.0"} 2', 'le="1.0"} 3')
      .replace('le="0.5"} 1', 'le="0.5"} 2')
      .replace('} 2.8 ', '} 3 ')
      .concat('requests_total{code="500",prog="web.mtail"} 1\n'),
  );
  const r = await logmetrics(['test', 'web.mtail', '--log', 'web.log', '--log', 'more.log', '--expect', 'web.expected'], dir);
  t.equal(r.code, 0, `exit 0 (${r.stdout})`);
});

t.test('the directory form runs every triple and prints a summary', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  triple(dir, 'a', EXPECTED);
  triple(dir, 'b', WRONG);
  triple(dir, 'c', undefined);
  const r = await logmetrics(['test', '.'], dir);
  t.equal(r.code, 1, 'exit 1 when one fails');
  t.match(r.stdout, /^PASS .*a\.mtail/m, 'a passes');
  t.match(r.stdout, /^FAIL .*b\.mtail: differs/m, 'b fails with its diff');
  t.match(r.stdout, /^FAIL .*c\.mtail: expected file .*c\.expected not found/m, 'c has no expected file');
  t.match(r.stdout, /\n1 passed, 2 failed\n$/, 'the summary line ends the output');

  const u = await logmetrics(['test', '.', '--update'], dir);
  t.equal(u.code, 0, '--update over the directory');
  t.match(u.stdout, /\n3 updated, 0 failed\n$/, 'update summary');
  const again = await logmetrics(['test', '.'], dir);
  t.equal(again.code, 0, 'then all pass');
  t.match(again.stdout, /\n3 passed, 0 failed\n$/, 'summary: 3 passed');
});

t.test('problems are reported, not thrown', async (t) => {
  const dir = tempDir(t, 'logmetrics-testcmd-');
  const cases: Array<{ name: string; setup: () => string[]; code: number; stdout?: RegExp; stderr?: RegExp }> = [
    {
      name: 'a syntax error in the expected file names its line',
      setup: () => {
        triple(dir, 'syntax', 'requests_total{code="200"} 2\nrequests_total{code=200} 1\n');
        return ['test', 'syntax.mtail'];
      },
      code: 1,
      stdout: /FAIL .*syntax\.mtail: .*syntax\.expected:2: expected a quoted value for label code/,
    },
    {
      name: 'a sample given twice in the expected file',
      setup: () => {
        triple(dir, 'twice', EXPECTED + 'requests_total{code="200",prog="web.mtail"} 2\n');
        return ['test', 'twice.mtail'];
      },
      code: 1,
      stdout: /twice\.expected:8: requests_total\{code="200",prog="twice\.mtail"\} given twice/,
    },
    {
      name: 'a program that does not compile',
      setup: () => {
        triple(dir, 'broken', EXPECTED, 'counter x\n/a/ { y++ }\n');
        return ['test', 'broken.mtail'];
      },
      code: 1,
      stdout: /FAIL .*broken\.mtail: the program did not load/,
      stderr: /broken\.mtail:2:\d+: error/,
    },
    {
      name: 'a missing log',
      setup: () => {
        triple(dir, 'nolog', EXPECTED);
        return ['test', 'nolog.mtail', '--log', 'absent.log'];
      },
      code: 1,
      stdout: /FAIL .*nolog\.mtail: log .*absent\.log not found/,
    },
    {
      name: 'a missing program',
      setup: () => ['test', 'absent.mtail'],
      code: 1,
      stderr: /cannot read .*absent\.mtail: ENOENT/,
    },
    {
      name: '--log with a directory is a usage error',
      setup: () => ['test', '.', '--log', 'x.log'],
      code: 2,
      stderr: /--log and --expect name the files of one program/,
    },
  ];
  for (const c of cases) {
    const r = await logmetrics(c.setup(), dir);
    t.equal(r.code, c.code, `${c.name}: exit ${c.code}`);
    if (c.stdout) t.match(r.stdout, c.stdout, `${c.name}: stdout`);
    if (c.stderr) t.match(r.stderr, c.stderr, `${c.name}: stderr`);
  }
});

t.test('sample identity and value comparison', async (t) => {
  const keys: Array<[string, string, string]> = [
    ['labels sorted', 'm{b="1",a="2"} 1', 'm{a="2",b="1"}'],
    ['empty label values dropped', 'm{host="",a="x"} 1', 'm{a="x"}'],
    ['le spelt as a number', 'm_bucket{le="1.0"} 1', 'm_bucket{le="1"}'],
    ['le in exponent form', 'm_bucket{le="1e+06"} 1', 'm_bucket{le="1e+06"}'],
    ['le 1000000 written out', 'm_bucket{le="1000000"} 1', 'm_bucket{le="1e+06"}'],
    ['+Inf bucket', 'm_bucket{le="+Inf"} 1', 'm_bucket{le="+Inf"}'],
    ['other labels are not numbers', 'm{code="200.0"} 1', 'm{code="200.0"}'],
    ['escapes kept', 'm{p="a\\"b\\\\c\\nd"} 1', 'm{p="a\\"b\\\\c\\nd"}'],
  ];
  for (const [name, line, key] of keys) t.equal(sampleKey(parseExposition(line)[0]!), key, `key: ${name}`);

  const values: Array<[string, number, number, boolean]> = [
    ['equal', 2, 2, true],
    ['float sum and decimal', 0.1 + 0.2, 0.3, true],
    ['different', 2, 3, false],
    ['small absolute, large relative', 1e-20, 2e-20, false],
    ['NaN equals NaN', NaN, NaN, true],
    ['NaN and a number', NaN, 0, false],
    ['infinities', Infinity, Infinity, true],
    ['opposite infinities', Infinity, -Infinity, false],
  ];
  for (const [name, a, b, want] of values) t.equal(sameValue(a, b), want, `value: ${name}`);

  const bad: Array<[string, string, RegExp]> = [
    ['no value', 'm{a="b"}', /expected a value/],
    ['unquoted label', 'm{a=b} 1', /quoted value/],
    ['bad number', 'm 1x', /bad value 1x/],
    ['unterminated', 'm{a="b} 1', /unterminated/],
    ['label twice', 'm{a="1",a="2"} 1', /label a given twice/],
    ['bad escape', 'm{a="\\t"} 1', /bad escape/],
  ];
  for (const [name, text, reason] of bad) {
    t.throws(() => parseExposition(`# HELP m x\n${text}\n`), ExpositionSyntaxError, `parse error: ${name}`);
    try {
      parseExposition(`# HELP m x\n${text}\n`);
    } catch (e) {
      t.equal((e as ExpositionSyntaxError).lineNumber, 2, `${name}: line 2`);
      t.match((e as Error).message, reason, `${name}: reason`);
    }
  }
  t.same(
    parseExposition('# EOF\nm{a="1"} +Inf 123\nn NaN\n').map((s) => [s.name, s.labels, s.value]),
    [
      ['m', { a: '1' }, Infinity],
      ['n', {}, NaN],
    ],
    'comments skipped, +Inf and NaN read, timestamps dropped',
  );
});
