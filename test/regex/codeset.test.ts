import t from 'tap';
import { type CodeSet, complement, intersect, MAX_CODE_POINT, setOf, union } from '../../src/regex/codeset.js';
import { lcg } from '../helpers/random.js';

t.test('intersect agrees with its definition by complements, on random sets', async (t) => {
  const random = lcg(5);
  const point = () => (random() < 0.5 ? Math.floor(random() * 300) : Math.floor(random() * (MAX_CODE_POINT + 1)));
  const randomSet = (): CodeSet => setOf(Array.from({ length: Math.floor(random() * 6) }, () => {
    const a = point();
    const b = random() < 0.3 ? a : point();
    return [Math.min(a, b), Math.max(a, b)] as const;
  }));
  const problems: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const a = randomSet();
    const b = randomSet();
    const want = complement(union(complement(a), complement(b)));
    const got = intersect(a, b);
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${JSON.stringify(a)} ∩ ${JSON.stringify(b)}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  t.same(problems.slice(0, 5), [], `${problems.length} disagreements in 2000 pairs`);
  t.same(intersect([[0, 10]], []), [], 'with the empty set');
  t.same(intersect([[0, 5], [8, 9]], [[5, 8]]), [[5, 5], [8, 8]], 'touching ends');
});
