import type { NativeHistogram } from './native.js';
import type { OldestFirst } from './oldest.js';

/** One time series of a metric: the metric plus one list of label values. */
export class Datum {
  /** Label values, in the order of the metric's keys. */
  readonly labels: readonly string[];
  /**
   * Counter/gauge/timer: a number, or a bigint for an int beyond 2^53 (an int64 as
   * src/go/int64.ts keeps it); text: string; histogram: sum of observations.
   */
  value: number | bigint | string;
  /** Histogram only: non-cumulative counts, one per upper bound plus a last slot for +Inf. */
  buckets: Float64Array | undefined;
  /** Histogram observation count. */
  count: number;
  /** Histogram only, with native histograms on: the sparse exponential buckets (count and sum are the datum's). */
  native: NativeHistogram | undefined;
  /** `time`, kept behind an accessor. */
  private updated: number;
  /** Ms after the last update when gc deletes it (`del m[..] after 1h`); 0 = never. */
  expiry: number;
  /** Whether the datum is in its metric: false before it is added, once it is deleted, and when a series cap refused it. */
  live: boolean;
  /** The datum of `linkMetric` with these labels, as Metric.after() last found it from this one. */
  link: Datum | undefined;
  linkMetric: object | undefined;
  /**
   * Datums of other metrics whose label values are some of these (Metric.via1..via4), by the
   * slot the generated code gave the call site. Cleared when the datum enters a metric.
   */
  links: (Datum | undefined)[] | undefined;
  /** When it entered its metric, counted by the metric: the tie-break among equal times for `limit`. */
  order: number;
  /** The heap of its metric's datums by age, once the metric has reached its `limit`; told when `time` falls. */
  ages: OldestFirst | undefined;

  constructor(labels: readonly string[], value: number | bigint | string, time: number, buckets?: Float64Array) {
    this.labels = labels;
    this.value = value;
    this.buckets = buckets;
    this.count = 0;
    this.native = undefined;
    this.updated = time;
    this.expiry = 0;
    this.live = false;
    this.link = undefined;
    this.linkMetric = undefined;
    this.links = undefined;
    this.order = 0;
    this.ages = undefined;
  }

  /** Unix ms of the last update (the program's timestamp register). */
  get time(): number {
    return this.updated;
  }

  /** Every write goes through here: a time that falls must be told to the heap of ages (metrics/oldest.ts). */
  set time(time: number) {
    if (time < this.updated && this.ages !== undefined) this.ages.lowered(this, time);
    this.updated = time;
  }
}
