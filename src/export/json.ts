// All metrics as JSON, laid out like mtail's /json handler (a list of metrics,
// each with its LabelValues), text metrics included, hidden ones left out as
// mtail never stores them. Times and expiries are nanoseconds, as in mtail.
// Deviation: NaN and ±Inf, which Go cannot marshal, are the strings "NaN",
// "+Inf", "-Inf".

import type { Datum, Metric, MetricKind, Store } from '../metrics/index.js';
import { formatGoFloat } from '../go/strconv.js';
import { ChunkedOutput } from './textformat.js';

/** Options of the JSON encoder. */
export interface JsonOptions {
  /** Approximate size in characters of the chunks handed to `write` (default 16384). */
  chunkSize?: number;
}

/** Content-Type of the JSON export. */
export const JSON_CONTENT_TYPE = 'application/json';

// mtail's metrics.Kind and metrics.Type enumerations.
const KIND_CODE: Record<MetricKind, number> = { counter: 1, gauge: 2, timer: 3, text: 4, histogram: 5 };
const TYPE_CODE = { int: 0, float: 1, string: 2, buckets: 3 } as const;

/** Text copied into the output as is (integers too large for a double). */
class Raw {
  constructor(readonly text: string) {}
}

// A Map keeps its members in order where an object would move numeric keys ("1") first.
type JsonValue = string | number | Raw | JsonValue[] | Map<string, JsonValue> | { [key: string]: JsonValue | undefined };

/** Writes every non-hidden metric of `store` as JSON, in chunks, through `write`. */
export function renderJson(store: Store, opts: JsonOptions, write: (chunk: string) => void): void {
  const out = new ChunkedOutput(write, opts.chunkSize);
  let first = true;
  for (const m of store.metrics()) {
    if (m.spec.hidden) continue;
    out.push((first ? '[\n  ' : ',\n  ') + printJson(metricJson(m), '  '));
    first = false;
  }
  out.push(first ? '[]\n' : '\n]\n');
  out.end();
}

/** The JSON export of `store` as one string. */
export function jsonText(store: Store, opts: JsonOptions = {}): string {
  const chunks: string[] = [];
  renderJson(store, opts, (c) => chunks.push(c));
  return chunks.join('');
}

/**
 * What `mtail -one_shot` prints (its default -one_shot_format json): Go's
 * json.MarshalIndent of the store's map from metric name to the metrics of that
 * name (one per program), so an object keyed by name in sorted order, bucket
 * counts keyed in sorted order too, and no newline at the end.
 */
export function renderMtailOneShotJson(store: Store, opts: JsonOptions, write: (chunk: string) => void): void {
  const byName = new Map<string, Metric[]>();
  for (const m of store.metrics()) {
    if (m.spec.hidden) continue;
    const list = byName.get(m.spec.exportedName);
    if (list === undefined) byName.set(m.spec.exportedName, [m]);
    else list.push(m);
  }
  const names = [...byName.keys()].sort(goStringOrder);
  if (names.length === 0) {
    write('{}');
    return;
  }
  const out = new ChunkedOutput(write, opts.chunkSize);
  names.forEach((name, i) => {
    const metrics = byName.get(name)!.map((m) => metricJson(m, true));
    out.push(`${i === 0 ? '{\n' : ',\n'}  ${JSON.stringify(name)}: ${printJson(metrics, '  ')}`);
  });
  out.push('\n}');
  out.end();
}

/** Go orders map keys by bytes; for the UTF-16 strings here, by code point. */
function goStringOrder(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

function metricJson(m: Metric, sortBuckets = false): JsonValue {
  const s = m.spec;
  const histogram = s.kind === 'histogram';
  const labelValues: JsonValue[] = [];
  for (const d of m.datums()) {
    labelValues.push({
      Labels: d.labels.length > 0 ? [...d.labels] : undefined,
      Value: histogram ? bucketsJson(m, d, sortBuckets) : { Value: valueJson(d.value), Time: nanos(d.time) },
      Expiry: d.expiry > 0 ? nanos(d.expiry) : undefined,
    });
  }
  return {
    Name: s.exportedName,
    Program: s.program,
    Kind: KIND_CODE[s.kind],
    Type: histogram ? TYPE_CODE.buckets : TYPE_CODE[s.valueType],
    Keys: s.keys.length > 0 ? [...s.keys] : undefined,
    LabelValues: labelValues.length > 0 ? labelValues : undefined,
    Source: s.source !== '' ? s.source : undefined,
    Buckets: histogram ? rangesJson(m.upperBounds) : undefined,
    Limit: s.limit ? s.limit : undefined,
  };
}

function bucketsJson(m: Metric, d: Datum, sorted: boolean): JsonValue {
  let counts = new Map<string, JsonValue>();
  const n = m.upperBounds.length;
  for (let i = 0; i <= n; i++) {
    counts.set(i < n ? formatGoFloat(m.upperBounds[i]!) : '+Inf', d.buckets === undefined ? 0 : d.buckets[i]!);
  }
  if (sorted) counts = new Map([...counts.entries()].sort((a, b) => goStringOrder(a[0], b[0])));
  return { Buckets: counts, Count: d.count, Sum: valueJson(d.value), Time: nanos(d.time) };
}

/** mtail's bucket ranges: (0, b0] when b0 > 0, then (b[i-1], b[i]], then (last, +Inf). */
function rangesJson(bounds: Float64Array): JsonValue {
  const ranges: JsonValue[] = [];
  let lo = bounds.length > 0 && bounds[0]! <= 0 ? -Infinity : 0;
  for (const hi of [...bounds, Infinity]) {
    ranges.push({ Min: formatGoFloat(lo), Max: formatGoFloat(hi) });
    lo = hi;
  }
  return ranges;
}

function valueJson(v: number | bigint | string): JsonValue {
  if (typeof v === 'bigint') return new Raw(String(v)); // exact, as Go's encoding/json writes an int64
  if (typeof v === 'string' || Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** Milliseconds as exact integer nanoseconds (beyond 2^53, so written as text). */
function nanos(ms: number): Raw {
  if (!Number.isFinite(ms)) return new Raw('0');
  if (Number.isInteger(ms)) return new Raw(ms === 0 ? '0' : `${ms}000000`);
  return new Raw(String(Math.round(ms * 1e6)));
}

/** Pretty-prints like Go's json.MarshalIndent with two spaces; undefined members are left out. */
function printJson(v: JsonValue, indent: string): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === 'string' || typeof v === 'number') return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + printJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  const members = entries.filter((e): e is [string, JsonValue] => e[1] !== undefined);
  if (members.length === 0) return '{}';
  return `{\n${members.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${printJson(x, inner)}`).join(',\n')}\n${indent}}`;
}
