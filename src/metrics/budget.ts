// A cap on series (datums), per metric and in total, against label values from hostile or
// unlucky logs: 2M distinct values in one label reached 548 MiB. A new series beyond a cap
// is refused, not stored: the update it carried is lost and counted, the series already
// stored keep counting, and the first refusal of each metric is reported once. A metric's
// own `limit N` (drop the oldest) applies first and is unchanged; the caps only bound what
// no limit bounds.

import type { Metric } from './metric.js';

/** The caps; 0 means no cap. */
export interface SeriesCaps {
  /** Most series one metric keeps. */
  maxPerMetric: number;
  /** Most series all metrics keep together. */
  maxTotal: number;
  /** Called once per metric, at its first refused series. */
  onFirstRefusal?: (metric: Metric, reason: 'metric' | 'total') => void;
}

/** Counts the series of the metrics in one store and says whether another may be created. */
export class SeriesBudget {
  /** Series held by the metrics attached to this budget. */
  total = 0;
  /** Refused series by metric. */
  readonly refused = new Map<Metric, number>();

  constructor(readonly caps: SeriesCaps) {}

  /** Whether `metric`, holding `size` series now, may create one more; counts and reports a refusal. */
  admit(metric: Metric, size: number): boolean {
    const { maxPerMetric, maxTotal } = this.caps;
    const overMetric = maxPerMetric > 0 && size >= maxPerMetric;
    if (!overMetric && !(maxTotal > 0 && this.total >= maxTotal)) return true;
    const before = this.refused.get(metric) ?? 0;
    this.refused.set(metric, before + 1);
    if (before === 0) this.caps.onFirstRefusal?.(metric, overMetric ? 'metric' : 'total');
    return false;
  }

  /** Refused series of every metric that had any, for the self-metric. */
  refusals(): { program: string; metric: string; count: number }[] {
    return [...this.refused].map(([m, count]) => ({ program: m.spec.program, metric: m.spec.exportedName, count }));
  }
}
