// The one logger every floor writes to: sources, runtime, exporter and CLI. It sits at the
// bottom with src/go/, so any floor may import it; it imports nothing of ours.

/** Severity of an event. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Every level, least severe first (the --log-level choices). */
export const LEVELS = Object.keys(ORDER) as Level[];

/** Structured events: a name and fields, one line each, logfmt style (`level=warn event=runtime_error prog=a.mtail ...`). */
export interface Logger {
  log(level: Level, event: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default where none is given). */
export const silentLogger: Logger = { log() {} };

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /^[\w./:@+-]+$/.test(s) ? s : JSON.stringify(s);
}

/** A logger writing events at or above `min` to a stream (stderr by default). */
export function createLogger(min: Level = 'info', out: NodeJS.WritableStream = process.stderr): Logger {
  return {
    log(level, event, fields = {}) {
      if (ORDER[level] < ORDER[min]) return;
      let line = `time=${new Date().toISOString()} level=${level} event=${event}`;
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${quote(v)}`;
      out.write(line + '\n');
    },
  };
}
