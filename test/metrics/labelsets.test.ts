// Label sets never collide, whatever their strings hold: the metric's nested
// index keeps every list of label values apart, NUL and friends included.
import t from 'tap';
import { Metric } from '../../src/metrics/index.js';
import { spec } from './helpers.js';

t.test('a metric gives every list of 2 and 3 hostile strings its own datum', async (t) => {
  const alphabet = ['\u0000', '\u0001', '-', 'a'];
  const strings = [''];
  for (const x of alphabet) strings.push(x);
  for (const x of alphabet) for (const y of alphabet) strings.push(x + y);
  for (const arity of [2, 3]) {
    const keys = Array.from({ length: arity }, (_, i) => `k${i}`);
    const m = new Metric(spec({ name: 'c', kind: 'counter', keys }));
    let lists: string[][] = [[]];
    for (let i = 0; i < arity; i++) lists = lists.flatMap((l) => strings.map((s) => [...l, s]));
    lists.forEach((l, i) => (m.datum(l).value = i));
    t.equal(m.size, lists.length, `arity ${arity}: ${lists.length} datums`);
    const wrong = lists.filter((l, i) => m.datum(l).value !== i || m.datum(l).labels.join('|') !== l.join('|'));
    t.same(wrong, [], `arity ${arity}: each list finds its own datum again`);
  }
});

t.test('removing one label list leaves those sharing its prefix', async (t) => {
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['a', 'b', 'c'] }));
  const ab = m.datum(['x', 'y', '1']);
  const ac = m.datum(['x', 'y', '2']);
  const other = m.datum(['x', 'z', '1']);
  t.equal(m.remove(['x', 'y', '1']), true, '1 removed');
  t.equal(m.datum(['x', 'y', '2']), ac, '2 sibling kept');
  t.equal(m.datum(['x', 'z', '1']), other, '3 cousin kept');
  t.equal(m.remove(['x', 'q', '1']), false, '4 a missing middle level is simply absent');
  t.equal(m.remove(['x', 'y', '2']), true, '5 last one under x/y');
  t.equal(m.remove(['x', 'z', '1']), true, '6 last one at all');
  t.equal(m.size, 0, '7 empty');
  const again = m.datum(['x', 'y', '1']);
  t.not(again, ab, '8 a new datum after removal');
  t.equal(again.value, 0, '9 starting from 0');
});

t.test('a metric keeps NUL-containing label sets apart', async (t) => {
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['a', 'b'] }));
  const d1 = m.datum(['a\u0000b', 'c']);
  const d2 = m.datum(['a', 'b\u0000c']);
  t.not(d1, d2, 'different datums');
  t.equal(m.datum(['a\u0000b', 'c']), d1, 'found again');
  t.equal(m.remove(['a', 'b\u0000c']), true, 'removing one');
  t.equal(m.datum(['a\u0000b', 'c']), d1, 'leaves the other');
  t.equal(m.size, 1, 'one left');
});
