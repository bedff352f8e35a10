import { formatDiagnostics } from '../lang/compile.js';
import { Store } from '../metrics/index.js';
import { renderJson, renderOpenMetrics, renderPrometheus } from '../export/encoders.js';
import { LineProcessor, loadPrograms } from '../runtime/loader.js';
import { loadZone, Strptime } from '../runtime/time/index.js';
import { readToEnd } from '../tail/index.js';
import type { Logger } from './log.js';

export type OutputFormat = 'prometheus' | 'openmetrics' | 'json';

export interface OneShotOptions {
  progs: string;
  logs: string[];
  format: OutputFormat;
  progLabel: boolean;
  timestamps: boolean;
  timezone?: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
}

/** `run --one-shot`: reads each log from start to end through every program, prints the metrics. */
export async function runOneShot(opts: OneShotOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, logger: Logger): Promise<number> {
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
  const programs = outcomes.flatMap((o) => (o.program ? [o.program] : []));
  if (outcomes.length === 0) {
    err.write(`logmetrics: no .mtail programs found in ${opts.progs}\n`);
    return 1;
  }
  const processor = new LineProcessor(programs);
  const sink = (line: string, filename: string) => processor.processLine(line, filename);
  for (const log of opts.logs) {
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
  await writeAll(out, (write) => {
    const textOpts = { progLabel: opts.progLabel, timestamps: opts.timestamps };
    if (opts.format === 'json') renderJson(store, {}, write);
    else if (opts.format === 'openmetrics') renderOpenMetrics(store, textOpts, write);
    else renderPrometheus(store, textOpts, write);
  });
  return status;
}

/** Writes what render produces, respecting back-pressure, and resolves once it is flushed. */
async function writeAll(out: NodeJS.WritableStream, render: (write: (chunk: string) => void) => void): Promise<void> {
  const chunks: string[] = [];
  render((c) => chunks.push(c));
  for (const c of chunks) {
    if (!out.write(c)) await new Promise((resolve) => out.once('drain', resolve));
  }
}
