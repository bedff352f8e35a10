// One-shot runs over big logs with several programs: the programs are split between the main
// thread and worker threads, each of which reads the same logs (up to the same byte counts)
// through its own programs. Programs share nothing, and each still sees every line in order, so
// the result is the one a single thread computes; the workers' datums are then copied into the
// main thread's store, which holds every program's metrics in program order.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type Level, type Logger, silentLogger } from '../log/index.js';
import { Datum, NativeHistogram, Store, type NativeHistogramData, type NativeHistogramOptions } from '../metrics/index.js';
import { LineSplitter } from '../tail/lineSplitter.js';
import { instantiate, type LoadedProgram } from './program.js';
import { Strptime, UTC_ZONE } from '../go/time/index.js';
import type { Binding } from './programs.js';
import type { CheckLimits } from '../lang/checker/index.js';

/** A program a one-shot run loaded, and its file (what a worker thread is told to load). */
export interface LoadedFile {
  file: string;
  program: LoadedProgram;
}

/** Below this much log, a worker's start-up (about 50 ms) costs more than it saves. */
export const AUTO_MIN_LOG_BYTES = 32 * 1024 * 1024;
/** Each thread reads every log and holds its own heap: more than a few stop paying. */
const AUTO_MAX_THREADS = 4;
/** Log read to estimate each program's cost per line. */
const SAMPLE_BYTES = 256 * 1024;

/** What a worker thread is asked to do. */
export interface WorkerJob {
  programFiles: string[];
  /** Which programs read which logs (a config file's pipelines); undefined: all programs read all logs. */
  bindings?: Binding[];
  /** Regular files, each read from its start up to its size when the run began. */
  logs: { path: string; bytes: number }[];
  timezone: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
  nativeHistograms?: NativeHistogramOptions;
  limits?: CheckLimits;
}

/** A datum as posted between threads: labels, value, time, count, buckets, expiry, native histogram. */
export type DatumData = [
  labels: string[],
  value: number | bigint | string,
  time: number,
  count: number,
  buckets: Float64Array | undefined,
  expiry: number,
  native: NativeHistogramData | undefined,
];

export interface WorkerProgramResult {
  file: string;
  lines: number;
  runtimeErrors: number;
  /** Per metric of the program, in declaration order: its datums. */
  metrics: DatumData[][];
}

/** A worker's events (its programs' run-time errors) go to the main thread's logger. */
export type WorkerMessage = { type: 'log'; level: Level; event: string; fields?: Record<string, unknown> } | { type: 'done'; programs: WorkerProgramResult[] };

export function datumData(d: Datum): DatumData {
  return [[...d.labels], d.value, d.time, d.count, d.buckets, d.expiry, d.native?.toData()];
}

function datumOf([labels, value, time, count, buckets, expiry, native]: DatumData): Datum {
  const d = new Datum(Object.freeze(labels), value, time, buckets);
  d.count = count;
  d.expiry = expiry;
  if (native !== undefined) d.native = NativeHistogram.fromData(native);
  return d;
}

/**
 * How many threads to use: `requested` when given (at most one per program), else one per core
 * (at most one per program, and AUTO_MAX_THREADS) when there are AUTO_MIN_LOG_BYTES of regular files.
 * Returns 1 when any log is not a regular file (stdin, a FIFO): it can be read only once.
 */
export function chooseThreads(requested: number | undefined, programs: number, logs: string[]): { threads: number; sizes: number[] } {
  const sizes: number[] = [];
  for (const log of logs) {
    if (log === '-') return { threads: 1, sizes: [] };
    try {
      const st = statSync(log);
      if (!st.isFile()) return { threads: 1, sizes: [] };
      sizes.push(st.size);
    } catch {
      return { threads: 1, sizes: [] };
    }
  }
  if (requested !== undefined) return { threads: Math.max(1, Math.min(requested, programs)), sizes };
  const total = sizes.reduce((a, b) => a + b, 0);
  const auto = total >= AUTO_MIN_LOG_BYTES ? Math.min(availableParallelism(), programs, AUTO_MAX_THREADS) : 1;
  return { threads: Math.max(1, auto), sizes };
}

/** Lines from the start of the first log, to time each program on. */
function sampleLines(log: string, maxLineBytes: number): string[] {
  const buf = Buffer.alloc(SAMPLE_BYTES);
  const fd = openSync(log, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const lines: string[] = [];
  new LineSplitter({ maxLineBytes, onLine: (l) => lines.push(l) }).push(buf.subarray(0, n));
  return lines;
}

/**
 * Splits the loaded programs into `threads` groups of about equal cost (group 0 stays on the main
 * thread): each program runs over a sample of the first log, in a throwaway store (once to warm
 * up, once timed), and the costliest go first to the group with the least so far.
 */
export function partition(loaded: LoadedFile[], threads: number, firstLog: string, maxLineBytes: number): LoadedFile[][] {
  const lines = sampleLines(firstLog, maxLineBytes);
  // Twins in throwaway stores: the timing must not count into the run's metrics.
  const probes = loaded.map((o) => instantiate(o.program.name, o.program.result, new Store(), new Strptime(UTC_ZONE), silentLogger));
  // A first pass compiles each regex and warms the code, which would swamp a short timing.
  for (const probe of probes) for (const line of lines) probe.run(line, firstLog, 0);
  const costs = probes.map((probe) => {
    const start = performance.now();
    for (const line of lines) probe.run(line, firstLog, 0);
    return performance.now() - start;
  });
  const groups: LoadedFile[][] = Array.from({ length: threads }, () => []);
  const totals = new Array<number>(threads).fill(0);
  const order = loaded.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  for (const i of order) {
    let g = 0;
    for (let k = 1; k < threads; k++) if (totals[k]! < totals[g]!) g = k;
    groups[g]!.push(loaded[i]!);
    totals[g]! += costs[i]!;
  }
  // Each thread runs its programs in their original order.
  for (const g of groups) g.sort((a, b) => loaded.indexOf(a) - loaded.indexOf(b));
  return groups;
}

/**
 * Starts a job on a worker thread. Resolves once the thread exists (the caller's blocking reads
 * must not delay its start) with the promise of its programs' results; their run-time errors
 * are logged as they come.
 */
export async function startWorker(job: WorkerJob, logger: Logger): Promise<{ results: Promise<WorkerProgramResult[]> }> {
  // Loaded only when a run uses threads (start-up).
  const { Worker } = await import('node:worker_threads');
  const results = new Promise<WorkerProgramResult[]>((resolve, reject) => {
    const worker = new Worker(new URL('./oneshotWorker.js', import.meta.url), { workerData: job });
    let done = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') {
        logger.log(m.level, m.event, m.fields);
      } else {
        done = true;
        resolve(m.programs);
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done) reject(new Error(`worker thread exited with code ${code} before it finished`));
    });
  });
  return { results };
}

/** Copies a worker's results into the main thread's instances of the same programs. */
export function adoptResults(results: WorkerProgramResult[], loaded: LoadedFile[]): void {
  for (const r of results) {
    const p = loaded.find((q) => q.file === r.file)?.program;
    if (p === undefined) throw new Error(`internal error: a worker ran ${r.file}, which the main thread did not load`);
    p.lines = r.lines;
    p.runtimeErrors = r.runtimeErrors;
    r.metrics.forEach((datums, i) => p.metrics[i]!.replaceDatums(datums.map(datumOf)));
  }
}
