// Escaping, number spelling and chunked output shared by the Prometheus text,
// OpenMetrics and JSON encoders.

const NEEDS_LABEL_ESCAPE = /[\\"\n]/;
const NEEDS_HELP_ESCAPE = /[\\\n]/;
const NEEDS_OM_HELP_ESCAPE = /[\\"\n]/;

/** A label value escaped for both text formats: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(v)) return v;
  return v.replace(/[\\"\n]/g, escapeChar);
}

/** HELP text for the Prometheus 0.0.4 format, which escapes only backslash and newline. */
export function escapeHelpPrometheus(s: string): string {
  if (!NEEDS_HELP_ESCAPE.test(s)) return s;
  return s.replace(/[\\\n]/g, escapeChar);
}

/** HELP text for OpenMetrics, which also escapes the double quote. */
export function escapeHelpOpenMetrics(s: string): string {
  if (!NEEDS_OM_HELP_ESCAPE.test(s)) return s;
  return s.replace(/[\\"\n]/g, escapeChar);
}

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : '\\' + c;
}

/**
 * A sample value: integers as integers, other numbers as the shortest decimal that
 * reads back to the same double, and NaN, +Inf, -Inf as both formats spell them.
 */
export function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v); // NaN prints as "NaN"; -0 prints as "0"
}

/** A Prometheus 0.0.4 timestamp: integer milliseconds. */
export function formatTimestampMs(ms: number): string {
  return String(Math.floor(ms));
}

/** An OpenMetrics timestamp: seconds, with the milliseconds as a decimal fraction. */
export function formatTimestampSeconds(ms: number): string {
  return String(Math.floor(ms) / 1000);
}

/** Collects small strings and hands them to `write` in chunks of about `size` characters. */
export class ChunkedOutput {
  private buffer = '';

  constructor(
    private readonly write: (chunk: string) => void,
    private readonly size = 16384,
  ) {}

  /** Appends `s`, flushing when the buffer is full. */
  push(s: string): void {
    this.buffer += s;
    if (this.buffer.length >= this.size) {
      this.write(this.buffer);
      this.buffer = '';
    }
  }

  /** Writes what is left. */
  end(): void {
    if (this.buffer !== '') this.write(this.buffer);
    this.buffer = '';
  }
}
