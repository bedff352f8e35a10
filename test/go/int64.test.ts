// Go's int64 on JavaScript values: a number while safe, a bigint beyond, wrapping as Go does.
// Expected values are Go's (the pow ones as Debian's mtail printed them: int64(math.Pow(a, b))).
import t from 'tap';
import { pow as goPow } from '../../src/go/math.js';
import * as int64 from '../../src/go/int64.js';
import { formatInt, parseGoInt } from '../../src/go/strconv.js';

const { MAX_INT64: MAX, MIN_INT64: MIN } = int64;

t.test('results are canonical: a number exactly when the value is a safe integer', async (t) => {
  const cases: { name: string; got: int64.Int; want: int64.Int }[] = [
    { name: 'wrap of a safe bigint is a number', got: int64.wrap(42n), want: 42 },
    { name: 'wrap of 2^53 stays a bigint', got: int64.wrap(2n ** 53n), want: 2n ** 53n },
    { name: 'wrap of 2^63 is MinInt64', got: int64.wrap(2n ** 63n), want: MIN },
    { name: 'wrap of 2^64 is 0', got: int64.wrap(2n ** 64n), want: 0 },
    { name: 'add of big ints back into the safe range', got: int64.add(MAX, -MAX), want: 0 },
    { name: 'sub wraps', got: int64.sub(MIN, 1), want: MAX },
    { name: 'mul wraps', got: int64.mul(MAX, MAX), want: 1 },
    { name: 'div of numbers', got: int64.div(-9, 4), want: -2 },
    { name: 'div MinInt64 by -1', got: int64.div(MIN, -1), want: MIN },
    { name: 'mod of a bigint', got: int64.mod(MIN, 10), want: -8 },
    { name: 'and', got: int64.and(MIN, -1), want: MIN },
    { name: 'or', got: int64.or(MIN, MAX), want: -1 },
    { name: 'xor', got: int64.xor(MIN, MIN), want: 0 },
    { name: 'not', got: int64.not(MAX), want: MIN },
    { name: 'shl keeps 64 bits', got: int64.shl(3, 62), want: -4611686018427387904n },
    { name: 'shl by 64', got: int64.shl(MAX, 64), want: 0 },
    { name: 'shr by 64 of a negative', got: int64.shr(MIN, 64), want: -1 },
    { name: 'shr of a bigint into the safe range', got: int64.shr(MAX, 11), want: 4503599627370495 },
  ];
  for (const c of cases) t.equal(c.got, c.want, c.name);
});

t.test("fromFloat is Go's int64(f) on amd64", async (t) => {
  const cases: [number, int64.Int][] = [
    [2.9, 2],
    [-2.9, -2],
    [-0.5, 0],
    [2 ** 53, 2n ** 53n],
    [-(2 ** 63), MIN],
    [2 ** 63, MIN], // out of range: the "integer indefinite" value
    [1e300, MIN],
    [-Infinity, MIN],
    [NaN, MIN],
  ];
  for (const [f, want] of cases) t.equal(int64.fromFloat(f), want, `int64(${f})`);
  t.ok(Object.is(int64.fromFloat(-0.5), 0), 'never -0');
  t.equal(int64.toFloat(MAX), 2 ** 63, 'float64(MaxInt64) rounds to 2^63');
  t.equal(int64.toFloat(9007199254740993n), 9007199254740992, 'float64 rounds to even');
});

t.test("pow is int64(math.Pow(a, b)) with Go's Pow, which rounds differently from Math.pow", async (t) => {
  const cases: [int64.Int, int64.Int, int64.Int][] = [
    [2, 10, 1024],
    [-3, 3, -27],
    [10, 15, 1000000000000000],
    [2, 62, 4611686018427387904n],
    [3, 39, 4052555153018976256n],
    [7, 22, 3909821048582988288n],
    [2, 63, MIN],
    [-2, 63, MIN],
    [3, 40, MIN],
    [0, -1, MIN],
    [2, -1, 0],
    [-1, MAX, 1], // float64(MaxInt64) is 2^63, an even power
    [1, MIN, 1],
    [0, 0, 1],
  ];
  for (const [a, b, want] of cases) t.equal(int64.pow(a, b), want, `${a} ** ${b}`);
  t.not(Math.pow(7, 22), goPow(7, 22), "7 ** 22 is where V8's pow and Go's differ");
  t.equal(goPow(2, -1074), 5e-324, 'a subnormal result');
  t.equal(goPow(2, 1024), Infinity, 'overflow');
  t.equal(goPow(-0, -3), -Infinity, 'odd negative power of -0');
});

t.test('ParseInt and %d over the whole range', async (t) => {
  t.equal(parseGoInt('9223372036854775807', 10), MAX);
  t.equal(parseGoInt('-9223372036854775808', 10), MIN);
  t.equal(parseGoInt('9223372036854775808', 10), undefined, 'beyond MaxInt64: a range error');
  t.equal(parseGoInt('-8000000000000001', 16), undefined, 'below MinInt64');
  t.equal(parseGoInt('1y2p0ij32e8e7', 36), MAX, 'base 36');
  t.equal(parseGoInt('00000000000000000000042', 10), 42, 'a long safe number is a number');
  t.ok(Object.is(parseGoInt('-0', 10), 0), '-0 is 0');
  t.equal(formatInt(MIN), '-9223372036854775808');
  t.equal(formatInt(2 ** 60), '1152921504606846976', 'an unsafe number (a float) prints its digits too');
});
