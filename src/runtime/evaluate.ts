// The one-shot engine: programs over whole logs into a fresh store. What `run --one-shot`
// prints and what `logmetrics test` compares with an expected file.

import type { Logger } from '../log/index.js';
import { Store, type NativeHistogramOptions } from '../metrics/index.js';
// Not the tail index: one-shot runs need no file watcher.
import { compileGlob, expandGlob, hasGlobSyntax } from '../tail/glob.js';
import { readToEnd } from '../tail/readToEnd.js';
import { programFiles } from './loader.js';
import type { CheckLimits } from '../lang/checker/index.js';
import { adoptResults, chooseThreads, partition, startWorker, type WorkerProgramResult } from './parallel.js';
import { ProgramSet, type Binding } from './programs.js';

/** What to run over what. */
export interface EvaluateOptions {
  /** An .mtail file, or a directory of them. */
  progs: string;
  /** Read in order, each from start to end; '-' is stdin. */
  logs: string[];
  /**
   * Which programs read which logs (a config file's pipelines): `progs` and `logs` are then
   * ignored, the programs and logs are those the bindings name.
   */
  bindings?: Binding[];
  /** Zone for strptime layouts without one (IANA name); default UTC. */
  timezone?: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
  /** Threads to run the programs on (1: the main thread only); default: chosen from the logs' size (parallel.ts). */
  threads?: number;
  /** Keep native histograms beside the classic buckets. */
  nativeHistograms?: NativeHistogramOptions;
  /** mtail's -max_recursion_depth and -max_regexp_length; default 100 and 1024. */
  limits?: CheckLimits;
}

/** The store after the run, and how it went. */
export interface Evaluation {
  store: Store;
  /** 0 when every program loaded and every log was read, else 1. */
  status: number;
  /** Program files found under `progs` (loaded or not). */
  programFiles: number;
}

/**
 * Loads the programs under `opts.progs` into a new store and reads each log from
 * start to end through them. Compile diagnostics and unreadable logs are written
 * to `err`; run-time errors are logged once per source position.
 */
export async function evaluate(opts: EvaluateOptions, err: NodeJS.WritableStream, logger: Logger): Promise<Evaluation> {
  const store = new Store({ nativeHistograms: opts.nativeHistograms });
  const set = new ProgramSet({ store, logger, limits: opts.limits, timezone: opts.timezone, syslogUseCurrentYear: opts.syslogUseCurrentYear, diagnostics: (text) => err.write(text + '\n') });
  const bindings = opts.bindings;
  let status = 0;
  const files = [...new Set((bindings?.flatMap((b) => b.programs) ?? [opts.progs]).flatMap((p) => programFiles(p)))];
  for (const file of files) if (!set.load(file)) status = 1;
  if (files.length === 0) {
    err.write(`logmetrics: no .mtail programs found in ${bindings ? 'the pipelines' : opts.progs}\n`);
    return { store, status: 1, programFiles: 0 };
  }
  set.route(bindings);
  const loaded = set.loaded();
  const expanded = await expandLogs(bindings ? [...new Set(bindings.flatMap((b) => b.logs))] : opts.logs);
  for (const glob of expanded.unmatched) {
    err.write(`logmetrics: no file matches ${glob}\n`);
    status = 1;
  }
  const logFiles = expanded.files;
  const { threads, sizes } = logFiles.length > 0 ? chooseThreads(opts.threads, loaded.length, logFiles) : { threads: 1, sizes: [] };
  const groups = threads > 1 ? partition(loaded, threads, logFiles[0]!, opts.maxLineBytes) : [loaded];
  if (threads > 1) logger.log('debug', 'threads', { threads, programs: groups.map((g) => g.map((o) => o.program.name).join(',')) });
  const logs = logFiles.map((path, i) => ({ path, bytes: threads > 1 ? sizes[i]! : Infinity }));
  // Every worker is running before the main thread starts its own (blocking) reads.
  const workers = await Promise.all(
    groups.slice(1).map(async (g) => {
      const job = { programFiles: g.map((o) => o.file), bindings, logs, timezone: opts.timezone ?? 'UTC', maxLineBytes: opts.maxLineBytes, syslogUseCurrentYear: opts.syslogUseCurrentYear, nativeHistograms: opts.nativeHistograms, limits: opts.limits };
      const { results } = await startWorker(job, logger);
      // Wrapped: an async function returning the promise itself would wait for it.
      return results.then(
        (r): [WorkerProgramResult[], string[]] => [r, []],
        (e: Error): [WorkerProgramResult[], string[]] => {
          logger.log('warn', 'worker_failed', { error: e.message, note: 'its programs run on the main thread after the others' });
          return [[], job.programFiles];
        },
      );
    }),
  );
  if (threads > 1) set.runOnly(groups[0]!.map((o) => o.file));
  if (await readLogs(logs, set, opts.maxLineBytes, err, logger)) status = 1;
  for (const [results, leftOver] of await Promise.all(workers)) {
    adoptResults(results, loaded);
    if (leftOver.length === 0) continue;
    set.runOnly(leftOver);
    await readLogs(logs, set, opts.maxLineBytes, err, logger);
  }
  for (const p of set.list()) {
    if (p.runtimeErrors) logger.log('warn', 'runtime_errors', { prog: p.name, count: p.runtimeErrors, lines: p.lines });
  }
  return { store, status, programFiles: files.length };
}

/** Reads each log through the programs; true when a log could not be read (said on `err`). */
async function readLogs(logs: { path: string; bytes: number }[], programs: ProgramSet, maxLineBytes: number, err: NodeJS.WritableStream, logger: Logger): Promise<boolean> {
  let failed = false;
  for (const log of logs) {
    try {
      const stats = await readToEnd(log.path, programs, { maxLineBytes, limitBytes: log.bytes, blocking: true });
      logger.log('debug', 'log_read', { file: log.path, lines: stats.lines, bytes: stats.bytes, long_lines_cut: stats.longLinesCut });
    } catch (e) {
      err.write(`logmetrics: cannot read ${log.path}: ${(e as Error).message}\n`);
      failed = true;
    }
  }
  return failed;
}

/** Globs in --logs name the files they match now, in path order, as mtail's one-shot mode reads them. */
async function expandLogs(logs: string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const out: string[] = [];
  const unmatched: string[] = [];
  for (const log of logs) {
    if (log === '-' || !hasGlobSyntax(log)) {
      out.push(log);
      continue;
    }
    const matches = await expandGlob(compileGlob(log));
    if (matches.length === 0) unmatched.push(log);
    out.push(...matches.map((m) => m.path));
  }
  return { files: out, unmatched };
}
