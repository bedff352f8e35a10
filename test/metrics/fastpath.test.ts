import t from 'tap';
import { Metric, Store } from '../../src/metrics/index.js';

const metric = (keys: string[], limit?: number) =>
  new Metric({ program: 'p.mtail', name: 'm', exportedName: 'm', kind: 'counter', valueType: 'int', keys, limit, hidden: false, source: 'p.mtail:1:9' });

t.test('datum1..datum6 name the same datum as datum([...])', async (t) => {
  const cases: [string, string[]][] = [
    ['one key', ['a']],
    ['two keys', ['a', 'b']],
    ['three keys', ['a', 'b', 'c']],
    ['four keys', ['a', 'b', 'c', 'd']],
    ['five keys', ['a', 'b', 'c', 'd', 'e']],
    ['six keys', ['a', 'b', 'c', 'd', 'e', 'f']],
  ];
  for (const [name, labels] of cases) {
    const m = metric(labels.map((_, i) => `k${i}`));
    const fast = (ls: string[]) => {
      const [a, b, c, d, e, f] = ls as [string, string, string, string, string, string];
      switch (ls.length) {
        case 1: return m.datum1(a);
        case 2: return m.datum2(a, b);
        case 3: return m.datum3(a, b, c);
        case 4: return m.datum4(a, b, c, d);
        case 5: return m.datum5(a, b, c, d, e);
        default: return m.datum6(a, b, c, d, e, f);
      }
    };
    const d = fast(labels);
    t.equal(m.datum(labels), d, `${name}: datum() finds what the fast path created`);
    t.equal(fast(labels), d, `${name}: the repeated call returns it again`);
    t.equal(fast(labels.map((l) => l + 'x')) === d, false, `${name}: other labels, other datum`);
    t.equal(fast(labels), d, `${name}: back to the first labels`);
    t.equal(m.size, 2, `${name}: two datums`);
    const lastOther = [...labels.slice(0, -1), 'z'];
    t.equal(fast(lastOther), m.datum(lastOther), `${name}: only the last label differs: the datum datum() names`);
    t.not(fast(lastOther), d, `${name}: which is another one`);
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

t.test('after(prev) names the datum datum() names for prev\'s labels, and never a deleted one', async (t) => {
  const lead = metric(['k0', 'k1']);
  const follow = metric(['k0', 'k1']);
  const other = metric(['k0', 'k1']);
  const p = lead.datum2('a', 'b');
  const d = follow.after(p);
  t.equal(follow.datum(['a', 'b']), d, 'the same datum as a lookup');
  t.equal(follow.after(p), d, 'found again through the link');
  t.equal(p.link, d, 'the link is kept on prev');
  t.equal(other.after(p), other.datum(['a', 'b']), 'another metric asking gets its own datum');
  t.equal(follow.after(p), d, 'and the first one still gets its own (relinked)');
  t.equal(follow.after(lead.datum2('a', 'c')), follow.datum(['a', 'c']), 'other labels, other datum');

  t.ok(follow.remove(['a', 'b']), 'del of the linked datum');
  const again = follow.after(p);
  t.not(again, d, 'a deleted datum is not handed out through the link');
  t.equal(again.value, 0, 'a new one starts at 0');
  t.equal(follow.datum(['a', 'b']), again, 'and it is the one in the metric');

  const limited = metric(['k0', 'k1'], 1);
  const first = limited.after(p);
  limited.datum2('x', 'y'); // the limit drops the linked datum
  t.not(limited.after(p), first, 'a datum dropped by the limit is not handed out again');
  t.equal(limited.size, 1, 'the limit holds');

  const expiring = metric(['k0', 'k1']);
  const e = expiring.after(p);
  e.time = 0;
  expiring.setExpiry(['a', 'b'], 1);
  expiring.expire(10_000);
  t.not(expiring.after(p), e, 'an expired datum is not handed out again');
});

t.test('after(prev) never keeps a datum a series cap refused', async (t) => {
  const store = new Store({ series: { maxPerMetric: 1, maxTotal: 0, onFirstRefusal: () => undefined } });
  const lead = new Metric({ program: 'p.mtail', name: 'lead', exportedName: 'lead', kind: 'counter', valueType: 'int', keys: ['k0'], hidden: false, source: 'p.mtail:1:9' });
  const capped = new Metric({ program: 'p.mtail', name: 'capped', exportedName: 'capped', kind: 'counter', valueType: 'int', keys: ['k0'], hidden: false, source: 'p.mtail:2:9' });
  store.add(lead);
  store.add(capped);
  capped.datum1('taken');
  const p = lead.datum1('new');
  const refused = capped.after(p);
  t.equal(refused.live, false, 'refused: not in the metric');
  t.equal(capped.after(p).live, false, 'asked again while the cap holds: still not stored');
  t.equal(capped.size, 1, 'the metric holds only the series it had');
  t.ok(capped.remove(['taken']), 'a place frees up');
  const admitted = capped.after(p);
  t.equal(admitted.live, true, 'now it is stored');
  t.equal(capped.datum(['new']), admitted);
});

t.test('via1..via4 name the datum datum() names, through a slot of another datum, and never a deleted one', async (t) => {
  const lead = metric(['k0', 'k1', 'k2', 'k3', 'k4']);
  const p = lead.datum(['a', 'b', 'c', 'd', 'e']);
  const cases: [string, string[]][] = [['via1', ['b']], ['via2', ['a', 'c']], ['via3', ['e', 'a', 'b']], ['via4', ['d', 'c', 'b', 'a']]];
  for (const [name, labels] of cases) {
    const m = metric(labels.map((_, i) => `k${i}`));
    const slot = labels.length + 3;
    const via = (prev = p) =>
      labels.length === 1
        ? m.via1(prev, slot, labels[0])
        : labels.length === 2
          ? m.via2(prev, slot, labels[0], labels[1])
          : labels.length === 3
            ? m.via3(prev, slot, labels[0], labels[1], labels[2])
            : m.via4(prev, slot, labels[0], labels[1], labels[2], labels[3]);
    const d = via();
    t.equal(m.datum(labels), d, `${name}: the datum a lookup finds`);
    t.equal(p.links?.[slot], d, `${name}: kept in the slot`);
    t.equal(via(), d, `${name}: found again through it`);
    t.equal(p.links?.length, slot + 1, `${name}: the other slots stay empty`);

    t.ok(m.remove(labels), `${name}: del of the linked datum`);
    const again = via();
    t.not(again, d, `${name}: a deleted datum is not handed out through the slot`);
    t.equal(m.datum(labels), again, `${name}: the new one is the one in the metric`);
    t.equal(p.links?.[slot], again, `${name}: and the slot keeps it`);
  }

  const limited = metric(['k0'], 1);
  const first = limited.via1(p, 0, 'a');
  limited.datum1('x'); // the limit drops the linked datum
  t.not(limited.via1(p, 0, 'a'), first, 'a datum dropped by the limit is not handed out again');
  t.equal(limited.size, 1, 'the limit holds');

  const expiring = metric(['k0']);
  const e = expiring.via1(p, 1, 'a');
  e.time = 0;
  expiring.setExpiry(['a'], 1);
  expiring.expire(10_000);
  t.not(expiring.via1(p, 1, 'a'), e, 'an expired datum is not handed out again');
});

t.test('a datum that enters a metric (a reloaded program adopting it) loses its slots', async (t) => {
  const spec = { program: 'p.mtail', name: 'lead', exportedName: 'lead', kind: 'counter' as const, valueType: 'int' as const, keys: ['k0', 'k1'], hidden: false, source: 'p.mtail:1:9' };
  const before = new Metric(spec);
  const p = before.datum2('a', 'b');
  metric(['k0']).via1(p, 0, 'a');
  t.equal(p.links?.length, 1, 'the old program\'s code filled a slot');
  const after = new Metric(spec);
  after.adoptDatums(before);
  t.equal(after.datum2('a', 'b'), p, 'the reloaded metric holds the same datum');
  t.equal(p.links, undefined, 'without the slots, which the new code numbers otherwise');
});

t.test('via1 never keeps a datum a series cap refused', async (t) => {
  const store = new Store({ series: { maxPerMetric: 1, maxTotal: 0, onFirstRefusal: () => undefined } });
  const lead = new Metric({ program: 'p.mtail', name: 'lead', exportedName: 'lead', kind: 'counter', valueType: 'int', keys: ['k0', 'k1'], hidden: false, source: 'p.mtail:1:9' });
  const capped = new Metric({ program: 'p.mtail', name: 'capped', exportedName: 'capped', kind: 'counter', valueType: 'int', keys: ['k0'], hidden: false, source: 'p.mtail:2:9' });
  store.add(lead);
  store.add(capped);
  capped.datum1('taken');
  const p = lead.datum2('new', 'x');
  t.equal(capped.via1(p, 0, 'new').live, false, 'refused: not in the metric');
  t.equal(capped.via1(p, 0, 'new').live, false, 'asked again while the cap holds: still not stored');
  t.equal(capped.size, 1, 'the metric holds only the series it had');
  t.ok(capped.remove(['taken']), 'a place frees up');
  const admitted = capped.via1(p, 0, 'new');
  t.equal(admitted.live, true, 'now it is stored');
  t.equal(capped.datum(['new']), admitted);
});
