// Go's math.Pow and the pieces under it (src/go/math.ts). Agreement with mtail bit for bit is
// the differential corpus' case 82-float-pow; here: the fused multiply-add's fast path never
// answers differently from exact arithmetic, Go's special cases, and Exp and Log near V8's.
import t from 'tap';
import { lcg } from '../helpers/random.js';
import { exp, expSse, fma, fmaExact, log, pow } from '../../src/go/math.js';

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
/** The double next to x away from zero. */
function nextUp(x: number): number {
  F64[0] = x;
  U64[0] = U64[0]! + 1n;
  return F64[0]!;
}

t.test('fused multiply-add: known values, rounded once', async (t) => {
  const e = 2 ** -52;
  const cases: [string, number, number, number, number][] = [
    ['0.1 × 10 − 1 keeps the product\'s error', 0.1, 10, -1, 5.551115123125783e-17],
    ['(1 + ε)² − 1 = 2ε + ε², a tie: to even, 2ε', 1 + e, 1 + e, -1, 2 * e],
    ['(1 + ε)(1 − ε) − 1 = −ε², exact', 1 + e, 1 - e, -1, -(e * e)],
    ['(1 + ε)(1 + 2ε) − 1 = 3ε + 2ε² needs all 53 bits', 1 + e, 1 + 2 * e, -1, 3 * e + 2 * e * e],
    ['an exact zero is +0', 2, 3, -6, 0],
    ['−0 × 1 + −0 is −0', -0, 1, -0, -0],
    ['beyond the largest double: +Inf', 2 ** 600, 2 ** 500, -(2 ** 1023), Infinity],
    ['a product beyond the largest double brought back by c', 2 ** 512, 2 ** 512, -(2 ** 1023) * 1.5, 2 ** 1022],
    ['a subnormal result', 2 ** -600, 2 ** -470, 0, 2 ** -1070],
    // (1 + 2^-26)(1 - 2^-26 + 2^-52) = 1 + 2^-78: the product rounds to half an ulp of c, where a
    // second rounding would tie to even; once rounded, the 2^-78 decides.
    ['just above a midpoint: up', 1 + 2 ** -26, (1 - 2 ** -26 + 2 ** -52) * 2 ** -53, 1, 1 + 2 ** -52],
    ['just beyond a midpoint, negative: away from zero', -(1 + 2 ** -26), (1 - 2 ** -26 + 2 ** -52) * 2 ** -53, -1, -(1 + 2 ** -52)],
    ['just below the midpoint under a power of two, where doubles are twice as dense', -(1 + 2 ** -26), (1 - 2 ** -26 + 2 ** -52) * 2 ** -54, 1, 1 - 2 ** -53],
    ['NaN in, NaN out', NaN, 1, 1, NaN],
    ['∞ × 0 is NaN', Infinity, 0, 1, NaN],
  ];
  for (const [name, a, b, c, want] of cases) {
    t.ok(Object.is(fma(a, b, c), want), `${name}: fma`, { got: fma(a, b, c), want });
    t.ok(Object.is(fmaExact(a, b, c), want), `${name}: exact path`, { got: fmaExact(a, b, c), want });
  }
});

t.test('fused multiply-add: the fast path agrees with exact arithmetic', async (t) => {
  // Two draws make a full mantissa, so products have low bits to round.
  const draw = lcg(42);
  const r = () => draw() + draw() * 2 ** -31;
  const wide = () => (r() - 0.5) * 2 ** Math.floor((r() - 0.5) * 200);
  let differ = 0;
  const sample: string[] = [];
  const check = (a: number, b: number, c: number) => {
    const fast = fma(a, b, c);
    const exact = fmaExact(a, b, c);
    if (!Object.is(fast, exact)) {
      differ++;
      if (sample.length < 5) sample.push(`fma(${a}, ${b}, ${c}) = ${fast}, exactly ${exact}`);
    }
  };
  for (let i = 0; i < 100_000; i++) check(wide(), wide(), wide());
  // Near-cancellation and near-ties, where one rounding and two differ: c close to −a×b.
  for (let i = 0; i < 100_000; i++) {
    const a = 1 + r();
    const b = 1 + r();
    const p = a * b;
    const c = -p + (r() - 0.5) * p * 2 ** -(40 + Math.floor(r() * 30));
    check(a, b, c);
    check(a, b, -nextUp(p));
    check(a, b, (r() < 0.5 ? -1 : 1) * p * 2 ** -53);
  }
  // Exp's own operands: −k × ln2 parts against x, and its series.
  for (let i = 0; i < 50_000; i++) {
    const x = (r() - 0.5) * 1400;
    const k = Math.round(x * Math.LOG2E);
    check(-k, 0.6931471805596629, x);
    check(-k, 2.8235290563031577e-13, x - k * 0.6931471805596629);
  }
  t.equal(differ, 0, 'no difference in 450,000 triples', { sample });
});

t.test('Pow: Go\'s special cases, in its order', async (t) => {
  const cases: [number, number, number][] = [
    [NaN, 0, 1], // Pow(x, ±0) = 1 for any x
    [1, NaN, 1], // Pow(1, y) = 1 for any y
    [NaN, 1, NaN], // Pow(x, 1) = x
    [2, NaN, NaN],
    [0, -3, Infinity],
    [-0, -3, -Infinity], // ±Inf for y an odd integer < 0
    [-0, -Infinity, Infinity],
    [-0, Infinity, 0],
    [-0, -2, Infinity],
    [-0, 3, -0], // ±0 for y an odd integer > 0
    [-0, 2, 0],
    [-1, Infinity, 1],
    [2, Infinity, Infinity],
    [2, -Infinity, 0],
    [0.5, Infinity, 0],
    [0.5, -Infinity, Infinity],
    [Infinity, 2, Infinity],
    [Infinity, -2, 0],
    [-Infinity, 3, -Infinity], // Pow(-0, -y)
    [-Infinity, -3, -0],
    [-8, 1 / 3, NaN], // finite x < 0 and finite non-integer y
    [4, 0.5, 2],
    [4, -0.5, 0.5],
    [-2, 2 ** 64, Infinity], // a huge even exponent
    [2, -1074, 5e-324],
    [2, 1024, Infinity],
  ];
  for (const [x, y, want] of cases) t.ok(Object.is(pow(x, y), want), `Pow(${x}, ${y}) = ${want}`, { got: pow(x, y) });
  t.not(pow(7, 22), Math.pow(7, 22), "7 ** 22: repeated squaring rounds where V8's pow does not");
  t.not(pow(11.433126363639312, 13.109587371866027), Math.pow(11.433126363639312, 13.109587371866027), 'a fractional exponent: Exp and Log round otherwise');
});

t.test('Exp and Log: special cases, and within an ulp or two of V8 elsewhere', async (t) => {
  const cases: [string, number, number][] = [
    ['exp(-Inf)', exp(-Infinity), 0],
    ['exp(+Inf)', exp(Infinity), Infinity],
    ['exp(NaN)', exp(NaN), NaN],
    ['exp(710) overflows', exp(710), Infinity],
    ['exp(-710): the assembly gives 0 where V8 gives a subnormal', exp(-710), 0],
    ['exp(0)', exp(0), 1],
    ['the rounded path: exp(-Inf)', expSse(-Infinity), 0],
    ['the rounded path: exp(710) overflows', expSse(710), Infinity],
    ['the rounded path: exp(-710) is 0 too', expSse(-710), 0],
    ['the rounded path: exp(0)', expSse(0), 1],
    ['log(0)', log(0), -Infinity],
    ['log(-0)', log(-0), -Infinity],
    ['log(-1)', log(-1), NaN],
    ['log(+Inf)', log(Infinity), Infinity],
    ['log(1)', log(1), 0],
  ];
  for (const [name, got, want] of cases) t.ok(Object.is(got, want), name, { got, want });
  const draw = lcg(7);
  const r = () => draw() + draw() * 2 ** -31;
  let far = 0;
  for (let i = 0; i < 20_000; i++) {
    const x = (r() - 0.5) * 1400;
    const y = Math.exp((r() - 0.5) * 1400);
    if (Math.abs(exp(x) - Math.exp(x)) > 2 * Math.abs(nextUp(Math.exp(x)) - Math.exp(x))) far++;
    if (Math.abs(log(y) - Math.log(y)) > 2 * Math.abs(nextUp(Math.log(y)) - Math.log(y))) far++;
  }
  t.equal(far, 0, 'every value within two ulps of V8\'s');
});
