// `run --one-shot --format table`: the store as a table for a terminal.
// Counters, gauges, timers and text metrics get one row per datum; every
// histogram datum gets its count, mean and the p50/p90/p99 that Prometheus's
// histogram_quantile() would estimate from the same buckets.

import type { Datum, Metric, NativeHistogram, Store } from '../metrics/index.js';
import { bucketUpperBound } from '../metrics/index.js';

/** Options of the table encoder. */
export interface TableOptions {
  /** ANSI styling (bold headers, dim labels); only for a terminal. Default false. */
  color?: boolean;
  /** Show a PROG column when several programs exported metrics (default true). */
  progLabel?: boolean;
}

/** The quantiles every histogram row shows. */
export const TABLE_QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * The φ-quantile of a histogram, estimated exactly as Prometheus's
 * histogram_quantile() does for classic buckets (promql/quantile.go,
 * bucketQuantile): find the first bucket whose cumulative count reaches
 * rank = q × total and interpolate linearly inside it. The lowest bucket starts
 * at 0 when its upper bound is positive; when that bound is 0 or less, the
 * bound itself is the answer. A rank in the +Inf bucket gives the highest
 * finite bound. NaN without observations or without a finite bound; -Inf for
 * q < 0, +Inf for q > 1.
 *
 * `upperBounds` are the finite bounds, ascending; `buckets` are non-cumulative
 * counts, one per bound plus a last one for +Inf (the store's Datum.buckets).
 */
export function histogramQuantile(q: number, upperBounds: ArrayLike<number>, buckets: ArrayLike<number>): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const n = upperBounds.length;
  // Prometheus needs at least one finite bucket besides +Inf.
  if (n === 0 || buckets.length !== n + 1) return NaN;
  const cumulative = new Float64Array(n + 1);
  let running = 0;
  for (let i = 0; i <= n; i++) cumulative[i] = running += buckets[i]!;
  const total = cumulative[n]!;
  if (total === 0) return NaN;
  const rank = q * total;
  let b = 0;
  while (b < n && !(cumulative[b]! >= rank)) b++;
  if (b === n) return upperBounds[n - 1]!;
  if (b === 0 && upperBounds[0]! <= 0) return upperBounds[0]!;
  let start = 0;
  let count = cumulative[b]!;
  let r = rank;
  if (b > 0) {
    start = upperBounds[b - 1]!;
    count -= cumulative[b - 1]!;
    r -= cumulative[b - 1]!;
  }
  return start + (upperBounds[b]! - start) * (r / count);
}

/**
 * The φ-quantile of a native histogram with `count` observations, as
 * Prometheus's histogram_quantile() estimates it (promql/quantile.go,
 * histogramQuantile, of the 2.x releases): the buckets in ascending order
 * (negative, zero, positive), the first whose cumulative count reaches
 * rank = q × count, linear interpolation inside it. A zero bucket beside only
 * positive (negative) buckets starts (ends) at 0.
 */
export function nativeHistogramQuantile(q: number, h: NativeHistogram, count: number): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (count === 0) return NaN;
  const buckets: Array<[lower: number, upper: number, n: number]> = [];
  for (const i of [...h.negative.keys()].sort((a, b) => b - a)) {
    buckets.push([-bucketUpperBound(i, h.schema), -bucketUpperBound(i - 1, h.schema), h.negative.get(i)!]);
  }
  if (h.zeroCount > 0) {
    const lower = h.negative.size === 0 && h.positive.size > 0 ? 0 : -h.zeroThreshold;
    const upper = h.positive.size === 0 && h.negative.size > 0 ? 0 : h.zeroThreshold;
    buckets.push([lower, upper, h.zeroCount]);
  }
  for (const i of [...h.positive.keys()].sort((a, b) => a - b)) {
    buckets.push([bucketUpperBound(i - 1, h.schema), bucketUpperBound(i, h.schema), h.positive.get(i)!]);
  }
  if (buckets.length === 0) return NaN;
  const rank = q * count;
  let cumulative = 0;
  let b = buckets[0]!;
  for (b of buckets) {
    cumulative += b[2];
    if (cumulative >= rank) break;
  }
  // Only NaN observations (counted, in no bucket) leave the rank unreached.
  if (cumulative < rank) return b[1];
  const within = rank - (cumulative - b[2]);
  return b[0] + (b[1] - b[0]) * (within / b[2]);
}

/** Writes the table of every exported metric of `store` through `write`. */
export function renderTable(store: Store, opts: TableOptions, write: (chunk: string) => void): void {
  write(tableText(store, opts));
}

/** The table as one string. */
export function tableText(store: Store, opts: TableOptions = {}): string {
  const metrics = [...store.metrics()].filter((m) => !m.spec.hidden && m.size > 0);
  const programs = new Set(metrics.map((m) => m.spec.program));
  const withProg = (opts.progLabel ?? true) && programs.size > 1;
  const style = opts.color ? ANSI : PLAIN;
  const values: string[][] = [];
  const histograms: string[][] = [];
  let native = false;
  for (const m of metrics) {
    for (const d of sortedDatums(m)) {
      const lead = [...(withProg ? [printable(m.spec.program)] : []), m.spec.exportedName, labelText(m, d)];
      if (m.spec.kind === 'histogram') {
        histograms.push([...lead, ...histogramCells(m, d)]);
        native ||= d.native !== undefined;
      }
      else values.push([...lead, valueText(d.value)]);
    }
  }
  const prog = withProg ? ['PROG'] : [];
  const lead = prog.length + 2;
  const sections: string[] = [];
  if (values.length) sections.push(formatRows([...prog, 'METRIC', 'LABELS', 'VALUE'], values, lead, style));
  if (histograms.length) {
    const header = [...prog, 'HISTOGRAM', 'LABELS', 'COUNT', 'MEAN', ...TABLE_QUANTILES.map((q) => `P${Math.round(q * 100)}`)];
    const note = style.dim(
      native
        ? "quantiles estimated from the native histograms as Prometheus's histogram_quantile() does: linear within the exponential bucket"
        : "quantiles estimated as Prometheus's histogram_quantile() does: linear within the bucket",
    );
    sections.push(formatRows(header, histograms, lead, style) + '\n' + note);
  }
  if (sections.length === 0) return style.dim('no metrics') + '\n';
  return sections.join('\n\n') + '\n';
}

interface Style {
  bold(s: string): string;
  dim(s: string): string;
}
const ANSI: Style = { bold: (s) => `\u001b[1m${s}\u001b[0m`, dim: (s) => `\u001b[2m${s}\u001b[0m` };
const PLAIN: Style = { bold: (s) => s, dim: (s) => s };

/** Aligned rows: the first `textColumns` columns left-aligned, the numbers right-aligned. */
function formatRows(header: string[], rows: string[][], textColumns: number, style: Style): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const cell = (s: string, i: number): string => {
    const pad = ' '.repeat(widths[i]! - width(s));
    return i < textColumns ? s + pad : pad + s;
  };
  const line = (cells: string[], paint: (s: string, i: number) => string): string =>
    cells.map((c, i) => paint(cell(c, i), i)).join('  ').trimEnd();
  const out = [line(header, (s) => style.bold(s))];
  // Labels are dimmed so names and numbers stand out; padding is added before colouring.
  for (const r of rows) out.push(line(r, (s, i) => (i === textColumns - 1 ? style.dim(s) : s)));
  return out.join('\n');
}

/** Display width in code points (good enough for names, labels and numbers). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function histogramCells(m: Metric, d: Datum): string[] {
  const buckets = d.buckets ?? new Float64Array(m.upperBounds.length + 1);
  const sum = typeof d.value === 'number' ? d.value : Number(d.value);
  const cells = [String(d.count), d.count === 0 ? '-' : numberText(sum / d.count)];
  for (const q of TABLE_QUANTILES) {
    const v = d.native !== undefined ? nativeHistogramQuantile(q, d.native, d.count) : histogramQuantile(q, m.upperBounds, buckets);
    cells.push(Number.isNaN(v) ? '-' : numberText(v));
  }
  return cells;
}

/** Label pairs in declaration order; empty values left out, as Prometheus shows them. */
function labelText(m: Metric, d: Datum): string {
  const pairs: string[] = [];
  m.spec.keys.forEach((k, i) => {
    const v = d.labels[i]!;
    if (v !== '') pairs.push(`${k}=${quoteIfNeeded(v)}`);
  });
  return pairs.join(' ');
}

function valueText(v: number | bigint | string): string {
  if (typeof v === 'bigint') return String(v);
  return typeof v === 'string' ? quoteIfNeeded(v) : numberText(v);
}

/** Integers in full; other numbers to 6 significant digits: a table is for reading, the exposition for exact values. */
export function numberText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

// Label values and text come from log lines: control, format and separator
// characters are escaped so a hostile line cannot move the cursor or recolour
// the terminal, and values with spaces or quotes are quoted to stay one cell.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function quoteIfNeeded(s: string): string {
  const p = printable(s);
  return p !== s || s === '' || /[\s"=\\]/.test(s) ? `"${printable(s.replace(/["\\]/g, (c) => '\\' + c))}"` : s;
}

/** Datums ordered by their label values, numbers by value, so rows read in a stable, natural order. */
function sortedDatums(m: Metric): Datum[] {
  return [...m.datums()].sort((a, b) => {
    for (let i = 0; i < a.labels.length; i++) {
      const x = a.labels[i]!;
      const y = b.labels[i]!;
      if (x === y) continue;
      const nx = Number(x);
      const ny = Number(y);
      if (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) && nx !== ny) return nx - ny;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}
