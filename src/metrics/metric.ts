import { Datum } from './datum.js';
import type { SeriesBudget } from './budget.js';
import { bucketIndex, checkUpperBounds } from './histogram.js';
import { internLabel } from './labels.js';
import { NativeHistogram, type NativeHistogramOptions } from './native.js';
import { OldestFirst } from './oldest.js';
import type { MetricSpec } from './types.js';

const NO_LABELS: readonly string[] = Object.freeze([]);

/**
 * Datums indexed by label values, one map level per key. Nested maps need no
 * key encoding, so label values from hostile log lines (NUL, separators,
 * anything) can never make two label lists collide, and a lookup hashes each
 * captured string once instead of building and hashing a joined key.
 */
type Level = Map<string, Level | Datum>;

/** A declared metric and its datums, one per distinct list of label values. */
export class Metric {
  readonly spec: MetricSpec;
  /** Histogram upper bounds (without +Inf); empty for other kinds. */
  readonly upperBounds: Float64Array;
  private readonly arity: number;
  private readonly limit: number;
  private readonly histogram: boolean;
  /** Set by the store when it keeps native histograms: every datum of a histogram then has one. */
  private nativeOptions: NativeHistogramOptions | undefined;
  private readonly index: Level = new Map();
  /** Every datum, in insertion order: iteration, size, and what the heap of ages is built from. */
  private readonly all = new Set<Datum>();
  /** The store's caps on series, once the metric is in a store that has them. */
  private budget: SeriesBudget | undefined;
  /** Datums inserted so far: each datum's `order`. */
  private inserted = 0;
  /** The datums by age, from the first time the limit drops one. */
  private ages: OldestFirst | undefined;

  constructor(spec: MetricSpec) {
    this.spec = spec;
    this.arity = spec.keys.length;
    this.histogram = spec.kind === 'histogram';
    const limit = spec.limit ?? 0;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`${spec.source}: limit of ${spec.name} must be a non-negative integer, got ${limit}`);
    }
    this.limit = limit;
    const bounds = this.histogram ? (spec.buckets ?? []) : [];
    const problem = checkUpperBounds(bounds);
    if (problem !== undefined) throw new RangeError(`${spec.source}: histogram ${spec.name}: ${problem}`);
    this.upperBounds = Float64Array.from(bounds);
    // mtail allocates the datum of a scalar counter or histogram at declaration
    // (value 0, time 0), so they are exported before any update; scalar gauges,
    // timers and text metrics appear only once the program touches them.
    if (this.arity === 0 && (spec.kind === 'counter' || this.histogram)) {
      this.insert(this.newDatum(NO_LABELS, 0));
    }
  }

  /** Number of datums. */
  get size(): number {
    return this.all.size;
  }

  /**
   * The datum for `labels`, created (value 0 or "", time now) when missing. Creating
   * one beyond `limit` first drops the datum with the oldest time (the first
   * created among equals), the rule mtail's garbage collector applies.
   */
  datum(labels: readonly string[]): Datum {
    if (labels.length !== this.arity) throw this.arityError(labels);
    const last = this.lastDatum;
    if (last !== undefined && sameLabels(last.labels, labels)) return last;
    return this.remember(this.lookup(labels) ?? this.create(labels));
  }

  // Fast paths for generated code: no label array is allocated when the datum exists, and
  // the datum of the previous call is reused when its labels repeat (consecutive log lines
  // often share them). Anything that removes a datum clears that memo.
  private lastDatum: Datum | undefined;

  private remember(d: Datum): Datum {
    this.lastDatum = d;
    return d;
  }

  private forget(): void {
    this.lastDatum = undefined;
  }

  /** datum([a]) for a metric with one key. */
  datum1(a: string): Datum {
    const last = this.lastDatum;
    if (last !== undefined && last.labels[0] === a) return last;
    const d = this.arity === 1 ? (this.index.get(a) as Datum | undefined) : undefined;
    return this.remember(d ?? this.datum([a]));
  }

  /** datum([a, b]) for a metric with two keys. */
  datum2(a: string, b: string): Datum {
    const last = this.lastDatum;
    if (last !== undefined && last.labels[0] === a && last.labels[1] === b) return last;
    const d = this.arity === 2 ? ((this.index.get(a) as Level | undefined)?.get(b) as Datum | undefined) : undefined;
    return this.remember(d ?? this.datum([a, b]));
  }

  /** datum([a, b, c]) for a metric with three keys. */
  datum3(a: string, b: string, c: string): Datum {
    const last = this.lastDatum;
    if (last !== undefined && last.labels[0] === a && last.labels[1] === b && last.labels[2] === c) return last;
    const d = this.arity === 3 ? (((this.index.get(a) as Level | undefined)?.get(b) as Level | undefined)?.get(c) as Datum | undefined) : undefined;
    return this.remember(d ?? this.datum([a, b, c]));
  }

  /** datum([a, b, c, d]) for a metric with four keys. */
  datum4(a: string, b: string, c: string, d: string): Datum {
    const last = this.lastDatum;
    if (last !== undefined && last.labels[0] === a && last.labels[1] === b && last.labels[2] === c && last.labels[3] === d) return last;
    const found =
      this.arity === 4
        ? ((((this.index.get(a) as Level | undefined)?.get(b) as Level | undefined)?.get(c) as Level | undefined)?.get(d) as Datum | undefined)
        : undefined;
    return this.remember(found ?? this.datum([a, b, c, d]));
  }

  /** datum([a, b, c, d, e]) for a metric with five keys. */
  datum5(a: string, b: string, c: string, d: string, e: string): Datum {
    const last = this.lastDatum;
    if (last !== undefined && last.labels[0] === a && last.labels[1] === b && last.labels[2] === c && last.labels[3] === d && last.labels[4] === e) return last;
    const found = this.arity === 5 ? (this.level4(a, b, c, d)?.get(e) as Datum | undefined) : undefined;
    return this.remember(found ?? this.datum([a, b, c, d, e]));
  }

  /** datum([a, b, c, d, e, f]) for a metric with six keys (haproxy.mtail's requests). */
  datum6(a: string, b: string, c: string, d: string, e: string, f: string): Datum {
    const last = this.lastDatum;
    if (
      last !== undefined &&
      last.labels[0] === a &&
      last.labels[1] === b &&
      last.labels[2] === c &&
      last.labels[3] === d &&
      last.labels[4] === e &&
      last.labels[5] === f
    ) {
      return last;
    }
    const found = this.arity === 6 ? ((this.level4(a, b, c, d)?.get(e) as Level | undefined)?.get(f) as Datum | undefined) : undefined;
    return this.remember(found ?? this.datum([a, b, c, d, e, f]));
  }

  /** The index level under a, b, c, d (a metric with more than four keys). */
  private level4(a: string, b: string, c: string, d: string): Level | undefined {
    return (((this.index.get(a) as Level | undefined)?.get(b) as Level | undefined)?.get(c) as Level | undefined)?.get(d) as Level | undefined;
  }

  /**
   * The datum with the labels of `prev`, a datum of another metric with as many keys that
   * generated code looked up just before with the same label values (metrics updated together,
   * as nginx.mtail's four counters by host, method, status_class, code). The answer is kept on
   * `prev`, so that the next line with the same labels finds it without a lookup.
   */
  after(prev: Datum): Datum {
    const linked = prev.link;
    if (linked !== undefined && linked.live && prev.linkMetric === this) return linked;
    const d = this.datum(prev.labels);
    prev.link = d;
    prev.linkMetric = this;
    return d;
  }

  // Projections: metrics whose label values are some of another datum's (haproxy.mtail's
  // histograms by frontend, backend beside its counters by frontend, backend, server). The
  // generated code gives each such update a slot on the other metric's datums, and keeps there
  // the datum it found, so that the next line with the same labels finds it without a lookup.
  // A slot is only ever written by its one call site, with a datum of this metric whose labels
  // follow from prev's, so a datum found there that is still live is the one the lookup would
  // give. insert() clears the slots of a datum that enters a metric (a reloaded program's).

  /** datum1(a), through slot `slot` of `prev` (a datum whose labels determine a). */
  via1(prev: Datum, slot: number, a: string): Datum {
    const d = prev.links?.[slot];
    return d !== undefined && d.live ? d : linkTo(prev, slot, this.datum1(a));
  }

  /** datum2(a, b), through slot `slot` of `prev` (a datum whose labels determine a and b). */
  via2(prev: Datum, slot: number, a: string, b: string): Datum {
    const d = prev.links?.[slot];
    return d !== undefined && d.live ? d : linkTo(prev, slot, this.datum2(a, b));
  }

  /** datum3(a, b, c), through slot `slot` of `prev` (a datum whose labels determine a, b and c). */
  via3(prev: Datum, slot: number, a: string, b: string, c: string): Datum {
    const d = prev.links?.[slot];
    return d !== undefined && d.live ? d : linkTo(prev, slot, this.datum3(a, b, c));
  }

  /** datum4(a, b, c, d), through slot `slot` of `prev` (a datum whose labels determine all four). */
  via4(prev: Datum, slot: number, a: string, b: string, c: string, d: string): Datum {
    const found = prev.links?.[slot];
    return found !== undefined && found.live ? found : linkTo(prev, slot, this.datum4(a, b, c, d));
  }

  /** The single datum of a metric without keys. */
  scalar(): Datum {
    if (this.arity !== 0) throw this.arityError(NO_LABELS);
    return (this.index.get('') as Datum | undefined) ?? this.create(NO_LABELS);
  }

  /** Deletes the datum for `labels` (`del m[...]`); false when there was none. */
  remove(labels: readonly string[]): boolean {
    if (labels.length !== this.arity) throw this.arityError(labels);
    const d = this.lookup(labels);
    if (d === undefined) return false;
    this.unlink(d);
    return true;
  }

  /**
   * Marks the datum for `labels` to be deleted `ms` after its last update
   * (`del m[...] after D`). Returns false when there is no such datum, which
   * mtail treats as a run-time error of the program on that line.
   */
  setExpiry(labels: readonly string[], ms: number): boolean {
    if (labels.length !== this.arity) throw this.arityError(labels);
    const d = this.lookup(labels);
    if (d === undefined) return false;
    d.expiry = ms;
    return true;
  }

  /** Records a histogram observation in `d`: bucket, sum and count. The caller sets `d.time`. */
  observe(d: Datum, v: number): void {
    const buckets = d.buckets;
    if (buckets === undefined) throw new TypeError(`${this.spec.source}: ${this.spec.name} is not a histogram`);
    buckets[bucketIndex(this.upperBounds, v)]!++;
    d.native?.observe(v);
    d.count++;
    d.value = (d.value as number) + v;
  }

  /**
   * Keeps a native histogram beside the classic buckets of every datum from now
   * on (a histogram metric only; datums that have one keep theirs).
   */
  useNativeHistograms(opts: NativeHistogramOptions): void {
    if (!this.histogram) return;
    this.nativeOptions = opts;
    for (const d of this.all) d.native ??= new NativeHistogram(opts);
  }

  /** The native histogram settings, when the store keeps them. */
  get native(): NativeHistogramOptions | undefined {
    return this.nativeOptions;
  }

  /** Counts this metric's series against `budget` from now on (undefined: no longer). */
  attachBudget(budget: SeriesBudget | undefined): void {
    if (this.budget !== undefined) this.budget.total -= this.all.size;
    this.budget = budget;
    if (budget !== undefined) budget.total += this.all.size;
  }

  /** The datums, in creation order. */
  datums(): IterableIterator<Datum> {
    return this.all.values();
  }

  /** Drops the oldest datums until at most `limit` remain; returns how many were dropped. */
  trimToLimit(): number {
    if (this.limit === 0) return 0;
    let dropped = 0;
    while (this.all.size > this.limit && this.dropOldest()) dropped++;
    return dropped;
  }

  /** Drops datums whose expiry has passed: `nowMs - time > expiry`, as mtail judges it. */
  expire(nowMs: number): number {
    let dropped = 0;
    for (const d of this.all) {
      if (d.expiry > 0 && nowMs - d.time > d.expiry) {
        this.unlink(d);
        dropped++;
      }
    }
    return dropped;
  }

  /** Replaces every datum with `datums` (what a one-shot worker thread computed for this metric). */
  replaceDatums(datums: Iterable<Datum>): void {
    for (const d of [...this.all]) this.unlink(d);
    for (const d of datums) this.insert(d);
  }

  /** Takes over the datums of `older` (same declaration in a reloaded program), replacing our own. */
  adoptDatums(older: Metric): void {
    for (const d of older.all) {
      const mine = this.lookup(d.labels);
      if (mine !== undefined) this.unlink(mine);
      this.insert(d);
    }
  }

  private lookup(labels: readonly string[]): Datum | undefined {
    if (this.arity === 0) return this.index.get('') as Datum | undefined;
    let level = this.index;
    const last = labels.length - 1;
    for (let i = 0; i < last; i++) {
      const next = level.get(labels[i]!) as Level | undefined;
      if (next === undefined) return undefined;
      level = next;
    }
    return level.get(labels[last]!) as Datum | undefined;
  }

  private create(labels: readonly string[]): Datum {
    if (this.limit > 0) {
      while (this.all.size >= this.limit && this.dropOldest()) {
        // keep dropping until the new datum fits
      }
    }
    if (this.budget !== undefined && !this.budget.admit(this, this.all.size)) {
      // Refused: the update lands in a datum that is not kept.
      return this.newDatum(Object.freeze(labels.slice()), Date.now());
    }
    // Copy: the caller may reuse its array, and labels must never change; each value is
    // detached from the log line (and the chunk) it was captured from, and shared with the
    // generated code's interned values (metrics/labels.ts) so that lookups compare by identity.
    const d = this.newDatum(Object.freeze(labels.map(internLabel)), Date.now());
    this.insert(d);
    return d;
  }

  private insert(d: Datum): void {
    // Slots given by another program's code (adoptDatums) would name other metrics here.
    d.links = undefined;
    const labels = d.labels;
    if (labels.length === 0) {
      this.index.set('', d);
    } else {
      let level = this.index;
      const last = labels.length - 1;
      for (let i = 0; i < last; i++) {
        let next = level.get(labels[i]!) as Level | undefined;
        if (next === undefined) {
          next = new Map();
          level.set(labels[i]!, next);
        }
        level = next;
      }
      level.set(labels[last]!, d);
    }
    d.live = true;
    d.order = this.inserted++;
    const before = this.all.size;
    this.all.add(d);
    if (this.budget !== undefined) this.budget.total += this.all.size - before;
    // An adopted datum may still point at the heap of the metric it came from.
    if (this.ages !== undefined) this.ages.add(d);
    else d.ages = undefined;
  }

  /** Removes `d` from the index, and the levels it leaves empty, so deleted label values free their memory. */
  private unlink(d: Datum): void {
    this.forget();
    d.live = false;
    d.ages = undefined;
    if (this.all.delete(d) && this.budget !== undefined) this.budget.total--;
    const labels = d.labels;
    if (labels.length === 0) {
      this.index.delete('');
      return;
    }
    const path: Level[] = [this.index];
    for (let i = 0; i < labels.length - 1; i++) path.push(path[i]!.get(labels[i]!) as Level);
    for (let i = labels.length - 1; i >= 0; i--) {
      path[i]!.delete(labels[i]!);
      if (i === 0 || path[i]!.size > 0) break;
    }
  }

  private newDatum(labels: readonly string[], time: number): Datum {
    if (this.histogram) {
      const d = new Datum(labels, 0, time, new Float64Array(this.upperBounds.length + 1));
      if (this.nativeOptions !== undefined) d.native = new NativeHistogram(this.nativeOptions);
      return d;
    }
    return new Datum(labels, this.spec.valueType === 'string' ? '' : 0, time);
  }

  private dropOldest(): boolean {
    const oldest = (this.ages ??= new OldestFirst(this.all)).oldest();
    if (oldest === undefined) return false;
    this.unlink(oldest);
    return true;
  }

  private arityError(labels: readonly string[]): RangeError {
    const s = this.spec;
    return new RangeError(
      `${s.source}: ${s.name} has ${this.arity} key(s) (${s.keys.join(', ')}), got ${labels.length} label value(s)`,
    );
  }
}

function linkTo(prev: Datum, slot: number, d: Datum): Datum {
  (prev.links ??= [])[slot] = d;
  return d;
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
