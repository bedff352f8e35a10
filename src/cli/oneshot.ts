import { renderJson, renderOpenMetrics, renderPrometheus } from '../export/encoders.js';
import { renderTable } from '../export/table.js';
import { evaluate } from './evaluate.js';
import type { Logger } from './log.js';

export type OutputFormat = 'prometheus' | 'openmetrics' | 'json' | 'table';

export interface OneShotOptions {
  progs: string;
  logs: string[];
  format: OutputFormat;
  progLabel: boolean;
  timestamps: boolean;
  timezone?: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
  /** ANSI colours in the table format (stdout is a terminal). */
  color?: boolean;
}

/** `run --one-shot`: reads each log from start to end through every program, prints the metrics. */
export async function runOneShot(opts: OneShotOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, logger: Logger): Promise<number> {
  const { store, status, programFiles } = await evaluate(opts, err, logger);
  if (programFiles === 0) return status;
  await writeAll(out, (write) => {
    const textOpts = { progLabel: opts.progLabel, timestamps: opts.timestamps };
    if (opts.format === 'json') renderJson(store, {}, write);
    else if (opts.format === 'openmetrics') renderOpenMetrics(store, textOpts, write);
    else if (opts.format === 'table') renderTable(store, { color: opts.color ?? false, progLabel: opts.progLabel }, write);
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
