// Caps on series (--max-series-per-metric, --max-series): a new series beyond a cap is not
// stored and is counted, the first refusal of each metric is reported once, series already
// stored keep counting, a metric's own `limit` keeps its meaning (drop the oldest), and the
// total follows metrics that are removed or replaced by a reload.
import t from 'tap';
import { Metric, Store } from '../../src/metrics/index.js';
import { spec } from './helpers.js';

function counter(name: string, program = 'a.mtail', limit?: number): Metric {
  return new Metric(spec({ name, kind: 'counter', keys: ['k'], program, limit }));
}

function bump(m: Metric, label: string): void {
  m.datum1(label).value = (m.datum1(label).value as number) + 1;
}

function labelsOf(m: Metric): string[] {
  return [...m.datums()].map((d) => d.labels[0]!);
}

t.test('per metric: series beyond the cap are refused and counted; the stored ones keep counting', async (t) => {
  const reported: string[] = [];
  const store = new Store({ series: { maxPerMetric: 3, maxTotal: 0, onFirstRefusal: (m, why) => reported.push(`${m.spec.name} ${why}`) } });
  const a = counter('a');
  const b = counter('b');
  store.add(a);
  store.add(b);
  for (let i = 0; i < 10; i++) bump(a, `v${i}`);
  bump(a, 'v0');
  bump(b, 'x');
  t.same(labelsOf(a), ['v0', 'v1', 'v2'], 'the first three are kept');
  t.equal(a.datum1('v0').value, 2, 'a stored series still counts');
  t.same(labelsOf(b), ['x'], 'another metric has its own cap');
  t.same(store.budget!.refusals(), [{ program: 'a.mtail', metric: 'a', count: 7 }], 'seven refused');
  t.same(reported, ['a metric'], 'reported once');
  t.equal(store.budget!.total, 4, 'four series in all');
});

t.test('in total: the cap is shared by every metric', async (t) => {
  const reported: string[] = [];
  const store = new Store({ series: { maxPerMetric: 0, maxTotal: 5, onFirstRefusal: (m, why) => reported.push(`${m.spec.name} ${why}`) } });
  const a = counter('a');
  const b = counter('b');
  store.add(a);
  store.add(b);
  for (let i = 0; i < 4; i++) bump(a, `a${i}`);
  for (let i = 0; i < 4; i++) bump(b, `b${i}`);
  for (let i = 4; i < 6; i++) bump(a, `a${i}`);
  t.equal(a.size + b.size, 5, 'five series stored');
  t.same(labelsOf(b), ['b0'], 'b got the one place left');
  t.same(reported, ['b total', 'a total'], 'each metric reported once, naming the total cap');
  t.same(store.budget!.refusals().map((r) => [r.metric, r.count]), [['b', 3], ['a', 2]]);
});

t.test('limit N keeps its meaning under the caps: the oldest series makes room', async (t) => {
  const store = new Store({ series: { maxPerMetric: 10, maxTotal: 0 } });
  const m = counter('m', 'a.mtail', 3);
  store.add(m);
  for (let i = 0; i < 6; i++) {
    bump(m, `v${i}`);
    m.datum1(`v${i}`).time = i;
  }
  t.same(labelsOf(m), ['v3', 'v4', 'v5'], 'the three newest, as mtail keeps them');
  t.same(store.budget!.refusals(), [], 'nothing refused');
  t.equal(store.budget!.total, 3);
});

t.test('the total follows deleted, removed and reloaded metrics', async (t) => {
  const store = new Store({ series: { maxPerMetric: 0, maxTotal: 4 } });
  const a = counter('a');
  store.add(a);
  for (let i = 0; i < 4; i++) bump(a, `v${i}`);
  t.equal(store.budget!.total, 4);
  a.remove(['v0']);
  t.equal(store.budget!.total, 3, 'del frees a place');
  bump(a, 'new');
  t.same(labelsOf(a), ['v1', 'v2', 'v3', 'new'], 'which a new series takes');
  const reloaded = counter('a');
  store.add(reloaded);
  t.equal(store.budget!.total, 4, 'a reload that keeps the datums keeps the count');
  bump(reloaded, 'refused');
  t.equal(reloaded.size, 4, 'and the cap still holds');
  store.removeProgram('a.mtail');
  t.equal(store.budget!.total, 0, 'an unloaded program frees its series');
});

t.test('without caps nothing is refused', async (t) => {
  const store = new Store();
  const a = counter('a');
  store.add(a);
  for (let i = 0; i < 1000; i++) bump(a, `v${i}`);
  t.equal(a.size, 1000);
  t.equal(store.budget, undefined);
});
