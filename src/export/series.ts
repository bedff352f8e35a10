// The store as a flat list of series, for the push paths (remote write): the
// same walk over families, exported label names and duplicates as the /metrics
// encoders, with a histogram spelt as Prometheus stores it: _bucket{le}
// series, _sum and _count, and its native histogram under the bare name.

import type { NativeHistogram, Store } from '../metrics/index.js';
import { formatGoFloat } from '../go/strconv.js';
import { alreadyExported, duplicateTracker, exportedLabelNames, groupFamilies, numeric } from './exposition.js';
import type { SampleFamily } from './families.js';
import { prometheusDialect } from './prometheus.js';

/** One series: its labels (`__name__` first, then the rest, unsorted) and a value or a native histogram. */
export interface Series {
  labels: Array<[name: string, value: string]>;
  value: number;
  /** A native histogram series: value is unused; count and sum are the datum's. */
  native?: { histogram: NativeHistogram; count: number; sum: number };
}

/** Every series of `store` (and of `extra`, the daemon's own families), in exposition order. */
export function* storeSeries(store: Store, opts: { progLabel?: boolean }, extra: readonly SampleFamily[] = []): Generator<Series, void, undefined> {
  const progLabel = opts.progLabel ?? true;
  for (const family of groupFamilies(store, (m) => prometheusDialect.familyName(m))) {
    const seen = duplicateTracker(family, progLabel);
    const histogram = family.type === 'histogram';
    for (const m of family.metrics) {
      const names = exportedLabelNames(m.spec.keys, progLabel, histogram);
      const les = histogram ? Array.from(m.upperBounds, (b) => formatGoFloat(b)) : [];
      for (const d of m.datums()) {
        if (seen !== undefined && alreadyExported(seen, names, d)) continue;
        const labels: Array<[string, string]> = progLabel ? [['prog', m.spec.program]] : [];
        for (let i = 0; i < names.length; i++) labels.push([names[i]!, d.labels[i]!]);
        const named = (name: string, more: Array<[string, string]> = []): Array<[string, string]> => [['__name__', name], ...labels, ...more];
        if (!histogram) {
          yield { labels: named(family.name), value: numeric(d.value) };
          continue;
        }
        let cumulative = 0;
        for (let i = 0; i < les.length; i++) {
          cumulative += d.buckets?.[i] ?? 0;
          yield { labels: named(family.name + '_bucket', [['le', les[i]!]]), value: cumulative };
        }
        yield { labels: named(family.name + '_bucket', [['le', '+Inf']]), value: d.count };
        yield { labels: named(family.name + '_sum'), value: numeric(d.value) };
        yield { labels: named(family.name + '_count'), value: d.count };
        if (d.native !== undefined) yield { labels: named(family.name), value: 0, native: { histogram: d.native, count: d.count, sum: numeric(d.value) } };
      }
    }
  }
  for (const f of extra) {
    for (const [labels, value] of f.samples) yield { labels: [['__name__', f.name], ...Object.entries(labels)], value };
  }
}
