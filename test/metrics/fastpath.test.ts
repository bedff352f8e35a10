import t from 'tap';
import { Metric } from '../../src/metrics/index.js';

const metric = (keys: string[], limit?: number) =>
  new Metric({ program: 'p.mtail', name: 'm', exportedName: 'm', kind: 'counter', valueType: 'int', keys, limit, hidden: false, source: 'p.mtail:1:9' });

t.test('datum1/2/3/4 name the same datum as datum([...])', async (t) => {
  const cases: [string, string[]][] = [['one key', ['a']], ['two keys', ['a', 'b']], ['three keys', ['a', 'b', 'c']], ['four keys', ['a', 'b', 'c', 'd']]];
  for (const [name, labels] of cases) {
    const m = metric(labels.map((_, i) => `k${i}`));
    const fast = (ls: string[]) =>
      ls.length === 1 ? m.datum1(ls[0]) : ls.length === 2 ? m.datum2(ls[0], ls[1]) : ls.length === 3 ? m.datum3(ls[0], ls[1], ls[2]) : m.datum4(ls[0], ls[1], ls[2], ls[3]);
    const d = fast(labels);
    t.equal(m.datum(labels), d, `${name}: datum() finds what the fast path created`);
    t.equal(fast(labels), d, `${name}: the repeated call returns it again`);
    t.equal(fast(labels.map((l) => l + 'x')) === d, false, `${name}: other labels, other datum`);
    t.equal(fast(labels), d, `${name}: back to the first labels`);
    t.equal(m.size, 2, `${name}: two datums`);
  }
});

t.test('the memo of the last datum never hands out a deleted datum', async (t) => {
  const m = metric(['k0', 'k1']);
  const d = m.datum2('a', 'b');
  d.value = 5;
  t.ok(m.remove(['a', 'b']), 'removed');
  const again = m.datum2('a', 'b');
  t.not(again, d, 'a new datum after del');
  t.equal(again.value, 0, 'starting at 0');
  t.equal(m.size, 1, 'and it is in the metric');

  const limited = metric(['k0'], 1);
  const first = limited.datum1('x');
  limited.datum1('y'); // the limit drops x
  t.not(limited.datum1('x'), first, 'a datum dropped by the limit is not handed out again');

  const expiring = metric(['k0']);
  const e = expiring.datum1('x');
  e.time = 0;
  expiring.setExpiry(['x'], 1);
  expiring.expire(10_000);
  t.not(expiring.datum1('x'), e, 'an expired datum is not handed out again');
});
