// mtail's push exporters (graphite, statsd, collectd) write one line per label
// set. They read the store through the same walk as /metrics (groupFamilies,
// then each metric's datums), one line at a time: nothing is copied first.

import { formatGoFloat, formatInt } from '../../go/strconv.js';
import type { Datum, Metric } from '../../metrics/index.js';
import { groupFamilies } from '../exposition.js';

/** Turns one datum of a metric into the text a push target receives (one or more lines). */
export type PushFormatter = (metric: Metric, datum: Datum) => string;

/**
 * The lines for every exported metric (text metrics left out, as mtail never
 * pushes them), in the /metrics order: families by name, then programs.
 */
export function* pushLines(store: Parameters<typeof groupFamilies>[0], format: PushFormatter): Generator<string, void, undefined> {
  for (const family of groupFamilies(store, (m) => m.spec.exportedName)) {
    for (const m of family.metrics) {
      for (const d of m.datums()) yield format(m, d);
    }
  }
}

/**
 * mtail's formatLabels: the name, then `key<ksep>value` pairs sorted by key,
 * joined by `sep`; `ksep` and `sep` inside keys and values become `rep`.
 */
export function formatLabels(name: string, m: Metric, d: Datum, ksep: string, sep: string, rep: string): string {
  const keys = m.spec.keys;
  if (keys.length === 0) return name;
  const clean = (s: string) => s.split(ksep).join(rep).split(sep).join(rep);
  const pairs = keys.map((k, i) => [k, d.labels[i] ?? ''] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return name + sep + pairs.map(([k, v]) => clean(k) + ksep + clean(v)).join(sep);
}

/** mtail's Datum.ValueString: %d for ints, %g for floats (a histogram's value is its sum). */
export function valueString(m: Metric, d: Datum): string {
  if (typeof d.value === 'bigint') return formatInt(d.value);
  const v = typeof d.value === 'number' ? d.value : Number(d.value);
  if (m.spec.valueType === 'int' && m.spec.kind !== 'histogram' && Number.isFinite(v)) return formatInt(v);
  return formatGoFloat(v);
}

/** mtail's Datum.TimeString: whole seconds since the epoch. */
export function timeString(d: Datum): string {
  return String(Math.floor(d.time / 1000));
}
