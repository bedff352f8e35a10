// Native (sparse exponential) histograms, kept beside the classic buckets of
// a histogram datum when --native-histograms is on. The layout is Prometheus':
// at schema s the buckets grow by base = 2^(2^-s); bucket i holds the values in
// (base^(i-1), base^i], values within ±zeroThreshold go to the zero bucket, and
// negative values mirror the positive ones. Like Prometheus' client libraries,
// a series whose populated buckets exceed the cap halves its resolution
// (schema - 1, two neighbouring buckets merged into one) until it fits or the
// schema reaches -4.

/** The settings of every native histogram in a store. */
export interface NativeHistogramOptions {
  /** Resolution, -4 to 8; 3 (growth factor 2^(1/8) ≈ 1.09) by default. */
  schema: number;
  /** Most populated buckets (positive and negative) before the resolution is halved; 0 = no cap. */
  maxBuckets: number;
  /** Observations with |v| at most this go to the zero bucket. */
  zeroThreshold: number;
}

/** Prometheus client libraries' defaults: bucket factor 1.1 (schema 3), 160 buckets, zero threshold 2^-128. */
export const DEFAULT_NATIVE_HISTOGRAMS: Readonly<NativeHistogramOptions> = Object.freeze({
  schema: 3,
  maxBuckets: 160,
  zeroThreshold: 2 ** -128,
});

export const MIN_SCHEMA = -4;
export const MAX_SCHEMA = 8;

/** Describes what is wrong with `o`, or undefined when it is usable. */
export function checkNativeOptions(o: NativeHistogramOptions): string | undefined {
  if (!Number.isInteger(o.schema) || o.schema < MIN_SCHEMA || o.schema > MAX_SCHEMA) {
    return `native histogram schema must be a whole number from ${MIN_SCHEMA} to ${MAX_SCHEMA}, got ${o.schema}`;
  }
  if (!Number.isInteger(o.maxBuckets) || o.maxBuckets < 0) return `native histogram bucket limit must be a whole number >= 0, got ${o.maxBuckets}`;
  if (!(o.zeroThreshold >= 0) || !Number.isFinite(o.zeroThreshold)) return `native histogram zero threshold must be finite and >= 0, got ${o.zeroThreshold}`;
  return undefined;
}

/** The relative error bound of a quantile estimated at `schema`: base - 1. */
export function schemaRelativeError(schema: number): number {
  return 2 ** (2 ** -schema) - 1;
}

// frexp without allocation: the exponent field of the double, read through a DataView.
const view = new DataView(new ArrayBuffer(8));

/** [frac, exp] with v = frac × 2^exp and frac in [0.5, 1), for finite v > 0 (as Go's math.Frexp). */
export function frexp(v: number): [number, number] {
  let shift = 0;
  if (v < 2 ** -1022) {
    // Subnormal: scale into the normal range first.
    v *= 2 ** 64;
    shift = 64;
  }
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  view.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), biased - 1022 - shift];
}

/**
 * For schema s > 0, the 2^s lower edges within [0.5, 1) of the buckets of one
 * power of two: 2^(j/2^s - 1), each the correctly rounded double (checked
 * exactly with integers, since Math.pow need not round correctly).
 */
const boundsBySchema: Float64Array[] = [];

function fractionBounds(schema: number): Float64Array {
  let b = boundsBySchema[schema];
  if (b !== undefined) return b;
  const n = 2 ** schema;
  b = new Float64Array(n);
  b[0] = 0.5;
  const N = BigInt(n);
  for (let j = 1; j < n; j++) {
    // y = 2^(j/n) lies in (1, 2), where doubles are m / 2^52. The correctly rounded m
    // has (2m-1)/2^53 <= y < (2m+1)/2^53, i.e. (2m-1)^n <= 2^(j + 53n) < (2m+1)^n.
    const target = 1n << BigInt(j + 53 * n);
    let m = BigInt(Math.round(Math.pow(2, j / n) * 2 ** 52));
    while ((2n * m + 1n) ** N <= target) m++;
    while ((2n * m - 1n) ** N > target) m--;
    b[j] = Number(m) / 2 ** 53;
  }
  boundsBySchema[schema] = b;
  return b;
}

/** The index of the bucket holding |v| > 0 at `schema`: the i with base^(i-1) < |v| <= base^i. */
export function bucketKey(v: number, schema: number): number {
  let a = Math.abs(v);
  let inf = false;
  if (a === Infinity) {
    // As Prometheus clients do: one bucket above the one of the largest double.
    a = Number.MAX_VALUE;
    inf = true;
  }
  const [frac, exp] = frexp(a);
  let key: number;
  if (schema > 0) {
    const bounds = fractionBounds(schema);
    // The first bound >= frac: upper bounds are inclusive.
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid]! < frac) lo = mid + 1;
      else hi = mid;
    }
    key = lo + (exp - 1) * bounds.length;
  } else {
    key = frac === 0.5 ? exp - 1 : exp;
    const shift = -schema;
    key = (key + (1 << shift) - 1) >> shift;
  }
  return inf ? key + 1 : key;
}

/** The upper bound base^i of bucket `i` at `schema` (its lower bound is that of bucket i-1). */
export function bucketUpperBound(i: number, schema: number): number {
  if (schema <= 0) return 2 ** (i * 2 ** -schema);
  const n = 2 ** schema;
  const r = ((i % n) + n) % n;
  const q = (i - r) / n;
  // 2^(q + r/n) = 2^(q+1) × 2^(r/n - 1), the second factor from the table.
  return fractionBounds(schema)[r]! * 2 ** (q + 1);
}

/** A native histogram's state as posted between threads (structured-clone safe). */
export interface NativeHistogramData {
  schema: number;
  zeroThreshold: number;
  maxBuckets: number;
  zeroCount: number;
  positive: [number, number][];
  negative: [number, number][];
}

/** The sparse buckets of one histogram datum. Count and sum stay in the datum. */
export class NativeHistogram {
  schema: number;
  readonly zeroThreshold: number;
  zeroCount = 0;
  /** Bucket index → count, for positive and for negative observations. */
  positive = new Map<number, number>();
  negative = new Map<number, number>();
  private readonly maxBuckets: number;

  constructor(opts: NativeHistogramOptions) {
    this.schema = opts.schema;
    this.zeroThreshold = opts.zeroThreshold;
    this.maxBuckets = opts.maxBuckets;
  }

  /** Counts `v` in its bucket; NaN is in the datum's count and sum only, as in Prometheus clients. */
  observe(v: number): void {
    if (v > this.zeroThreshold) add(this.positive, bucketKey(v, this.schema), 1);
    else if (v < -this.zeroThreshold) add(this.negative, bucketKey(v, this.schema), 1);
    else if (v === v) this.zeroCount++;
    else return;
    if (this.maxBuckets > 0) {
      while (this.positive.size + this.negative.size > this.maxBuckets && this.schema > MIN_SCHEMA) this.halveResolution();
    }
  }

  /** Schema - 1: buckets 2j-1 and 2j become bucket j, so the bounds of the wider buckets are bounds before. */
  halveResolution(): void {
    this.schema--;
    this.positive = merged(this.positive);
    this.negative = merged(this.negative);
  }

  /** Number of populated buckets. */
  get bucketCount(): number {
    return this.positive.size + this.negative.size;
  }

  toData(): NativeHistogramData {
    return { schema: this.schema, zeroThreshold: this.zeroThreshold, maxBuckets: this.maxBuckets, zeroCount: this.zeroCount, positive: [...this.positive], negative: [...this.negative] };
  }

  static fromData(d: NativeHistogramData): NativeHistogram {
    const h = new NativeHistogram(d);
    h.zeroCount = d.zeroCount;
    h.positive = new Map(d.positive);
    h.negative = new Map(d.negative);
    return h;
  }
}

function add(m: Map<number, number>, key: number, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

function merged(m: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  // floor((i+1)/2): 1,2 → 1; -1,0 → 0; -3,-2 → -1.
  for (const [i, n] of m) add(out, Math.floor((i + 1) / 2), n);
  return out;
}

/** One run of consecutive buckets: `offset` from the end of the previous span (from 0 for the first). */
export interface BucketSpan {
  offset: number;
  length: number;
}

/**
 * The populated buckets of `m` as Prometheus sends them: spans, and counts as
 * deltas (the first absolute, each next one minus the one before). Gaps of one
 * or two empty buckets are filled with zeros, cheaper than opening a new span.
 */
export function spansAndDeltas(m: ReadonlyMap<number, number>): { spans: BucketSpan[]; deltas: number[] } {
  const keys = [...m.keys()].sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let prevKey = 0;
  let prevCount = 0;
  for (const k of keys) {
    const gap = spans.length === 0 ? 0 : k - prevKey - 1;
    if (spans.length === 0) {
      spans.push({ offset: k, length: 0 });
    } else if (gap > 2) {
      spans.push({ offset: gap, length: 0 });
    } else {
      for (let g = 0; g < gap; g++) {
        deltas.push(-prevCount);
        prevCount = 0;
        spans[spans.length - 1]!.length++;
      }
    }
    const c = m.get(k)!;
    deltas.push(c - prevCount);
    prevCount = c;
    prevKey = k;
    spans[spans.length - 1]!.length++;
  }
  return { spans, deltas };
}
