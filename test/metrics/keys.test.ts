// Keys of string lists (series label values, store ids of (program, name)) never
// collide, whatever the strings hold, NUL and friends included.
import t from 'tap';
import { listKey, metricId } from '../../src/metrics/index.js';

t.test('named pairs that naive joining confuses', async (t) => {
  const pairs: [string, string[], string[]][] = [
    ['1 NUL inside a value vs as separator', ['a\u0000b', 'c'], ['a', 'b\u0000c']],
    ['2 escaped NUL vs its escape sequence', ['a\u0000', 'b'], ['a\u0001\u0002', 'b']],
    ['3 trailing NUL vs empty last value', ['a\u0000', ''], ['a', '\u0000']],
    ['4 escape char doubled', ['\u0001', '\u0000'], ['\u0001\u0001', '\u0000']],
    ['5 mtail-style "-" separator', ['a-', 'b'], ['a', '-b']],
    ['6 empty strings', ['', ''], ['', '\u0000']],
  ];
  for (const [name, a, b] of pairs) t.not(listKey(a), listKey(b), name);
});

t.test('injective over every list of 2 and 3 short strings from a hostile alphabet', async (t) => {
  const alphabet = ['\u0000', '\u0001', '\u0002', 'a'];
  const strings = [''];
  for (const x of alphabet) strings.push(x);
  for (const x of alphabet) for (const y of alphabet) strings.push(x + y);
  for (const arity of [2, 3]) {
    const seen = new Map<string, string>();
    let lists: string[][] = [[]];
    for (let i = 0; i < arity; i++) lists = lists.flatMap((l) => strings.map((s) => [...l, s]));
    let collisions = 0;
    for (const l of lists) {
      const key = listKey(l);
      const id = JSON.stringify(l);
      const prior = seen.get(key);
      if (prior !== undefined && prior !== id) collisions++;
      seen.set(key, id);
    }
    t.equal(collisions, 0, `arity ${arity}: ${lists.length} lists, no shared key`);
    t.equal(seen.size, lists.length, `arity ${arity}: one key per list`);
  }
});

t.test('metricId is the key of the (program, name) pair', async (t) => {
  t.equal(metricId('a.mtail', 'c'), listKey(['a.mtail', 'c']), 'same encoding');
  t.not(metricId('a\u0000b', 'c'), metricId('a', 'b\u0000c'), 'NUL inside a part vs as separator');
  t.not(metricId('a-', 'b'), metricId('a', '-b'), 'mtail-style "-" separator');
});
