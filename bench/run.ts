// `npm run bench`: logmetrics measured beside Debian's mtail, through both real CLIs.
//
// Settings (environment):
//   BENCH_RUNS=3        runs per figure; every figure is the median
//   BENCH_LINES=1000000 lines of the generated access log (scenario 1 also reads 5× this)
//   BENCH_SERIES=1000000 label sets in the cardinality scenario (rendering uses a tenth)
//   BENCH_FULL=1        also run mtail over the 5× log
//   BENCH_ONLY=1,3      run only these scenarios (6: hostile long lines, 7: failing lines, 8: each shipped program over its own log format, 9: compile 10,000 blocks, 10: many idle followed files)
//   BENCH_FOLLOW_SECONDS=20 how long the writer appends at full speed in the following scenario (5)
//   BENCH_FOLLOW_DELAY_SECONDS=10 how long marker lines (20/s) are written to time write→/metrics (5)
//   BENCH_FILES=500 idle files a daemon follows in the many-files scenario (10); half as many are added
//   BENCH_IDLE_SECONDS=10 how long their idle CPU is measured (10)
//   BENCH_RSS=proc      measure peak RSS by polling /proc even when GNU time is there
// Tables go to stdout, progress to stderr. Generated logs live in a temp dir, removed at exit.

import { cpus, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cardinality } from './cardinality.js';
import { compileBlocks } from './compile-blocks.js';
import { failingLines } from './failing-lines.js';
import type { BenchContext } from './context.js';
import { following } from './following.js';
import { writeAccessLog } from './loggen.js';
import { longLines } from './long-lines.js';
import { manyFiles } from './many-files.js';
import { manyPrograms } from './many-programs.js';
import { chooseRssMethod, describeRssMethod } from './measure.js';
import { oneProgram } from './one-program.js';
import { ownLogs } from './own-logs.js';
import { type Figure, formatFigures } from './report.js';
import { startup } from './startup.js';
import { findTools, REPO_ROOT } from './tools.js';

/** Lines on which both tools' outputs are compared before timing (a prefix of the access log). */
const SAMPLE_LINES = 50_000;

function positiveIntEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive whole number`);
  return n;
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(tmp: string): Promise<void> {
  const runs = positiveIntEnv('BENCH_RUNS', 3);
  const lines = positiveIntEnv('BENCH_LINES', 1_000_000);
  const series = Math.max(2, positiveIntEnv('BENCH_SERIES', 1_000_000));
  const renderSeries = Math.max(1, Math.round(series / 10));
  const full = process.env.BENCH_FULL === '1';
  const followSeconds = positiveIntEnv('BENCH_FOLLOW_SECONDS', 20);
  const followDelaySeconds = positiveIntEnv('BENCH_FOLLOW_DELAY_SECONDS', 10);
  const manyFileCount = positiveIntEnv('BENCH_FILES', 500);
  const idleSeconds = positiveIntEnv('BENCH_IDLE_SECONDS', 10);
  const only = (process.env.BENCH_ONLY ?? '1,2,3,4,5,6,7,8,9,10').split(',').map((s) => s.trim());
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'cli', 'main.js'))) throw new Error('dist/bundle/cli/main.js is missing: build first (npm run build)');

  const tools = findTools();
  const rss = chooseRssMethod();
  const out = (s: string) => process.stdout.write(s + '\n');
  out('logmetrics benchmark');
  out(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
  out(tools.mtail ? `mtail ${tools.mtailVersion} (TZ=UTC, --one_shot --one_shot_format prometheus)` : 'mtail: NOT FOUND on PATH (apt-get install -y mtail); only logmetrics figures are reported');
  out(`each figure: median of ${runs} runs (BENCH_RUNS); runs of the two tools alternate; subprocesses through the real CLIs, output to /dev/null`);
  out(`wall time = process spawn to exit, measured by the parent; lines/s = lines / wall time`);
  out(describeRssMethod(rss));
  if (!tools.mtail) process.stderr.write('bench: mtail is not installed (apt-get install -y mtail): reporting logmetrics figures only\n');

  progress(`writing ${lines} access-log lines`);
  const accessLog = writeAccessLog(join(tmp, 'access.log'), lines);
  const sampleLog = writeAccessLog(join(tmp, 'sample.log'), Math.min(lines, SAMPLE_LINES));
  const ctx: BenchContext = { runs, lines, full, rss, tools, tmp, accessLog, sampleLog, progress };

  const figures: Figure[] = [];
  const started = Date.now();
  if (only.includes('1')) figures.push(...(await oneProgram(ctx)));
  if (only.includes('2')) figures.push(...(await manyPrograms(ctx)));
  if (only.includes('3')) figures.push(...(await cardinality(ctx, series, renderSeries)));
  if (only.includes('4')) figures.push(...(await startup(ctx)));
  if (only.includes('5')) figures.push(...(await following(ctx, followSeconds, followDelaySeconds)));
  if (only.includes('6')) figures.push(...(await longLines(ctx)));
  if (only.includes('7')) figures.push(...(await failingLines(ctx)));
  if (only.includes('8')) figures.push(...(await ownLogs(ctx)));
  if (only.includes('9')) figures.push(...(await compileBlocks(ctx)));
  if (only.includes('10')) figures.push(...(await manyFiles(ctx, manyFileCount, Math.max(1, Math.round(manyFileCount / 2)), idleSeconds)));
  out(formatFigures(`Summary: every figure (median of ${runs}; ratio = logmetrics ÷ mtail)`, figures, true));
  progress(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const tmp = mkdtempSync(join(tmpdir(), 'lm-bench-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    // The entry point may end the process: measure.ts stops the running child on 'exit'.
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
try {
  await main(tmp);
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  cleanup();
}
