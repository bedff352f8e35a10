// The one text renderer behind the Prometheus 0.0.4 and OpenMetrics 1.0
// encoders. The formats differ only in the details a TextDialect names; the
// walk over families, labels and histogram buckets is shared.

import type { Datum, Metric, MetricKind, Store } from '../metrics/index.js';
import { listKey, sanitizeLabelName } from '../metrics/index.js';
import { formatGoFloat } from '../go/strconv.js';
import { ChunkedOutput, escapeLabelValue, formatValue } from './textformat.js';

/** Options shared by the text encoders. */
export interface ExpositionOptions {
  /** Put a `prog` label with the program name on every sample (default true, as mtail does). */
  progLabel?: boolean;
  /** Append each datum's time to its samples (default false, like mtail without --emit_metric_timestamp). */
  timestamps?: boolean;
  /** Approximate size in characters of the chunks handed to `write` (default 16384). */
  chunkSize?: number;
}

/** What distinguishes one text exposition format from the other. */
export interface TextDialect {
  /** The family (HELP/TYPE) name of an exported metric. */
  familyName(metric: Metric): string;
  /** Suffix of a counter's sample name. */
  counterSuffix: string;
  escapeHelp(text: string): string;
  formatTimestamp(ms: number): string;
  /** Whether `_count` comes before `_sum` in a histogram. */
  countBeforeSum: boolean;
  /** Whether a histogram whose lowest bound is negative may expose `_sum`. */
  sumWithNegativeBounds: boolean;
  /** Written after the last family. */
  trailer: string;
}

/** A metric family: the exported metrics (from any program) sharing one name. */
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  metrics: Metric[];
}

/** The Prometheus/OpenMetrics type of a kind, or undefined for kinds these formats cannot carry (text). */
export function exposedType(kind: MetricKind): Family['type'] | undefined {
  switch (kind) {
    case 'counter':
      return 'counter';
    case 'gauge':
    case 'timer': // mtail exports timers as gauges
      return 'gauge';
    case 'histogram':
      return 'histogram';
    case 'text':
      return undefined;
  }
}

/**
 * Groups the exportable metrics of `store` (not hidden, not text, with at least
 * one datum) into families sorted by name, so a name is never repeated.
 */
export function groupFamilies(store: Store, familyName: (m: Metric) => string): Family[] {
  const byName = new Map<string, Family>();
  for (const m of store.metrics()) {
    const type = exposedType(m.spec.kind);
    if (m.spec.hidden || type === undefined || m.size === 0) continue;
    const name = familyName(m);
    const family = byName.get(name);
    if (family === undefined) byName.set(name, { name, type, metrics: [m] });
    // Store.add refuses two kinds under one name; a mismatch here cannot be written validly.
    else if (family.type === type) family.metrics.push(m);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Writes `store` in the text format `dialect` describes, in chunks, through `write`. */
export function renderText(
  store: Store,
  opts: ExpositionOptions,
  write: (chunk: string) => void,
  dialect: TextDialect,
): void {
  for (const chunk of textChunks(store, opts, dialect)) write(chunk);
}

/**
 * The exposition as a lazy sequence of chunks of about `opts.chunkSize` characters:
 * a consumer that pulls only when it can send (an HTTP response under
 * back-pressure) never holds the whole text. `withTrailer: false` leaves out the
 * dialect's trailer (OpenMetrics' `# EOF`) so the caller can append families.
 */
export function* textChunks(
  store: Store,
  opts: ExpositionOptions,
  dialect: TextDialect,
  withTrailer = true,
): Generator<string, void, undefined> {
  const ready: string[] = [];
  const out = new ChunkedOutput((c) => ready.push(c), opts.chunkSize);
  for (const family of groupFamilies(store, (m) => dialect.familyName(m))) {
    // Help from the family's first metric, as mtail does for a name shared by programs.
    const { source, help } = family.metrics[0]!.spec;
    const text = help ?? (source !== '' ? `defined at ${source}` : '');
    if (text !== '') out.push(`# HELP ${family.name} ${dialect.escapeHelp(text)}\n`);
    out.push(`# TYPE ${family.name} ${family.type}\n`);
    const seen = duplicateTracker(family, opts.progLabel ?? true);
    for (const m of family.metrics) {
      for (const _datum of writeMetric(out, family, m, opts, dialect, seen)) {
        if (ready.length > 0) yield* ready.splice(0);
      }
    }
  }
  if (withTrailer) out.push(dialect.trailer);
  out.end();
  yield* ready.splice(0);
}

/** Writes the samples of `m`, yielding after each datum so the caller can pass on full chunks. */
function* writeMetric(
  out: ChunkedOutput,
  family: Family,
  m: Metric,
  opts: ExpositionOptions,
  dialect: TextDialect,
  seen: Set<string> | undefined,
): Generator<void, void, undefined> {
  const progLabel = opts.progLabel ?? true;
  const isHistogram = family.type === 'histogram';
  const names = exportedLabelNames(m.spec.keys, progLabel, isHistogram);
  const labelNames = names.map((n) => n + '="');
  const prog = progLabel ? `prog="${escapeLabelValue(m.spec.program)}"` : '';
  const name = family.name;
  const sampleName = family.type === 'counter' ? name + dialect.counterSuffix : name;
  const les = isHistogram ? Array.from(m.upperBounds, (b) => `le="${formatGoFloat(b)}"} `) : [];
  const withSum = !isHistogram || dialect.sumWithNegativeBounds || !(m.upperBounds[0]! < 0);

  for (const d of m.datums()) {
    if (seen !== undefined && alreadyExported(seen, names, d)) continue;
    let labels = prog;
    for (let i = 0; i < labelNames.length; i++) {
      labels += (labels === '' ? '' : ',') + labelNames[i] + escapeLabelValue(d.labels[i]!) + '"';
    }
    const ts = opts.timestamps ? ' ' + dialect.formatTimestamp(d.time) : '';
    if (isHistogram) {
      writeHistogram(out, name, labels, les, d, ts, withSum, dialect.countBeforeSum);
    } else {
      const braced = labels === '' ? ' ' : `{${labels}} `;
      out.push(sampleName + braced + formatSample(d.value) + ts + '\n');
    }
    yield;
  }
}

/**
 * Without the prog label, programs sharing a name can produce the same series
 * twice; the first program (by name) keeps it, as a scrape would anyway. Returns
 * the set that tracks the series written so far, or undefined when no series can repeat.
 */
export function duplicateTracker(family: Family, progLabel: boolean): Set<string> | undefined {
  return family.metrics.length > 1 && !progLabel ? new Set<string>() : undefined;
}

/** Whether the series of `d` (under `names`) was exported already; records it when not. */
export function alreadyExported(seen: Set<string>, names: readonly string[], d: Datum): boolean {
  const key = listKey([...names, ...d.labels]);
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function writeHistogram(
  out: ChunkedOutput,
  name: string,
  labels: string,
  les: string[],
  d: Datum,
  ts: string,
  withSum: boolean,
  countBeforeSum: boolean,
): void {
  const buckets = d.buckets;
  const bucketStart = `${name}_bucket{${labels}${labels === '' ? '' : ','}`;
  let cumulative = 0;
  let text = '';
  for (let i = 0; i < les.length; i++) {
    cumulative += buckets === undefined ? 0 : buckets[i]!;
    text += bucketStart + les[i] + formatValue(cumulative) + ts + '\n';
  }
  if (buckets !== undefined) cumulative += buckets[les.length]!;
  text += bucketStart + 'le="+Inf"} ' + formatValue(cumulative) + ts + '\n';
  const braced = labels === '' ? ' ' : `{${labels}} `;
  const sum = withSum ? `${name}_sum${braced}${formatValue(numeric(d.value))}${ts}\n` : '';
  const count = `${name}_count${braced}${formatValue(d.count)}${ts}\n`;
  out.push(text + (countBeforeSum ? count + sum : sum + count));
}

/** The exported names of a metric's keys, renaming a key that would clash with `prog` or `le`. */
export function exportedLabelNames(keys: readonly string[], progLabel: boolean, isHistogram: boolean): string[] {
  return keys.map((k) => {
    const clashes = (progLabel && k === 'prog') || (isHistogram && k === 'le');
    return clashes ? 'exported_' + k : sanitizeLabelName(k);
  });
}

/** A datum's value as a number (text metrics are never exported; a stray string reads as a number). */
export function numeric(v: number | bigint | string): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A counter or gauge sample: an int beyond 2^53 in all its digits (a scraper reads it as the same float64 mtail prints). */
function formatSample(v: number | bigint | string): string {
  return typeof v === 'bigint' ? String(v) : formatValue(numeric(v));
}
