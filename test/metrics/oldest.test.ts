// `limit N` through the heap of ages (metrics/oldest.ts): the datum it drops is the one a scan
// of every datum would drop (oldest time, first inserted among equals), whatever the updates
// did to times in between, and the heap stays bounded.
import t from 'tap';
import { lcg } from '../helpers/random.js';
import { Metric } from '../../src/metrics/index.js';
import { spec } from './helpers.js';

/** The rule as the old code applied it: scan in insertion order, strictly older wins. */
class Reference {
  readonly rows: { k: string; time: number }[] = [];
  constructor(readonly limit: number) {}
  private dropOldest(): void {
    let at = -1;
    for (let i = 0; i < this.rows.length; i++) if (at === -1 || this.rows[i]!.time < this.rows[at]!.time) at = i;
    if (at !== -1) this.rows.splice(at, 1);
  }
  /** Before a new series `k` is created. */
  makeRoom(): void {
    while (this.limit > 0 && this.rows.length >= this.limit) this.dropOldest();
  }
  trim(): void {
    while (this.rows.length > this.limit) this.dropOldest();
  }
  find(k: string) {
    return this.rows.find((r) => r.k === k);
  }
}

const keysOf = (m: Metric) => [...m.datums()].map((d) => `${d.labels[0]}@${d.time}`);
const keysOfRef = (r: Reference) => r.rows.map((row) => `${row.k}@${row.time}`);

t.test('random updates, deletes and new series: the heap drops what a scan would', async (t) => {
  const cases = [
    { name: 'limit 1', limit: 1, keys: 6, span: 5 },
    { name: 'limit 3, many ties', limit: 3, keys: 10, span: 3 },
    { name: 'limit 8', limit: 8, keys: 30, span: 50 },
    { name: 'limit 50, few ties', limit: 50, keys: 200, span: 100_000 },
  ];
  for (const c of cases) {
    for (let seed = 1; seed <= 25; seed++) {
      const r = lcg(seed * 7919 + c.limit);
      const m = new Metric(spec({ name: 'm', kind: 'counter', keys: ['k'], limit: c.limit }));
      const ref = new Reference(c.limit);
      let failedAt = -1;
      for (let step = 0; step < 600 && failedAt === -1; step++) {
        const k = `k${Math.floor(r() * c.keys)}`;
        const op = r();
        if (op < 0.08) {
          // del m[k]
          m.remove([k]);
          const at = ref.rows.findIndex((row) => row.k === k);
          if (at !== -1) ref.rows.splice(at, 1);
        } else if (op < 0.1) {
          m.trimToLimit();
          ref.trim();
        } else {
          // An update: times rise and fall (lines of several logs, settime, strptime of old lines).
          if (ref.find(k) === undefined) ref.makeRoom();
          const d = m.datum([k]);
          const time = Math.floor(r() * c.span);
          d.time = time;
          const row = ref.find(k);
          if (row === undefined) ref.rows.push({ k, time });
          else row.time = time;
        }
        if (keysOf(m).join() !== keysOfRef(ref).join()) failedAt = step;
      }
      if (failedAt !== -1) {
        t.fail(`${c.name}, seed ${seed}: differs from the scan at step ${failedAt}`, { found: keysOf(m), wanted: keysOfRef(ref) });
      }
    }
    t.pass(`${c.name}: 25 seeds × 600 steps agree with the scan`);
  }
});

t.test('hand-picked paths through the heap', async (t) => {
  const counter = (limit: number) => new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'], limit }));
  const labels = (m: Metric) => [...m.datums()].map((d) => d.labels[0]);

  const fell = counter(3);
  fell.datum(['a']).time = 10;
  fell.datum(['b']).time = 20;
  fell.datum(['c']).time = 30;
  fell.datum(['d']).time = 40; // the heap is built here; a goes
  fell.datum(['c']).time = 5; // below every other entry, while c's own entry says 30
  fell.datum(['e']).time = 50;
  t.same(labels(fell), ['b', 'd', 'e'], '1 a time that fell below the rest is dropped first');

  const rose = counter(2);
  rose.datum(['a']).time = 10;
  rose.datum(['b']).time = 20;
  rose.datum(['c']).time = 30; // heap built: a goes
  rose.datum(['b']).time = 100; // b's entry (20) is now below its time
  rose.datum(['d']).time = 40;
  t.same(labels(rose), ['b', 'd'], '2 a time that rose moves its datum back: c went, not b');

  const ties = counter(2);
  for (const k of ['a', 'b', 'c']) ties.datum([k]).time = 7;
  ties.datum(['b']).time = 7; // rewritten, same time: b keeps its place after a
  ties.datum(['d']).time = 7;
  t.same(labels(ties), ['c', 'd'], '3 equal times: the first inserted goes, then the next');

  const deleted = counter(2);
  deleted.datum(['a']).time = 1;
  deleted.datum(['b']).time = 2;
  deleted.datum(['c']).time = 3; // a goes
  deleted.remove(['b']);
  deleted.datum(['b']).time = 0; // b again, as a new series with the oldest time
  deleted.datum(['d']).time = 4;
  t.same(labels(deleted), ['c', 'd'], '4 a datum deleted and created again is judged by its new time');

  const dead = counter(1);
  const first = dead.datum(['a']);
  first.time = 100;
  dead.datum(['b']).time = 200; // a goes
  first.time = 1; // an update to a datum that is no longer in the metric
  dead.datum(['c']).time = 300;
  t.same(labels(dead), ['c'], '5 a dropped datum whose time falls is not dropped again in place of a live one');
});

t.test('a reloaded program adopts datums from a metric that had built its heap', async (t) => {
  const old = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'], limit: 2 }));
  old.datum(['a']).time = 10;
  old.datum(['b']).time = 20;
  old.datum(['c']).time = 30; // old builds its heap, a goes
  const next = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'], limit: 2 }));
  next.adoptDatums(old);
  const b = next.datum(['b']);
  b.time = 1; // lowered after the move
  next.datum(['d']).time = 40;
  t.same(
    [...next.datums()].map((d) => d.labels[0]),
    ['c', 'd'],
    'the adopted datum answers to the new metric: b, now the oldest, went',
  );
});

t.test('attack: a flood of new series and falling times keeps the heap bounded', async (t) => {
  const limit = 1000;
  const m = new Metric(spec({ name: 'c', kind: 'counter', keys: ['k'], limit }));
  const ref = new Reference(limit);
  const ages = () => (m as unknown as { ages: { entries: number } | undefined }).ages;
  let most = 0;
  for (let i = 0; i < 50_000; i++) {
    // Every line a new series, and every other line lowers the time it was given.
    const k = `host-${i}`;
    ref.makeRoom();
    m.datum([k]).time = 1_000_000 - i;
    ref.rows.push({ k, time: 1_000_000 - i });
    if (i % 2 === 0) {
      m.datum([k]).time = i;
      ref.find(k)!.time = i;
    }
    most = Math.max(most, ages()?.entries ?? 0);
  }
  t.equal(m.size, limit, 'the limit holds');
  t.same(keysOf(m), keysOfRef(ref), 'the survivors are the ones a scan would have kept');
  t.ok(ages() !== undefined, 'the heap was built');
  t.ok(most <= 2 * limit + 64 + 1, `the heap never held more than 2 × limit + 64 entries (most: ${most})`);
});
