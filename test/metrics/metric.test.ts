// Metric: datums at declaration, get-or-create, limit, expiry, histogram observation.
import t from 'tap';
import { Metric, histogramUpperBounds, bucketIndex } from '../../src/metrics/index.js';
import { spec } from './helpers.js';

t.test('datums that exist from declaration on (mtail codegen, checked against rc50 output)', async (t) => {
  const cases: { name: string; m: Metric; size: number }[] = [
    { name: '1 scalar counter has a 0 datum at time 0', m: new Metric(spec({ name: 'c', kind: 'counter' })), size: 1 },
    {
      name: '2 scalar histogram has an empty datum',
      m: new Metric(spec({ name: 'h', kind: 'histogram', buckets: [1, 2] })),
      size: 1,
    },
    { name: '3 scalar gauge has none until touched', m: new Metric(spec({ name: 'g', kind: 'gauge' })), size: 0 },
    { name: '4 scalar timer has none', m: new Metric(spec({ name: 't', kind: 'timer' })), size: 0 },
    { name: '5 text has none', m: new Metric(spec({ name: 's', kind: 'text' })), size: 0 },
    {
      name: '6 keyed counter has none',
      m: new Metric(spec({ name: 'k', kind: 'counter', keys: ['a'] })),
      size: 0,
    },
  ];
  for (const c of cases) {
    t.equal(c.m.size, c.size, c.name);
    if (c.size === 1) {
      const d = c.m.scalar();
      t.equal(d.value, 0, `${c.name}: value`);
      t.equal(d.time, 0, `${c.name}: time`);
    }
  }
  const h = new Metric(spec({ name: 'h', kind: 'histogram', buckets: [1, 2] }));
  t.same([...h.scalar().buckets!], [0, 0, 0], 'histogram datum has one slot per bound plus +Inf');
});

t.test('datum() gets or creates', async (t) => {
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['a', 'b'] }));
  const labels = ['x', 'y'];
  const d = m.datum(labels);
  labels[0] = 'changed';
  t.equal(m.datum(['x', 'y']), d, '1 same labels, same datum');
  t.same(d.labels, ['x', 'y'], '2 the datum keeps a copy of its labels');
  t.not(m.datum(['y', 'x']), d, '3 order matters');
  t.equal(m.size, 2, '4 two datums');
  t.throws(() => m.datum(['x']), /2 key\(s\) \(a, b\), got 1/, '5 wrong number of labels is an error');
  t.throws(() => m.scalar(), /got 0/, '6 scalar() of a keyed metric is an error');
  const s = new Metric(spec({ name: 's', kind: 'text' }));
  t.equal(s.scalar().value, '', '7 a new text datum holds ""');
  t.equal(s.scalar(), s.scalar(), '8 scalar() returns the one datum');
  const before = Date.now();
  const g = new Metric(spec({ name: 'g', kind: 'gauge', keys: ['k'] })).datum(['a']);
  t.ok(g.time >= before && g.time <= Date.now(), '9 a created datum is stamped now, as mtail stamps it');
  t.equal(g.expiry, 0, '10 and never expires');
});

t.test('limit drops the datum with the oldest time (mtail Store.Gc / RemoveOldestDatum)', async (t) => {
  const m = new Metric(spec({ name: 'l', kind: 'counter', keys: ['k'], limit: 2 }));
  m.datum(['a']).time = 300;
  m.datum(['b']).time = 100;
  m.datum(['c']).time = 200;
  t.same(labelsOf(m), ['a', 'c'], '1 b had the oldest time, so b went');
  m.datum(['a']).time = 50;
  m.datum(['d']).time = 400;
  t.same(labelsOf(m), ['c', 'd'], '2 an update that makes a datum oldest makes it the next to go');
  const tie = new Metric(spec({ name: 't', kind: 'counter', keys: ['k'], limit: 2 }));
  for (const k of ['a', 'b', 'c']) tie.datum([k]).time = 1000;
  t.same(labelsOf(tie), ['b', 'c'], '3 among equal times the first created goes');
  const one = new Metric(spec({ name: 'o', kind: 'gauge', keys: ['k'], limit: 1 }));
  for (let i = 0; i < 100; i++) one.datum([String(i)]).time = i;
  t.same(labelsOf(one), ['99'], '4 limit 1 keeps only the newest');
  const none = new Metric(spec({ name: 'n', kind: 'gauge', keys: ['k'] }));
  for (let i = 0; i < 100; i++) none.datum([String(i)]);
  t.equal(none.size, 100, '5 no limit, no dropping');
  t.throws(() => new Metric(spec({ name: 'x', kind: 'gauge', limit: -1 })), /non-negative integer/, '6 negative limit');
});

t.test('remove and setExpiry', async (t) => {
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'] }));
  m.datum(['a']);
  t.equal(m.remove(['a']), true, '1 removing an existing datum');
  t.equal(m.remove(['a']), false, '2 removing a missing datum is not an error');
  t.equal(m.size, 0, '3 it is gone');
  t.equal(m.setExpiry(['b'], 1000), false, '4 expiry of a missing datum reports false (mtail: runtime error)');
  t.equal(m.size, 0, '5 and does not create it');
  const d = m.datum(['b']);
  t.equal(m.setExpiry(['b'], 1000), true, '6 expiry of an existing datum');
  t.equal(d.expiry, 1000, '7 is recorded on the datum');
});

t.test('expire judges nowMs - time > expiry (strictly), as mtail Store.Gc', async (t) => {
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'] }));
  const d = m.datum(['a']);
  d.time = 10_000;
  m.setExpiry(['a'], 3_600_000);
  const never = m.datum(['never']);
  never.time = 0;
  t.equal(m.expire(10_000 + 3_600_000), 0, '1 exactly at the expiry it stays');
  t.equal(m.size, 2, '2 both still there');
  t.equal(m.expire(10_000 + 3_600_001), 1, '3 one ms later it goes');
  t.same(labelsOf(m), ['never'], '4 a datum without expiry never goes');
});

t.test('histogram upper bounds from a declaration, as mtail codegen builds them', async (t) => {
  // rc50 printed le="1","2","4" for `buckets 1, 2, 4`; le="1","2" for `buckets 0, 1, 2`;
  // le="0","1" for `buckets -1, 0, 1`.
  t.same(histogramUpperBounds([1, 2, 4]), [1, 2, 4], '1 positive first bound opens (0, b0]');
  t.same(histogramUpperBounds([0, 1, 2]), [1, 2], '2 zero first bound is a lower edge only');
  t.same(histogramUpperBounds([-1, 0, 1]), [0, 1], '3 negative first bound is a lower edge only');
  t.same(histogramUpperBounds([]), [], '4 nothing declared');
  t.throws(() => new Metric(spec({ name: 'h', kind: 'histogram', buckets: [2, 1] })), /strictly ascending/, '5');
  t.throws(() => new Metric(spec({ name: 'h', kind: 'histogram', buckets: [1, 1] })), /strictly ascending/, '6');
  t.throws(() => new Metric(spec({ name: 'h', kind: 'histogram', buckets: [1, Infinity] })), /finite/, '7');
});

t.test('observe: first bucket whose bound is >= v (mtail buckets.go), +Inf otherwise', async (t) => {
  const bounds = Float64Array.from([1, 2, 4]);
  const cases: [number, number][] = [
    [-5, 0],
    [0, 0],
    [1, 0],
    [1.0000001, 1],
    [2, 1],
    [4, 2],
    [4.5, 3],
    [Infinity, 3],
    [NaN, 3],
  ];
  for (const [v, i] of cases) t.equal(bucketIndex(bounds, v), i, `${v} goes to slot ${i}`);
  const m = new Metric(spec({ name: 'h', kind: 'histogram', valueType: 'float', buckets: [1, 2, 4] }));
  const d = m.scalar();
  for (const v of [0.5, 3, 3, 100]) m.observe(d, v);
  t.same([...d.buckets!], [1, 0, 2, 1], 'non-cumulative counts');
  t.equal(d.count, 4, 'count');
  t.equal(d.value, 106.5, 'sum');
  const c = new Metric(spec({ name: 'c', kind: 'counter' }));
  t.throws(() => c.observe(c.scalar(), 1), /not a histogram/, 'observe on a counter is an error');
});

function labelsOf(m: Metric): string[] {
  return [...m.datums()].map((d) => d.labels.join(','));
}
