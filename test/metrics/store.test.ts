// Store: add, reload, conflicts, order, removeProgram, gc.
import t from 'tap';
import { Metric, Store, StoreConflictError } from '../../src/metrics/index.js';
import { addMetric, spec } from './helpers.js';

t.test('metrics() is ordered by exported name, program, name', async (t) => {
  const s = new Store();
  addMetric(s, spec({ name: 'b', kind: 'counter', program: 'z.mtail' }));
  addMetric(s, spec({ name: 'x', exportedName: 'a', kind: 'counter', program: 'z.mtail' }));
  addMetric(s, spec({ name: 'b', kind: 'counter', program: 'a.mtail' }));
  addMetric(s, spec({ name: 'a', kind: 'counter', program: 'z.mtail' }));
  const order = [...s.metrics()].map((m) => `${m.spec.exportedName}/${m.spec.program}/${m.spec.name}`);
  t.same(order, ['a/z.mtail/a', 'a/z.mtail/x', 'b/a.mtail/b', 'b/z.mtail/b'], 'sorted');
  t.equal(s.size, 4, 'size');
  t.equal(s.find('a.mtail', 'b')?.spec.program, 'a.mtail', 'find');
  t.equal(s.find('a.mtail', 'nope'), undefined, 'find a missing metric');
});

t.test('one exported name cannot have two kinds (mtail: "has different kind")', async (t) => {
  const cases: { name: string; second: Parameters<typeof spec>[0]; throws: boolean }[] = [
    { name: '1 gauge after counter, other program', second: { name: 'm', kind: 'gauge', program: 'b.mtail' }, throws: true },
    { name: '2 timer after counter', second: { name: 'm', kind: 'timer', program: 'b.mtail' }, throws: true },
    { name: '3 same kind, other program', second: { name: 'm', kind: 'counter', program: 'b.mtail' }, throws: false },
    {
      name: '4 names that sanitise alike',
      second: { name: 'n', exportedName: 'm', kind: 'gauge', program: 'b.mtail' },
      throws: true,
    },
    { name: '5 hidden metrics are not exported, so never clash', second: { name: 'm', kind: 'gauge', program: 'b.mtail', hidden: true }, throws: false },
    { name: '6 reloading the same metric with a new kind', second: { name: 'm', kind: 'gauge' }, throws: false },
  ];
  for (const c of cases) {
    const s = new Store();
    addMetric(s, spec({ name: 'm', kind: 'counter' }));
    const add = () => s.add(new Metric(spec(c.second)));
    if (c.throws) t.throws(add, StoreConflictError, c.name);
    else t.doesNotThrow(add, c.name);
  }
});

t.test('re-adding a metric (program reload)', async (t) => {
  const s = new Store();
  const old = addMetric(s, spec({ name: 'c', kind: 'counter', keys: ['k'] }), [[['a'], 5]]);
  const same = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'], source: 'a.mtail:9:9' }));
  s.add(same);
  t.equal(s.size, 1, '1 replaces, does not duplicate');
  t.equal(s.find('a.mtail', 'c'), same, '2 the new metric is stored');
  t.equal(same.datum(['a']).value, 5, '3 an unchanged declaration keeps its datums');
  t.equal(same.datum(['a']), old.datum(['a']), '4 the very same datum');
  const rekeyed = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k', 'j'] }));
  s.add(rekeyed);
  t.equal(rekeyed.size, 0, '5 changed keys drop the old datums');
  const scalar = addMetric(s, spec({ name: 'sc', kind: 'counter' }), [[[], 7]]);
  const scalar2 = new Metric(spec({ name: 'sc', kind: 'counter' }));
  s.add(scalar2);
  t.equal(scalar2.scalar().value, 7, '6 a scalar counter keeps its value, not the new 0');
  t.not(scalar2, scalar, '7 in the new metric');
  const retyped = new Metric(spec({ name: 'sc', kind: 'counter', valueType: 'float' }));
  s.add(retyped);
  t.equal(retyped.scalar().value, 0, '8 a changed value type starts again');
  addMetric(s, spec({ name: 'h', kind: 'histogram', buckets: [1] }), [[[], [0.5]]]);
  const rebucketed = new Metric(spec({ name: 'h', kind: 'histogram', buckets: [1, 2] }));
  s.add(rebucketed);
  t.equal(rebucketed.scalar().count, 0, '9 changed buckets start again');
});

t.test('removeProgram', async (t) => {
  const s = new Store();
  addMetric(s, spec({ name: 'a', kind: 'counter', program: 'x.mtail' }));
  addMetric(s, spec({ name: 'b', kind: 'counter', program: 'x.mtail' }));
  addMetric(s, spec({ name: 'a', kind: 'counter', program: 'y.mtail' }));
  s.removeProgram('x.mtail');
  t.same([...s.metrics()].map((m) => m.spec.program), ['y.mtail'], 'only the other program is left');
  s.removeProgram('nope.mtail');
  t.equal(s.size, 1, 'removing an unknown program changes nothing');
});

t.test('gc drops expired datums and returns how many', async (t) => {
  const s = new Store();
  const hour = 3_600_000;
  const now = 100 * hour;
  const a = addMetric(s, spec({ name: 'a', kind: 'gauge', keys: ['k'] }), [
    [['old'], 1, now - 2 * hour],
    [['fresh'], 1, now - 10],
    [['forever'], 1, 0],
  ]);
  a.setExpiry(['old'], hour);
  a.setExpiry(['fresh'], hour);
  const b = addMetric(s, spec({ name: 'b', kind: 'counter', keys: ['k'], program: 'b.mtail' }), [
    [['x'], 1, now - hour - 1],
  ]);
  b.setExpiry(['x'], hour);
  t.equal(s.gc(now), 2, '1 two datums past their expiry');
  t.same([...a.datums()].map((d) => d.labels[0]), ['fresh', 'forever'], '2 the rest stay');
  t.equal(b.size, 0, '3 across programs');
  t.equal(s.gc(now), 0, '4 nothing left to drop');
  t.equal(s.gc(now + 2 * hour), 1, '5 later the fresh one expires too');
});

t.test('gc trims metrics over their limit, oldest first', async (t) => {
  const s = new Store();
  const old = addMetric(s, spec({ name: 'l', kind: 'counter', keys: ['k'] }), [
    [['a'], 1, 30],
    [['b'], 1, 10],
    [['c'], 1, 20],
  ]);
  // A reload that adds `limit 2` adopts three datums; gc brings it down to the limit.
  const limited = new Metric(spec({ name: 'l', kind: 'counter', keys: ['k'], limit: 2 }));
  s.add(limited);
  t.equal(limited.size, 3, '1 adopted all three');
  t.equal(s.gc(0), 1, '2 one dropped');
  t.same([...limited.datums()].map((d) => d.labels[0]), ['a', 'c'], '3 the oldest (b) went');
  t.not(old, limited, '4 in the new metric');
});
