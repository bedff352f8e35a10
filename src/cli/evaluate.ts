// Programs over whole logs into a fresh store: what `run --one-shot` prints
// and what `logmetrics test` compares with an expected file.

import { formatDiagnostics } from '../lang/compile.js';
import { Store, type NativeHistogramOptions } from '../metrics/index.js';
import { LineProcessor, loadPrograms } from '../runtime/loader.js';
import type { LoadedProgram } from '../runtime/program.js';
import { loadZone, Strptime } from '../go/time/index.js';
// Not the tail index: one-shot runs need no file watcher.
import { readToEnd } from '../tail/readToEnd.js';
import { compileGlob, expandGlob, hasGlobSyntax } from '../tail/glob.js';
import { type Logger, logRuntimeError } from './log.js';
import { adoptResults, chooseThreads, partition, startWorker, type WorkerProgramResult } from './parallel.js';

/** What to run over what. */
export interface EvaluateOptions {
  /** An .mtail file, or a directory of them. */
  progs: string;
  /** Read in order, each from start to end; '-' is stdin. */
  logs: string[];
  /** Zone for strptime layouts without one (IANA name); default UTC. */
  timezone?: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
  /** Threads to run the programs on (1: the main thread only); default: chosen from the logs' size (parallel.ts). */
  threads?: number;
  /** Keep native histograms beside the classic buckets. */
  nativeHistograms?: NativeHistogramOptions;
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
  const zone = loadZone(opts.timezone ?? 'UTC');
  const store = new Store({ nativeHistograms: opts.nativeHistograms });
  const strptime = () => new Strptime(zone, Date.now, { syslogUseCurrentYear: opts.syslogUseCurrentYear });
  const outcomes = loadPrograms(opts.progs, store, strptime, (prog, pos, message, line, first) => {
    if (first) logRuntimeError(logger, prog, pos, message, line);
  });
  let status = 0;
  for (const o of outcomes) {
    if (o.result && o.result.diagnostics.length) err.write(formatDiagnostics(o.result) + '\n');
    if (!o.program) {
      status = 1;
      logger.log('error', 'program_load_failed', { prog: o.name, file: o.file, error: o.error });
    }
  }
  if (outcomes.length === 0) {
    err.write(`logmetrics: no .mtail programs found in ${opts.progs}\n`);
    return { store, status: 1, programFiles: 0 };
  }
  const loaded = outcomes.filter((o) => o.program);
  const programs = loaded.map((o) => o.program!);
  const { files, unmatched } = await expandLogs(opts.logs);
  for (const glob of unmatched) {
    err.write(`logmetrics: no file matches ${glob}\n`);
    status = 1;
  }
  const { threads, sizes } = files.length > 0 ? chooseThreads(opts.threads, loaded.length, files) : { threads: 1, sizes: [] };
  const groups = threads > 1 ? partition(loaded, threads, files[0]!, opts.maxLineBytes, strptime) : [loaded];
  if (threads > 1) logger.log('debug', 'threads', { threads, programs: groups.map((g) => g.map((o) => o.name).join(',')) });
  const logs = files.map((path, i) => ({ path, bytes: threads > 1 ? sizes[i]! : Infinity }));
  // Every worker is running before the main thread starts its own (blocking) reads.
  const workers = await Promise.all(
    groups.slice(1).map(async (g) => {
      const job = { programFiles: g.map((o) => o.file), logs, timezone: opts.timezone ?? 'UTC', maxLineBytes: opts.maxLineBytes, syslogUseCurrentYear: opts.syslogUseCurrentYear, nativeHistograms: opts.nativeHistograms };
      const { results } = await startWorker(job, logger);
      // Wrapped: an async function returning the promise itself would wait for it.
      const outcome = results.then(
        (r): [WorkerProgramResult[], LoadedProgram[]] => [r, []],
        (e: Error): [WorkerProgramResult[], LoadedProgram[]] => {
          logger.log('warn', 'worker_failed', { error: e.message, note: 'its programs run on the main thread after the others' });
          return [[], g.map((o) => o.program!)];
        },
      );
      return { outcome };
    }),
  );
  if (await readLogs(logs, groups[0]!.map((o) => o.program!), opts.maxLineBytes, err, logger)) status = 1;
  const fileOf = new Map(loaded.map((o) => [o.program!, o.file]));
  for (const [results, leftOver] of await Promise.all(workers.map((w) => w.outcome))) {
    adoptResults(results, programs, fileOf);
    if (leftOver.length > 0) await readLogs(logs, leftOver, opts.maxLineBytes, err, logger);
  }
  for (const p of programs) {
    if (p.runtimeErrors) logger.log('warn', 'runtime_errors', { prog: p.name, count: p.runtimeErrors, lines: p.lines });
  }
  return { store, status, programFiles: outcomes.length };
}

/** Reads each log through the programs; true when a log could not be read (said on `err`). */
async function readLogs(logs: { path: string; bytes: number }[], programs: LoadedProgram[], maxLineBytes: number, err: NodeJS.WritableStream, logger: Logger): Promise<boolean> {
  const processor = new LineProcessor(programs);
  const sink = (line: string, filename: string) => processor.processLine(line, filename);
  let failed = false;
  for (const log of logs) {
    try {
      const stats = await readToEnd(log.path, sink, { maxLineBytes, limitBytes: log.bytes, blocking: true });
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
