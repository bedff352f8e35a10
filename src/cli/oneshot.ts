import { openMetricsChunks, prometheusChunks, renderJson, renderMtailOneShotJson } from '../export/encoders.js';
import type { CheckLimits } from '../lang/checker/index.js';
import { renderTable } from '../export/table.js';
import type { Logger } from '../log/index.js';
import type { NativeHistogramOptions } from '../metrics/index.js';
import { evaluate } from '../runtime/evaluate.js';
import type { Binding } from '../runtime/programs.js';
import type { PushgatewayOptions } from '../export/push/pushgateway.js';

export type OutputFormat = 'prometheus' | 'openmetrics' | 'json' | 'mtail-json' | 'table';

export interface OneShotOptions {
  progs: string;
  logs: string[];
  /** A config file's pipelines: which programs read which logs (progs and logs are then ignored). */
  bindings?: Binding[];
  format: OutputFormat;
  progLabel: boolean;
  timestamps: boolean;
  timezone?: string;
  maxLineBytes: number;
  syslogUseCurrentYear: boolean;
  /** Threads for the programs; default chosen from the logs' size. */
  threads?: number;
  /** ANSI colours in the table format (stdout is a terminal). */
  color?: boolean;
  /** Keep native histograms (the table's quantiles then come from them). */
  nativeHistograms?: NativeHistogramOptions;
  /** Push the results to a Pushgateway under this grouping key. */
  pushGateway?: Omit<PushgatewayOptions, 'progLabel' | 'timeoutMs'>;
  /** Print nothing on stdout (the results were pushed). */
  quiet?: boolean;
  /** mtail's -max_recursion_depth and -max_regexp_length. */
  limits?: CheckLimits;
}

/** `run --one-shot`: reads each log from start to end through every program, prints the metrics. */
export async function runOneShot(opts: OneShotOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, logger: Logger): Promise<number> {
  const { store, status, programFiles } = await evaluate(opts, err, logger);
  if (programFiles === 0) return status;
  const textOpts = { progLabel: opts.progLabel, timestamps: opts.timestamps };
  if (opts.pushGateway !== undefined) {
    const { pushToGateway } = await import('../export/push/pushgateway.js');
    try {
      const r = await pushToGateway(store, { ...opts.pushGateway, progLabel: opts.progLabel });
      logger.log('info', 'pushed', { url: r.url, status: r.status });
    } catch (e) {
      err.write(`logmetrics: ${(e as Error).message}\n`);
      return 1;
    }
    if (opts.quiet) return status;
  }
  if (opts.format === 'prometheus') await writeChunks(out, prometheusChunks(store, textOpts));
  else if (opts.format === 'openmetrics') await writeChunks(out, openMetricsChunks(store, textOpts));
  else {
    const chunks: string[] = [];
    if (opts.format === 'json') renderJson(store, {}, (c) => chunks.push(c));
    else if (opts.format === 'mtail-json') renderMtailOneShotJson(store, {}, (c) => chunks.push(c));
    else renderTable(store, { color: opts.color ?? false, progLabel: opts.progLabel }, (c) => chunks.push(c));
    await writeChunks(out, chunks);
  }
  return status;
}

/** Writes chunks as they are produced, waiting for drain, so a large exposition is never held whole. */
async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) {
    if (!out.write(c)) await new Promise((resolve) => out.once('drain', resolve));
  }
}
