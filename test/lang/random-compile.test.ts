// Random programs through the compiler: every mix of atoms, operators, builtins, metric kinds
// and statements must end in generated code or in diagnostics, never in an exception (an
// "internal error"). Runs of this kind found a pattern as an index key (E066) and as a
// bitwise operand reaching code generation.
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { lcg } from '../helpers/random.js';

const ATOMS = [
  '$a', '$b', '$c', '$1', 'P', 'c', 'g', 'h', 't', 'm["x"]', 'm[$a]', '1', '1.5', '"s"', '/re/', 'timestamp()', 'getfilename()',
  'len($c)', 'tolower($c)', 'strtol($c, 10)', 'int($b)', 'float($a)', 'string($b)', 'bool($a)', 'settime($a)',
  'strptime($c, "2006")', 'subst("a", "b", $c)', 'subst(/a/, "b", $c)', 'json("k")', 'logfmt("k")', '($a =~ /x/)', '($c !~ P)',
  '~$a', '!$a', '-1',
];
const OPS = ['+', '-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '<', '>', '<=', '>=', '==', '!=', '&&', '||', '=~', '!~'];
const CALLS = ['len', 'tolower', 'int', 'float', 'string', 'bool', 'strtol', 'subst'];

function programs(seed: number, count: number): string[] {
  const next = lcg(seed);
  const chance = (p: number): boolean => next() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length) % items.length]!;
  const expr = (d: number): string => {
    if (d <= 0 || chance(0.3)) return pick(ATOMS);
    if (chance(0.7)) return `${expr(d - 1)} ${pick(OPS)} ${expr(d - 1)}`;
    if (chance(0.5)) return `(${expr(d - 1)})`;
    return `${pick(CALLS)}(${expr(d - 1)}${chance(0.3) ? ', ' + expr(d - 1) : ''})`;
  };
  const stmt = (d: number): string => {
    if (d > 0 && chance(0.3)) return `${expr(2)} {\n${stmt(d - 1)}\n${stmt(d - 1)}\n}${chance(0.3) ? ` else {\n${stmt(d - 1)}\n}` : ''}`;
    return pick([
      'c++', `g = ${expr(2)}`, `c += ${expr(2)}`, `h = ${expr(2)}`, `t = ${expr(2)}`, `m[${expr(1)}] = ${expr(2)}`,
      `m[${expr(1)}]++`, `del m[${expr(1)}]`, expr(2), `strptime(${expr(1)}, "2006-01-02")`, `settime(${expr(1)})`, 'stop', 'g--',
    ]);
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      'counter c\ngauge g\nhistogram h buckets 1, 2\ntext t\ngauge m by k\nconst P /p(?P<q>\\d)/\n' +
        `/(?P<a>\\d+) (?P<b>\\d+\\.\\d+) (?P<c>\\S+)/ {\n${stmt(3)}\n${stmt(2)}\n}\n` +
        // Every declaration used, so that programs get past "declared but never used".
        '/NEVER/ {\n  c++\n  g = 1\n  h = 1\n  t = "x"\n  m["k"] = 1\n}\nP {\n  c++\n}\n',
    );
  }
  return out;
}

t.test('random programs compile to code or to diagnostics, never to an exception', async (t) => {
  let generated = 0;
  const thrown: string[] = [];
  for (const source of programs(20261203, 4000)) {
    try {
      if (compile('random.mtail', source).generated) generated++;
    } catch (err) {
      if (thrown.length < 3) thrown.push(`${(err as Error).message}\n${source}`);
      else thrown.push('');
    }
  }
  t.same(thrown, [], 'no program throws');
  // A generator whose programs all fail checking would never reach code generation.
  t.ok(generated >= 400, `${generated} of 4000 reach code generation`);
});
