// `logmetrics test`: golden tests for programs. A program runs over a log and
// its metrics are compared, sample by sample and in any order, with an
// expected Prometheus exposition; `--update` writes that file instead.
//
//   logmetrics test prog.mtail --log a.log [--log b.log] --expect prog.expected
//   logmetrics test prog.mtail          (prog.log and prog.expected beside it)
//   logmetrics test DIR                 (every NAME.mtail with NAME.log, NAME.expected)

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { prometheusText } from '../export/prometheus.js';
import { ExpositionSyntaxError, parseExposition, type Sample } from '../export/textparse.js';
import { programFiles } from '../runtime/loader.js';
import { DEFAULT_MAX_LINE_BYTES } from '../tail/lineSplitter.js';
import type { Logger } from '../log/index.js';
import { evaluate } from '../runtime/evaluate.js';
import { diffSamples, duplicateSamples, formatDiff, isEmptyDiff, paint, sampleKey, type Paint } from './samplediff.js';

/** Options of `logmetrics test`. */
export interface TestOptions {
  /** Logs for a single program, read in order; default: NAME.log beside the program. */
  logs: string[];
  /** The expected exposition of a single program; default: NAME.expected beside it. */
  expect?: string;
  /** Write the expected files from what the programs produce instead of comparing. */
  update: boolean;
  /** ANSI colours (stdout is a terminal). */
  color: boolean;
  /** Zone for strptime layouts without one; default UTC, so expected files do not depend on the machine. */
  timezone?: string;
  maxLineBytes?: number;
}

/** One golden test: a program, the logs it reads, the file its metrics must match. */
export interface TestCase {
  program: string;
  logs: string[];
  expected: string;
}

type Outcome = 'passed' | 'failed' | 'updated';

/**
 * Runs the golden tests `target` names (a program or a directory of triples),
 * printing PASS/FAIL lines and diffs on `out`. Resolves to the exit status:
 * 0 when everything matched (or was updated), 1 otherwise, 2 for --log or
 * --expect with a directory.
 */
export async function testCommand(target: string, opts: TestOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, logger: Logger): Promise<number> {
  const p = paint(opts.color);
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch (e) {
    err.write(`logmetrics: cannot read ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  if (!isDir) {
    const outcome = await runCase(singleCase(target, opts), opts, out, err, logger, p);
    return outcome === 'failed' ? 1 : 0;
  }
  if (opts.logs.length > 0 || opts.expect !== undefined) {
    err.write('logmetrics: --log and --expect name the files of one program; a directory is tested as NAME.mtail, NAME.log and NAME.expected triples\n');
    return 2;
  }
  const cases = directoryCases(target);
  if (cases.length === 0) {
    err.write(`logmetrics: no .mtail programs found in ${target}\n`);
    return 1;
  }
  const counts = { passed: 0, failed: 0, updated: 0 };
  for (const c of cases) counts[await runCase(c, opts, out, err, logger, p)]++;
  const failed = counts.failed === 0 ? `${counts.failed} failed` : p.red(`${counts.failed} failed`);
  out.write(opts.update ? `${counts.updated} updated, ${failed}\n` : `${counts.passed} passed, ${failed}\n`);
  return counts.failed === 0 ? 0 : 1;
}

/** The case for one program file: explicit --log/--expect, else the files named after it. */
export function singleCase(program: string, opts: Pick<TestOptions, 'logs' | 'expect'>): TestCase {
  const stem = join(dirname(program), basename(program, '.mtail'));
  return {
    program,
    logs: opts.logs.length > 0 ? opts.logs : [stem + '.log'],
    expected: opts.expect ?? stem + '.expected',
  };
}

/** Every NAME.mtail in `dir`, with NAME.log and NAME.expected beside it. */
export function directoryCases(dir: string): TestCase[] {
  return programFiles(dir).map((program) => singleCase(program, { logs: [] }));
}

async function runCase(c: TestCase, opts: TestOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, logger: Logger, p: Paint): Promise<Outcome> {
  const fail = (why: string, details = ''): Outcome => {
    out.write(`${p.red(p.bold('FAIL'))} ${c.program}: ${why}\n${details}`);
    return 'failed';
  };
  const missingLog = c.logs.find((l) => l !== '-' && !existsSync(l));
  if (missingLog !== undefined) return fail(`log ${missingLog} not found`);
  if (!opts.update && !existsSync(c.expected)) return fail(`expected file ${c.expected} not found (write it with --update)`);

  let produced: string;
  try {
    const run = await evaluate(
      { progs: c.program, logs: c.logs, timezone: opts.timezone, maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, syslogUseCurrentYear: true },
      err,
      logger,
    );
    if (run.status !== 0) return fail('the program did not load or a log could not be read (see above)');
    produced = prometheusText(run.store);
  } catch (e) {
    return fail((e as Error).message);
  }
  const actual = parseExposition(produced);

  if (opts.update) {
    writeFileSync(c.expected, produced);
    out.write(`${p.yellow('UPDATED')} ${c.expected}: ${actual.length} samples from ${c.program}\n`);
    return 'updated';
  }

  let expected: Sample[];
  try {
    expected = parseExposition(readFileSync(c.expected, 'utf8'));
  } catch (e) {
    if (e instanceof ExpositionSyntaxError) return fail(`${c.expected}:${e.lineNumber}: ${e.reason}`, `  ${JSON.stringify(e.text)}\n`);
    return fail(`cannot read ${c.expected}: ${(e as Error).message}`);
  }
  const repeated = duplicateSamples(expected);
  if (repeated.length > 0) {
    const lines = repeated.map((s) => `  ${c.expected}:${s.line}: ${sampleKey(s)} given twice\n`).join('');
    return fail(`${c.expected} names a sample more than once`, lines);
  }
  const diff = diffSamples(actual, expected);
  if (isEmptyDiff(diff)) {
    out.write(`${p.green(p.bold('PASS'))} ${c.program}: ${expected.length} samples match ${c.expected}\n`);
    return 'passed';
  }
  return fail(`differs from ${c.expected}`, formatDiff(diff, p) + '\n');
}
