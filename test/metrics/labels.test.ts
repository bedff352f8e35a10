// The label intern table (src/metrics/labels.ts): equal values, one shared copy, bounded.
import t from 'tap';
import { internLabel, internedCount, MAX_INTERNED, MAX_INTERNED_LENGTH } from '../../src/metrics/labels.js';
import { Metric } from '../../src/metrics/index.js';

const line = 'GET www.example.test:8080 fe_http www.example.test:8080 end';
const first = line.slice(4, 25);
const second = line.slice(34, 55);

t.test('equal values intern to one string, equal to each', async (t) => {
  t.equal(first, second, 'two cuts of the same text');
  const a = internLabel(first);
  const b = internLabel(second);
  t.equal(a, first, 'the interned value is the value');
  t.ok(Object.is(a, b), 'both give the same shared copy');
  t.equal(internLabel('other value of length'), 'other value of length');
});

t.test('a metric stores its keys as the shared copies', async (t) => {
  const m = new Metric({ program: 'p.mtail', name: 'm', exportedName: 'm', kind: 'counter', valueType: 'int', keys: ['host'], hidden: false, source: 'p.mtail:1:9' });
  const d = m.datum1(line.slice(4, 25));
  t.ok(Object.is(d.labels[0], internLabel(second)), 'the stored label is the interned string');
  t.equal(m.datum1(internLabel(first)), d, 'the interned value finds the datum');
  t.equal(m.datum1(line.slice(34, 55)), d, 'an equal fresh value finds it too');
});

t.test('the table is bounded: hostile ever-new values never grow it past its cap', async (t) => {
  for (let i = 0; i < MAX_INTERNED * 2 + 10; i++) internLabel(`value-${i}-padding-to-be-long`);
  t.ok(internedCount() <= MAX_INTERNED, `${internedCount()} values held (cap ${MAX_INTERNED})`);
  t.ok(internedCount() > 0, 'it still holds the recent ones');
  const v = 'a value after the table started over';
  t.equal(internLabel(v.slice(0)), v, 'values still intern correctly after a clear');
});

t.test('long values are never held: hostile long labels cannot make the table big', async (t) => {
  const before = internedCount();
  const long = 'x'.repeat(MAX_INTERNED_LENGTH + 1);
  const line = `GET ${long} end`;
  const a = internLabel(line.slice(4, 4 + long.length));
  t.equal(a, long, 'the value is returned, equal');
  t.equal(internedCount(), before, 'and not added to the table');
  const edge = 'y'.repeat(MAX_INTERNED_LENGTH);
  t.ok(Object.is(internLabel(edge.slice(0)), internLabel(('' + edge + ' ').slice(0, -1))), `a value of ${MAX_INTERNED_LENGTH} characters is still shared`);
});
