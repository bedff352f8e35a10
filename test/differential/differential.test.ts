// Differential tests: every program and log in fixtures/differential/ runs
// through logmetrics and must export the same samples as Google's mtail.
// "Oracle" cases are compared with mtail run live here; "documented" cases
// (a WHY file and expected.prom beside the program) are constructs where
// Debian's mtail 3.0.0~rc50 disagrees with its own documentation, and are
// compared with the hand-written expected.prom instead.
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MTAIL_MISSING,
  findRepoRoot,
  listCases,
  mapBounded,
  mtailAvailable,
  runLogmetrics,
  runMtail,
  stderrTail,
  type DiffCase,
  type ProcessResult,
} from './corpus.js';
import { diffSamples, formatDiff, indexSamples, isEmptyDiff, parseExposition, type Sample } from '../helpers/promtext.js';

/** Two cases at a time: each runs two short subprocesses, and the machine has two cores. */
const CONCURRENCY = 2;
const MIN_CASES = 45;
const MIN_LOG_LINES = 5;
const MAX_LOG_LINES = 200;

type Reference = { kind: 'mtail'; result: ProcessResult } | { kind: 'documented'; text: string } | { kind: 'no-mtail' };

interface CaseRun {
  ours: ProcessResult;
  reference: Reference;
}

const repoRoot = findRepoRoot();
const cases = listCases(path.join(repoRoot, 'fixtures', 'differential'));
const haveMtail = mtailAvailable();

async function runCase(c: DiffCase): Promise<CaseRun> {
  const ours = await runLogmetrics(repoRoot, c);
  if (c.expectedFile !== undefined) return { ours, reference: { kind: 'documented', text: fs.readFileSync(c.expectedFile, 'utf8') } };
  if (!haveMtail) return { ours, reference: { kind: 'no-mtail' } };
  return { ours, reference: { kind: 'mtail', result: await runMtail(c) } };
}

/** The prog label names the program file on both sides; its value is not what is being compared. */
function withoutProgValue(samples: Sample[]): Sample[] {
  return samples.map((s) => ('prog' in s.labels ? { ...s, labels: { ...s.labels, prog: '<prog>' } } : s));
}

/** Lines in a log, counting a last line that has no newline. */
function countLines(text: string): number {
  const newlines = text.split('\n').length - 1;
  return text.length > 0 && !text.endsWith('\n') ? newlines + 1 : newlines;
}

function progValues(samples: Sample[]): string[] {
  return [...new Set(samples.map((s) => s.labels.prog).filter((v): v is string => v !== undefined))].sort();
}

function parseOrFail(t: { fail(message: string): unknown }, text: string, what: string): Sample[] | undefined {
  try {
    return parseExposition(text);
  } catch (e) {
    t.fail(`${what} is not a valid exposition: ${(e as Error).message}`);
    return undefined;
  }
}

t.test('corpus layout', async (t) => {
  t.ok(cases.length >= MIN_CASES, `at least ${MIN_CASES} cases (found ${cases.length})`);
  for (const c of cases) {
    t.ok(/^\d{2}-[a-z0-9-]+$/.test(c.name), `${c.name}: folder named NN-short-name`);
    t.ok(fs.existsSync(c.prog), `${c.name}: has prog.mtail`);
    t.ok(fs.existsSync(c.input), `${c.name}: has input.log`);
    t.equal(c.expectedFile !== undefined, c.whyFile !== undefined, `${c.name}: expected.prom and WHY come together`);
    if (fs.existsSync(c.input)) {
      const lines = countLines(fs.readFileSync(c.input, 'latin1'));
      t.ok(lines >= MIN_LOG_LINES && lines <= MAX_LOG_LINES, `${c.name}: ${MIN_LOG_LINES}-${MAX_LOG_LINES} log lines (${lines})`);
    }
  }
});

const runs = mapBounded(cases, CONCURRENCY, runCase);

cases.forEach((c, i) => {
  const label = c.expectedFile !== undefined ? `${c.name} (documented)` : c.name;
  t.test(label, async (t) => {
    const { ours, reference } = await runs[i];

    let expected: Sample[] | undefined;
    let expectedName: string;
    if (reference.kind === 'no-mtail') {
      t.fail(MTAIL_MISSING);
      return;
    } else if (reference.kind === 'mtail') {
      expectedName = 'mtail';
      const m = reference.result;
      if (m.code !== 0 || m.error !== undefined) {
        t.fail(
          `mtail did not run this program (exit ${m.code}${m.error ? `, ${m.error}` : ''}); ` +
            'if its docs allow the construct, make the case documented (WHY + expected.prom)',
          { stderr: stderrTail(m) + '\n' },
        );
        return;
      }
      expected = parseOrFail(t, m.stdout, 'mtail output');
    } else {
      expectedName = 'expected.prom';
      expected = parseOrFail(t, reference.text, 'expected.prom');
    }
    if (expected === undefined) return;
    t.ok(expected.length > 0, `${expectedName} has samples to compare`);

    if (ours.code !== 0 || ours.error !== undefined) {
      t.fail(`logmetrics failed (exit ${ours.code}${ours.error ? `, ${ours.error}` : ''})`, { stderr: stderrTail(ours) + '\n' });
      return;
    }
    let actual = parseOrFail(t, ours.stdout, 'logmetrics output');
    if (actual === undefined) return;
    t.same(indexSamples(actual).duplicates, [], 'logmetrics prints each sample once');

    const ourProgs = progValues(actual);
    const theirProgs = progValues(expected);
    if (ourProgs.join() !== theirProgs.join()) {
      t.comment(`prog label values differ (ignored): logmetrics ${ourProgs.join(',')}, ${expectedName} ${theirProgs.join(',')}`);
    }

    if (reference.kind === 'documented') {
      // expected.prom lists only the metrics that matter; those must match exactly.
      const names = new Set(expected.map((s) => s.name));
      actual = actual.filter((s) => names.has(s.name));
    }
    const diff = diffSamples(withoutProgValue(actual), withoutProgValue(expected));
    if (isEmptyDiff(diff)) {
      t.pass(`same ${expected.length} samples as ${expectedName}`);
    } else {
      // Multi-line text in the diagnostics block keeps one sample per line.
      t.fail(`samples differ from ${expectedName}`, { differences: formatDiff(diff, 'logmetrics', expectedName) + '\n' });
    }
  });
});
