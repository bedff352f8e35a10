// Scenario 5: following — a writer appends to a file each daemon follows: the lines/s each
// sustains, and the delay from a line's write() to its count in /metrics.

import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEvents, setTimeout as sleep } from 'node:timers/promises';
import { MTAIL_ABSENT, type BenchContext } from './context.js';
import { type FollowDaemon, type FollowTool, startFollowDaemon } from './follow-daemon.js';
import { seededRandom } from './loggen.js';
import { median } from './measure.js';
import { APACHE_PROGS_DIR } from './one-program.js';
import { type Figure, formatFigures, formatValue } from './report.js';

const SCENARIO = '5. following';
/** mtail rejects a one-line block, so the statement has its own line. */
const LINES_PROGRAM = 'counter lines_total\n\n/./ {\n  lines_total++\n}\n';
const TARGET_MEDIAN_S = 0.05;
const TARGET_P99_S = 0.25;
/** Lines per write() of the throughput writer. */
const BATCH_LINES = 1000;
/**
 * The throughput writer stays at most this many lines ahead of the count in /metrics. A writer
 * unbounded here appends about 1 GB/s, so 20 s would leave tens of GB for the tool to chew
 * through; with the bound the file grows only as fast as the tool reads it, and the tool
 * never waits for input while the writer is running (0.3 s of work at 1M lines/s ahead,
 * three scrape intervals).
 */
const WINDOW_LINES = 300_000;
/** Scrapes cost the daemons CPU: every 10 ms made both about a fifth slower here than every 100 ms. */
const THROUGHPUT_SCRAPE_MS = 100;
const DELAY_SCRAPE_MS = 5;
/** Mean rate of the marker lines; the gaps between them are random (exponential, seeded). */
const MARKERS_PER_SECOND = 20;
const MARKER_SEED = 5;
/** After the writer stops: give up when the count has not moved for this long. */
const STALL_MS = 10_000;
/** After the last marker: give up on markers not counted by then. */
const MARKER_DEADLINE_MS = 5_000;
const WARM_UP_DEADLINE_MS = 20_000;

/** A combined-format line carrying a sequence number in its path, matched by apache_combined too. */
function markerLine(seq: number | string): string {
  return `192.0.2.7 - - [22/Nov/2026:00:00:00 +0000] "GET /marker/${seq} HTTP/1.1" 200 512 "-" "logmetrics-bench"\n`;
}

/** Whole lines ready for one write(). */
interface Batch {
  bytes: Buffer;
  lines: number;
}

/** The sample access log cut into batches of BATCH_LINES lines. */
function loadBatches(path: string): Batch[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const batches: Batch[] = [];
  for (let i = 0; i < lines.length; i += BATCH_LINES) {
    const chunk = lines.slice(i, i + BATCH_LINES);
    batches.push({ bytes: Buffer.from(chunk.join('\n') + '\n'), lines: chunk.length });
  }
  return batches;
}

/** The value at quantile q of sorted values (nearest rank). */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

interface DelayRun {
  medianS: number;
  p99S: number;
  maxS: number;
  markers: number;
  missing: number;
}

/**
 * When each marker is due (ms from the start): gaps drawn from an exponential distribution,
 * as requests arrive independently. Evenly spaced lines would fall in step with the tools'
 * own periods (mtail's 250 ms poll, the 50 ms a file watcher may fold events into) and
 * either hide or exaggerate what those periods cost.
 */
function markerSchedule(markers: number): number[] {
  const r = seededRandom(MARKER_SEED);
  const due: number[] = [];
  let t = 0;
  for (let i = 0; i < markers; i++) {
    due.push(t);
    t += (-Math.log(1 - r()) * 1000) / MARKERS_PER_SECOND;
  }
  return due;
}

/**
 * Appends `markers` single lines at random times, MARKERS_PER_SECOND on average, while a
 * poller reads /metrics every DELAY_SCRAPE_MS; a marker's delay runs from the return of its
 * write() to the end of the first scrape whose count includes it.
 */
async function measureDelay(d: FollowDaemon, fd: number, base: number, markers: number): Promise<DelayRun> {
  const written: number[] = [];
  const seen: number[] = new Array(markers).fill(NaN);
  let count = base;
  let stopAt = Infinity;
  const poller = (async () => {
    for (;;) {
      const started = performance.now();
      const v = await d.linesTotal();
      const t = performance.now();
      // A scrape is answered only after this process's synchronous write-and-record step, so
      // every marker it counts already has its write time.
      for (let k = Math.max(count, base); k < Math.min(v, base + markers); k++) seen[k - base] = t;
      count = Math.max(count, v);
      if (count - base >= markers || t > stopAt) return;
      const wait = DELAY_SCRAPE_MS - (performance.now() - started);
      if (wait > 0) await sleep(wait);
    }
  })();
  let failure: unknown;
  const polled = poller.catch((err: unknown) => {
    failure = err;
  });
  const due = markerSchedule(markers);
  const t0 = performance.now();
  for (let i = 0; i < markers && failure === undefined; i++) {
    const wait = t0 + due[i] - performance.now();
    if (wait > 0) await sleep(wait);
    writeSync(fd, markerLine(i));
    written.push(performance.now());
  }
  stopAt = performance.now() + MARKER_DEADLINE_MS;
  await polled;
  if (failure !== undefined) throw failure;
  const delays = seen
    .map((t, i) => (t - written[i]) / 1000)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (delays.length === 0) throw new Error(`${d.tool}: none of ${markers} marker lines reached /metrics in time`);
  return { medianS: median(delays), p99S: quantile(delays, 0.99), maxS: delays[delays.length - 1], markers, missing: markers - delays.length };
}

interface ThroughputRun {
  written: number;
  counted: number;
  /** From the first write until the count in /metrics equals the lines written (NaN if it never did). */
  seconds: number;
  /** Share of the writing time the writer waited because it was WINDOW_LINES ahead. */
  throttled: number;
}

/** Appends batches as fast as the window allows for `seconds`, then waits for the count to catch up. */
async function measureThroughput(d: FollowDaemon, fd: number, base: number, batches: Batch[], seconds: number): Promise<ThroughputRun> {
  let count = base;
  let written = 0;
  let writing = true;
  let countedAt = NaN;
  const poller = (async () => {
    let lastChange = performance.now();
    for (;;) {
      const v = await d.linesTotal();
      const t = performance.now();
      if (v !== count) lastChange = t;
      count = v;
      if (!writing && count - base >= written) {
        countedAt = t;
        return;
      }
      if (!writing && t - lastChange > STALL_MS) return;
      await sleep(writing ? THROUGHPUT_SCRAPE_MS : 1);
    }
  })();
  let failure: unknown;
  const polled = poller.catch((err: unknown) => {
    failure = err;
  });
  const start = performance.now();
  let throttledMs = 0;
  for (let i = 0; performance.now() - start < seconds * 1000 && failure === undefined; ) {
    if (written - (count - base) > WINDOW_LINES) {
      const t = performance.now();
      await sleep(1);
      throttledMs += performance.now() - t;
      continue;
    }
    const b = batches[i++ % batches.length];
    writeSync(fd, b.bytes);
    written += b.lines;
    // Let the poller's answers in between batches.
    await yieldToEvents();
  }
  const writeMs = performance.now() - start;
  writing = false;
  await polled;
  if (failure !== undefined) throw failure;
  return { written, counted: count - base, seconds: (countedAt - start) / 1000, throttled: throttledMs / writeMs };
}

interface ToolRun {
  delay: DelayRun;
  throughput: ThroughputRun;
}

/** One daemon over a fresh empty file: a warm-up line, the delay measurement, then the throughput one. */
async function runTool(ctx: BenchContext, tool: FollowTool, progsDir: string, batches: Batch[], seconds: number, delaySeconds: number): Promise<ToolRun> {
  const dir = mkdtempSync(join(ctx.tmp, `follow-${tool}-`));
  const log = join(dir, 'followed.log');
  writeFileSync(log, '');
  const fd = openSync(log, 'a');
  let daemon: FollowDaemon | undefined;
  try {
    daemon = await startFollowDaemon(tool, progsDir, log);
    // The first line proves the file is followed (mtail opens it at its end, after listening).
    writeSync(fd, markerLine('warm-up'));
    const deadline = performance.now() + WARM_UP_DEADLINE_MS;
    let base = await daemon.linesTotal();
    while (base < 1) {
      if (performance.now() > deadline) throw new Error(`${tool}: the warm-up line was not counted in ${WARM_UP_DEADLINE_MS} ms`);
      await sleep(DELAY_SCRAPE_MS);
      base = await daemon.linesTotal();
    }
    ctx.progress(`${SCENARIO}: ${tool}: delay, ${MARKERS_PER_SECOND} lines/s for about ${delaySeconds} s`);
    const delay = await measureDelay(daemon, fd, base, MARKERS_PER_SECOND * delaySeconds);
    ctx.progress(`${SCENARIO}: ${tool}: throughput, writer at full speed for ${seconds} s`);
    const throughput = await measureThroughput(daemon, fd, await daemon.linesTotal(), batches, seconds);
    return { delay, throughput };
  } finally {
    await daemon?.stop();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What went missing in one run, or null when every line was counted. */
function lossOf(r: ToolRun): string | null {
  const t = r.throughput;
  const parts: string[] = [];
  if (r.delay.missing > 0) parts.push(`${r.delay.missing} of ${r.delay.markers} marker lines not counted within ${MARKER_DEADLINE_MS} ms of the last`);
  if (t.counted !== t.written) parts.push(`${t.counted} counted of ${t.written} lines written (${t.written - t.counted} missing; the count stopped moving for ${STALL_MS / 1000} s)`);
  return parts.length ? parts.join('; ') : null;
}

/** Throughput and write-to-/metrics delay of each daemon following one file; `runs` alternate between the tools. */
export async function following(ctx: BenchContext, seconds: number, delaySeconds: number): Promise<Figure[]> {
  const progsDir = join(ctx.tmp, 'follow-programs');
  mkdirSync(progsDir, { recursive: true });
  writeFileSync(join(progsDir, 'lines.mtail'), LINES_PROGRAM);
  copyFileSync(join(APACHE_PROGS_DIR, 'apache_combined.mtail'), join(progsDir, 'apache_combined.mtail'));
  const batches = loadBatches(ctx.sampleLog.path);

  const tools: FollowTool[] = ctx.tools.mtail ? ['logmetrics', 'mtail'] : ['logmetrics'];
  const results = new Map<FollowTool, ToolRun[]>(tools.map((t) => [t, []]));
  for (let i = 0; i < ctx.runs; i++) {
    for (const tool of tools) {
      ctx.progress(`${SCENARIO}: ${tool} run ${i + 1}/${ctx.runs}`);
      results.get(tool)!.push(await runTool(ctx, tool, progsDir, batches, seconds, delaySeconds));
    }
  }

  const ours = results.get('logmetrics')!;
  const theirs = results.get('mtail');
  const rate = (r: ToolRun) => (r.throughput.counted === r.throughput.written ? r.throughput.written / r.throughput.seconds : 0);
  const med = (rs: ToolRun[] | undefined, f: (r: ToolRun) => number) => (rs ? median(rs.map(f)) : undefined);
  const absent = theirs ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `sustained throughput, writer at full speed ${seconds} s`, unit: 'lines/s', better: 'higher', ours: med(ours, rate)!, mtail: med(theirs, rate), mtailNote: absent },
    { scenario: SCENARIO, what: 'delay write→/metrics, median (target ≤ 50 ms)', unit: 'seconds', better: 'lower', ours: med(ours, (r) => r.delay.medianS)!, mtail: med(theirs, (r) => r.delay.medianS), mtailNote: absent },
    { scenario: SCENARIO, what: 'delay write→/metrics, p99 (target ≤ 250 ms)', unit: 'seconds', better: 'lower', ours: med(ours, (r) => r.delay.p99S)!, mtail: med(theirs, (r) => r.delay.p99S), mtailNote: absent },
  ];

  const ms = (s: number) => formatValue(s, 'seconds');
  const verdict = (v: number, target: number) => `${ms(v)} ${v <= target ? 'MET' : 'MISSED'}`;
  const notes = [
    `targets for logmetrics: median delay ≤ ${ms(TARGET_MEDIAN_S)}: ${verdict(figures[1].ours, TARGET_MEDIAN_S)}; p99 ≤ ${ms(TARGET_P99_S)}: ${verdict(figures[2].ours, TARGET_P99_S)}`,
    `both daemons: default settings (poll interval 250 ms; logmetrics also reacts to file-system events), programs lines.mtail (counter lines_total, /./ { lines_total++ }) and apache_combined.mtail, one file created empty before start, one after the other`,
    `throughput = lines written ÷ time from the first write until lines_total equals them; the writer appends ${BATCH_LINES}-line batches of the sample access log, staying at most ${WINDOW_LINES.toLocaleString('en')} lines ahead of lines_total (scraped every ${THROUGHPUT_SCRAPE_MS} ms) so the file grows only as fast as the tool reads`,
    `delay = from the return of a one-line write() to the end of the first /metrics scrape counting it; ${MARKERS_PER_SECOND * delaySeconds} lines at random times (exponential gaps, seeded), ${MARKERS_PER_SECOND}/s on average, scraped every ${DELAY_SCRAPE_MS} ms over one kept-alive connection (so a figure includes up to ~${DELAY_SCRAPE_MS} ms of polling); median and p99 (nearest rank) per run, median over runs`,
  ];
  for (const [tool, rs] of results) {
    const lines = rs.map((r) => `${(r.throughput.written / 1e6).toFixed(2)}M lines ${rate(r) ? `${formatValue(rate(r), 'lines/s')}` : 'NOT counted'}, writer throttled ${(r.throughput.throttled * 100).toFixed(0)}%, delay median ${ms(r.delay.medianS)} p99 ${ms(r.delay.p99S)} max ${ms(r.delay.maxS)}`);
    notes.push(`${tool} runs: ${lines.join(' | ')}`);
    for (const [i, r] of rs.entries()) {
      const loss = lossOf(r);
      if (!loss) continue;
      notes.push(`LOSS: ${tool} run ${i + 1}: ${loss}`);
      process.stderr.write(`bench: LOSS: ${tool} run ${i + 1}: ${loss}\n`);
      // Our own lost lines fail the benchmark; mtail's are only reported.
      if (tool === 'logmetrics') process.exitCode = 1;
    }
  }
  const title = `${SCENARIO}: a writer appends to a file each daemon follows (not one-shot); median of ${ctx.runs}`;
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
