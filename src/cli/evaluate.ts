// Programs over whole logs into a fresh store: what `run --one-shot` prints
// and what `logmetrics test` compares with an expected file.

import { formatDiagnostics } from '../lang/compile.js';
import { Store } from '../metrics/index.js';
import { LineProcessor, loadPrograms } from '../runtime/loader.js';
import { loadZone, Strptime } from '../runtime/time/index.js';
// Not the tail index: one-shot runs need no file watcher.
import { readToEnd } from '../tail/readToEnd.js';
import { compileGlob, expandGlob, hasGlobSyntax } from '../tail/glob.js';
import type { Logger } from './log.js';

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
  const store = new Store();
  const outcomes = loadPrograms(opts.progs, store, () => new Strptime(zone, Date.now, { syslogUseCurrentYear: opts.syslogUseCurrentYear }), (prog, pos, message, line, first) => {
    if (first) logger.log('warn', 'runtime_error', { prog, pos, error: message, line: line.length > 200 ? line.slice(0, 200) + '…' : line, note: 'further errors at this position are counted, not logged' });
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
  const programs = outcomes.flatMap((o) => (o.program ? [o.program] : []));
  const processor = new LineProcessor(programs);
  const sink = (line: string, filename: string) => processor.processLine(line, filename);
  const { files, unmatched } = await expandLogs(opts.logs);
  for (const glob of unmatched) {
    err.write(`logmetrics: no file matches ${glob}\n`);
    status = 1;
  }
  for (const log of files) {
    try {
      const stats = await readToEnd(log, sink, { maxLineBytes: opts.maxLineBytes });
      logger.log('debug', 'log_read', { file: log, lines: stats.lines, bytes: stats.bytes, long_lines_cut: stats.longLinesCut });
    } catch (e) {
      err.write(`logmetrics: cannot read ${log}: ${(e as Error).message}\n`);
      status = 1;
    }
  }
  for (const p of programs) {
    if (p.runtimeErrors) logger.log('warn', 'runtime_errors', { prog: p.name, count: p.runtimeErrors, lines: p.lines });
  }
  return { store, status, programFiles: outcomes.length };
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
