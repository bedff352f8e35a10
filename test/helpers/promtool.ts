// The one promtool harness of the tests: run it, check an exposition with its
// linter, read Prometheus's strict OpenMetrics parser's verdict (tsdb
// create-blocks-from openmetrics). A missing promtool is a failure with this hint.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROMTOOL_MISSING = 'promtool not found: apt-get install -y prometheus';

// Lint findings promtool reports for mtail-style names; anything else is a problem.
const ALLOWED_LINT = [/^\S+ counter metrics should have "_total" suffix$/, /^\S+ no help text$/];

export interface PromtoolRun {
  status: number | null;
  /** stdout then stderr. */
  output: string;
  /** promtool is not installed. */
  missing: boolean;
}

/** Runs promtool with `args`, `input` on stdin, in `cwd`. */
export function promtool(args: string[], opts: { input?: string; cwd?: string } = {}): PromtoolRun {
  const r = spawnSync('promtool', args, { input: opts.input, cwd: opts.cwd, encoding: 'utf8', timeout: 60_000 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, missing };
}

/** `promtool check metrics` on `text`: its exit status (3 means lint only) and the lines that are not allowed lint. */
export function checkMetrics(text: string): { missing: boolean; status: number | null; problems: string[] } {
  const r = promtool(['check', 'metrics'], { input: text });
  const problems = r.output.split('\n').filter((l) => l !== '' && !ALLOWED_LINT.some((re) => re.test(l)));
  return { missing: r.missing, status: r.status, problems };
}

/**
 * Feeds `text` to Prometheus's strict OpenMetrics parser by writing it to `dir` and running
 * `promtool tsdb create-blocks-from openmetrics`; `samples` is what the blocks hold.
 */
export function openMetricsBlocks(dir: string, name: string, text: string): PromtoolRun & { samples: number } {
  const file = path.join(dir, `${name}.om`);
  fs.writeFileSync(file, text);
  const r = promtool(['tsdb', 'create-blocks-from', 'openmetrics', file, path.join(dir, `${name}-blocks`)]);
  // One table row per 2h block: ULID, min time, max time, duration, NUM SAMPLES, chunks, series, size.
  const samples = [...r.output.matchAll(/^\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s/gm)].reduce((n, row) => n + Number(row[1]), 0);
  return { ...r, samples };
}
