/** One line per event on stderr, logfmt style: `level=warn event=runtime_error prog=a.mtail ...`. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  log(level: Level, event: string, fields?: Record<string, unknown>): void;
}

/** The first run-time error at a source position of a one-shot run (from any thread); the line is cut at 200 characters. */
export function logRuntimeError(logger: Logger, prog: string, pos: string, message: string, line: string): void {
  logger.log('warn', 'runtime_error', { prog, pos, error: message, line: line.length > 200 ? line.slice(0, 200) + '…' : line, note: 'further errors at this position are counted, not logged' });
}

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

export const LEVELS = Object.keys(ORDER) as Level[];
