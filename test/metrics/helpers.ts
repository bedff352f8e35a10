// Builders for stores in tests: a spec with defaults, and a metric with datums.
import { Metric, type MetricSpec, type Store } from '../../src/metrics/index.js';

/** A MetricSpec with defaults for everything but what the test cares about. */
export function spec(over: Partial<MetricSpec> & Pick<MetricSpec, 'name' | 'kind'>): MetricSpec {
  return {
    program: 'a.mtail',
    exportedName: over.name,
    valueType: over.kind === 'text' ? 'string' : 'int',
    keys: [],
    hidden: false,
    source: `${over.program ?? 'a.mtail'}:1:1`,
    ...over,
  };
}

/** A datum to create: label values, value (histogram: observations), and time in ms. */
export type DatumInit = [labels: string[], value: number | bigint | string | number[], time?: number];

/** Creates a metric from `s`, adds it to `store` and fills in `datums`. */
export function addMetric(store: Store, s: MetricSpec, datums: DatumInit[] = []): Metric {
  const m = new Metric(s);
  store.add(m);
  for (const [labels, value, time] of datums) {
    const d = m.datum(labels);
    if (Array.isArray(value)) for (const v of value) m.observe(d, v);
    else d.value = value;
    d.time = time ?? 0;
  }
  return m;
}
