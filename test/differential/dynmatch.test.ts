// `=~` / `!~` with a right side that is not a regex literal, against Debian's mtail
// (3.0.0~rc50) in one-shot mode: each fixtures/dynmatch/<case>/ holds the programs and a
// log, run by both. What each side must print is derived from the log here, not stored.
//
// The facts this pins (mtail's checker, internal/runtime/compiler/checker, patternEvaluator):
// mtail builds the regex of every `=~` when the program loads, from the literal parts of the
// right side (strings, numbers, const patterns, joined by +). A capture or a call there adds
// nothing, so `$b =~ $a` is `$b =~ //` and matches every line. Where the right side is built
// at load time we agree sample for sample; where it is computed, we compile the computed
// string when the line runs (README, "Differences from mtail"), and every other number agrees.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { diffSamples, formatDiff, isEmptyDiff, parseExposition, type Sample } from '../helpers/promtext.js';
import { type Teardown, tempDir } from '../helpers/tempdir.js';
import { findRepoRoot, MTAIL_MISSING, mtailAvailable, type ProcessResult, runProcess, stderrTail } from './corpus.js';

const ROOT = findRepoRoot();
const FIXTURES = path.join(ROOT, 'fixtures', 'dynmatch');
const ENV = { ...process.env, TZ: 'UTC' };

/** Captures in 04's log that are not RE2 (mtail never compiles them: it reads them as ""). */
const NOT_RE2 = new Set(['a(', '[x', '(?=y)']);

interface Run {
  mtail: ProcessResult;
  ours: ProcessResult;
}

/** Both tools one-shot over a case folder's programs (every .mtail file) and its input.log. */
async function runBoth(t: Teardown, name: string): Promise<Run> {
  const dir = path.join(FIXTURES, name);
  const progs = tempDir(t, 'logmetrics-dynmatch-');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.mtail'))) fs.copyFileSync(path.join(dir, f), path.join(progs, f));
  const log = path.join(dir, 'input.log');
  const mtailArgs = ['--one_shot', '--one_shot_format', 'prometheus', '--progs', progs, '--logs', log, '--logtostderr', '--address', '127.0.0.1', '--port', '0'];
  const bin = process.env.LOGMETRICS_BIN ?? path.join(ROOT, 'bin', 'logmetrics.js');
  const [mtail, ours] = await Promise.all([
    runProcess('mtail', mtailArgs, ENV),
    runProcess(process.execPath, [bin, 'run', '--progs', progs, '--logs', log, '--one-shot', '--format', 'prometheus'], ENV),
  ]);
  return { mtail, ours };
}

/** Metric name → value of the unlabelled samples, and every sample. */
function samples(r: ProcessResult): { all: Sample[]; value: (name: string) => number | undefined } {
  const all = parseExposition(r.stdout);
  return { all, value: (name) => all.find((s) => s.name === name && Object.keys(s.labels).every((k) => k === 'prog'))?.value };
}

/** The `a b` lines of a case's log, as [a, b]. */
function pairs(name: string): [string, string][] {
  const text = fs.readFileSync(path.join(FIXTURES, name, 'input.log'), 'utf8');
  return text
    .split('\n')
    .map((l) => /^(\S+) (\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]);
}

/** How many pairs satisfy f. */
function count(ps: [string, string][], f: (a: string, b: string) => boolean): number {
  return ps.filter(([a, b]) => f(a, b)).length;
}

t.test('differential: =~ and !~ with right sides that are not regex literals', async (t) => {
  if (!mtailAvailable()) {
    t.fail(MTAIL_MISSING);
    return;
  }

  t.test('01 built at load time (string, number, sum, const, !~, named group): every sample equal', async (t) => {
    const { mtail, ours } = await runBoth(t, '01-built-at-load');
    t.equal(mtail.code, 0, 'mtail exits 0', { stderr: stderrTail(mtail) });
    t.equal(ours.code, 0, 'logmetrics exits 0', { stderr: stderrTail(ours) });
    const m = parseExposition(mtail.stdout);
    const o = parseExposition(ours.stdout);
    t.ok(m.length >= 7, `mtail printed ${m.length} samples`);
    const diff = diffSamples(o, m);
    t.ok(isEmptyDiff(diff), `logmetrics = mtail (${m.length} samples)`, isEmptyDiff(diff) ? {} : { diff: formatDiff(diff, 'logmetrics', 'mtail') });
    // Not all zeros or all lines: each test selects some lines and not others.
    const ps = pairs('01-built-at-load');
    t.equal(samples(ours).value('by_string'), count(ps, (_, b) => b.startsWith('ba')), 'by_string counts the b fields starting with "ba"');
    t.equal(samples(ours).value('by_number'), count(ps, (_, b) => b.includes('12')), 'by_number counts the b fields holding "12"');
  });

  t.test('02 a capture as the regex: mtail reads it as "" (always matches), we match its text', async (t) => {
    const { mtail, ours } = await runBoth(t, '02-capture');
    t.equal(mtail.code, 0, 'mtail loads it and exits 0', { stderr: stderrTail(mtail) });
    t.equal(ours.code, 0, 'logmetrics loads it and exits 0', { stderr: stderrTail(ours) });
    const ps = pairs('02-capture');
    const m = samples(mtail);
    const o = samples(ours);
    const matches = count(ps, (a, b) => new RegExp(a).test(b));
    t.ok(matches > 0 && matches < ps.length, `the log has matching and non-matching pairs (${matches} of ${ps.length})`);
    t.equal(o.value('lines'), m.value('lines'), 'lines: equal');
    t.equal(m.value('lines'), ps.length, 'lines: every pair');
    t.same([m.value('hit'), m.value('miss'), m.value('hit_numbered')], [ps.length, 0, ps.length], 'mtail: =~ $a matches every line, !~ $a none');
    t.same([o.value('hit'), o.value('miss'), o.value('hit_numbered')], [matches, ps.length - matches, matches], 'logmetrics: the capture text is the regex');
  });

  t.test('03 a string built from a capture: mtail keeps only the literal parts', async (t) => {
    const { mtail, ours } = await runBoth(t, '03-concat');
    t.equal(mtail.code, 0, 'mtail exits 0', { stderr: stderrTail(mtail) });
    t.equal(ours.code, 0, 'logmetrics exits 0', { stderr: stderrTail(ours) });
    const ps = pairs('03-concat');
    const m = samples(mtail);
    const o = samples(ours);
    t.equal(o.value('lines'), m.value('lines'), 'lines: equal');
    // "^" + $a is "^" to mtail, and $a + "$" is "$": both match every line.
    t.same([m.value('prefix'), m.value('suffix_miss')], [ps.length, 0], 'mtail: "^" and "$" alone');
    const prefix = count(ps, (a, b) => new RegExp('^' + a).test(b));
    const suffixMiss = count(ps, (a, b) => !new RegExp(a + '$').test(b));
    t.ok(prefix > 0 && prefix < ps.length && suffixMiss > 0 && suffixMiss < ps.length, 'the log tells them apart');
    t.same([o.value('prefix'), o.value('suffix_miss')], [prefix, suffixMiss], 'logmetrics: the built string is the regex');
  });

  t.test('04 a capture that is not RE2: that program stops on that line only; the other lines and programs agree', async (t) => {
    const { mtail, ours } = await runBoth(t, '04-invalid-at-run-time');
    t.equal(mtail.code, 0, 'mtail exits 0', { stderr: stderrTail(mtail) });
    t.equal(ours.code, 0, 'logmetrics exits 0', { stderr: stderrTail(ours) });
    const ps = pairs('04-invalid-at-run-time');
    const bad = count(ps, (a) => NOT_RE2.has(a));
    t.ok(bad >= 3, `the log has ${bad} captures that are not RE2`);
    const m = samples(mtail);
    const o = samples(ours);
    for (const name of ['lines', 'other_program']) {
      t.ok((m.value(name) ?? 0) > 0, `${name}: mtail counted ${m.value(name)}`);
      t.equal(o.value(name), m.value(name), `${name}: equal (statements before the match, the other program)`);
    }
    const lines = fs.readFileSync(path.join(FIXTURES, '04-invalid-at-run-time', 'input.log'), 'utf8').split('\n').filter((l) => /\S/.test(l)).length;
    t.same([m.value('hit'), m.value('after_match'), m.value('other_block')], [ps.length, ps.length, lines], 'mtail: every line matches "", nothing fails');
    const hits = count(ps, (a, b) => !NOT_RE2.has(a) && new RegExp(a).test(b));
    t.same(
      [o.value('hit'), o.value('after_match'), o.value('other_block')],
      [hits, ps.length - bad, lines - bad],
      'logmetrics: an invalid regex stops that program on that line (its later statements and blocks), as any run-time error does',
    );
    t.match(ours.stderr, new RegExp(`event=runtime_errors prog=prog\\.mtail count=${bad} `), 'each failing line is counted');
    t.match(ours.stderr, /event=runtime_error prog=prog\.mtail pos=\S*\/prog\.mtail:10:9 error="cannot use \\"a\(\\" as a regular expression: missing \)/, 'and logged at the right side, with RE2\'s reason');
  });

  t.test('05 an invalid regex in a string literal: both refuse the program when it loads', async (t) => {
    const { mtail, ours } = await runBoth(t, '05-invalid-string-literal');
    t.not(mtail.code, 0, 'mtail refuses it');
    t.match(mtail.stderr, /prog\.mtail:4:9(-\d+)?: error parsing regexp: missing closing \)/, 'mtail: at the string, as a regexp error');
    t.not(ours.code, 0, 'logmetrics refuses it');
    t.match(ours.stderr, /prog\.mtail:4:9: error\[E040\]: invalid regular expression: missing \)/, 'logmetrics: at the string, E040');
  });
});
