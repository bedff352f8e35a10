import { SeriesBudget, type SeriesCaps } from './budget.js';
import { metricId } from './keys.js';
import type { Metric } from './metric.js';
import { sanitizeMetricName } from './names.js';
import type { NativeHistogramOptions } from './native.js';
import type { MetricSpec } from './types.js';

/** How a store keeps its metrics. */
export interface StoreOptions {
  /** Keep a native histogram beside the classic buckets of every histogram datum. */
  nativeHistograms?: NativeHistogramOptions;
  /** Caps on series per metric and in total (budget.ts); none when absent. */
  series?: SeriesCaps;
}

/** Thrown by Store.add when a metric cannot be exported next to one already stored. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
}

/** All metrics of all loaded programs. Exporters read it; programs write their datums. */
export class Store {
  private readonly byId = new Map<string, Metric>();
  private sorted: Metric[] | undefined;
  /** Native histogram settings, when the store keeps them. */
  readonly nativeHistograms: NativeHistogramOptions | undefined;
  /** Caps on series (budget.ts), when the store was made with them. */
  readonly budget: SeriesBudget | undefined;

  constructor(opts: StoreOptions = {}) {
    this.nativeHistograms = opts.nativeHistograms;
    this.budget = opts.series === undefined ? undefined : new SeriesBudget(opts.series);
  }

  /**
   * Adds a metric, replacing the one with the same program and name (a reloaded
   * program). When the declaration is unchanged (kind, type, keys, buckets) the
   * new metric takes over the old datums, so counters survive a reload. Throws
   * StoreConflictError when another exported metric with the same exposition
   * name has a different kind, as mtail refuses to load such a program.
   */
  add(metric: Metric): void {
    const spec = metric.spec;
    const id = metricId(spec.program, spec.name);
    if (!spec.hidden) {
      const family = sanitizeMetricName(spec.exportedName);
      for (const [otherId, other] of this.byId) {
        const o = other.spec;
        if (otherId === id || o.hidden || o.kind === spec.kind) continue;
        if (sanitizeMetricName(o.exportedName) === family) {
          throw new StoreConflictError(
            `${spec.source}: ${spec.kind} ${spec.exportedName} clashes with ${o.kind} ${o.exportedName} ` +
              `defined at ${o.source} (program ${o.program}): one exported name cannot have two kinds`,
          );
        }
      }
    }
    if (this.nativeHistograms !== undefined) metric.useNativeHistograms(this.nativeHistograms);
    const old = this.byId.get(id);
    old?.attachBudget(undefined);
    if (old !== undefined && sameDeclaration(old.spec, spec)) metric.adoptDatums(old);
    metric.attachBudget(this.budget);
    this.byId.set(id, metric);
    this.sorted = undefined;
  }

  /** The metric `name` of `program`, if stored. */
  find(program: string, name: string): Metric | undefined {
    return this.byId.get(metricId(program, name));
  }

  /** Every metric (hidden ones too), ordered by exported name, then program, then name. */
  metrics(): Iterable<Metric> {
    if (this.sorted === undefined) this.sorted = [...this.byId.values()].sort(compareMetrics);
    return this.sorted;
  }

  /** Number of metrics. */
  get size(): number {
    return this.byId.size;
  }

  /** Removes one metric (its declaration left a reloaded program); false when absent. */
  remove(program: string, name: string): boolean {
    const id = metricId(program, name);
    this.byId.get(id)?.attachBudget(undefined);
    const removed = this.byId.delete(id);
    if (removed) this.sorted = undefined;
    return removed;
  }

  /** Removes every metric of `program` (the program was unloaded). */
  removeProgram(program: string): void {
    for (const [id, m] of this.byId) {
      if (m.spec.program !== program) continue;
      m.attachBudget(undefined);
      this.byId.delete(id);
    }
    this.sorted = undefined;
  }

  /**
   * Trims metrics over their `limit` (oldest datums first) and drops datums whose
   * expiry has passed at `nowMs`; returns how many datums were dropped.
   */
  gc(nowMs: number): number {
    let dropped = 0;
    for (const m of this.byId.values()) dropped += m.trimToLimit() + m.expire(nowMs);
    return dropped;
  }
}

function compareMetrics(a: Metric, b: Metric): number {
  const x = a.spec;
  const y = b.spec;
  return cmp(x.exportedName, y.exportedName) || cmp(x.program, y.program) || cmp(x.name, y.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameDeclaration(a: MetricSpec, b: MetricSpec): boolean {
  return (
    a.kind === b.kind &&
    a.valueType === b.valueType &&
    sameArray(a.keys, b.keys) &&
    sameArray(a.buckets ?? [], b.buckets ?? [])
  );
}

function sameArray<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
