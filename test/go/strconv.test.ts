// Go's strconv as mtail's VM and exporter use it: ParseInt, ParseFloat, FormatFloat 'g'.
import t from 'tap';
import { formatGoFloat, formatInt, parseGoFloat, parseGoInt } from '../../src/go/strconv.js';

t.test("formatGoFloat spells numbers as Go's strconv.FormatFloat(v, 'g', -1, 64)", async (t) => {
  // Go's shortest %g uses exponent form for exp < -4 or exp >= 6, with a 2-digit exponent minimum.
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [100, '100'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.005, '0.005'],
    [0.25, '0.25'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [2.5e-5, '2.5e-05'],
    [-1.5, '-1.5'],
    [-2e7, '-2e+07'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, want] of cases) t.equal(formatGoFloat(v), want, `${v} -> ${want}`);
});

t.test("formatGoFloat with upper spells %G's exponent", async (t) => {
  const cases: [number, string][] = [
    [1e6, '1E+06'],
    [2.5e-5, '2.5E-05'],
    [0.5, '0.5'],
    [NaN, 'NaN'],
  ];
  for (const [v, want] of cases) t.equal(formatGoFloat(v, true), want, `${v} -> ${want}`);
});

t.test('parseGoInt follows strconv.ParseInt(s, base, 64)', async (t) => {
  // An int64 beyond 2^53 comes back as an exact bigint (src/go/int64.ts).
  const cases: { name: string; s: string; base: number; want: number | bigint | undefined }[] = [
    { name: 'decimal', s: '42', base: 10, want: 42 },
    { name: 'signed plus', s: '+5', base: 10, want: 5 },
    { name: 'signed minus', s: '-17', base: 10, want: -17 },
    { name: 'empty', s: '', base: 10, want: undefined },
    { name: 'sign only', s: '-', base: 10, want: undefined },
    { name: 'trailing garbage', s: '12a', base: 10, want: undefined },
    { name: 'float text', s: '1.5', base: 10, want: undefined },
    { name: 'hex digits in base 16', s: 'ff', base: 16, want: 255 },
    { name: 'base 36', s: 'z', base: 36, want: 35 },
    { name: 'base out of range', s: '1', base: 1, want: undefined },
    { name: 'digit beyond base', s: '8', base: 8, want: undefined },
    { name: 'base 0: hex prefix', s: '0x1F', base: 0, want: 31 },
    { name: 'base 0: binary prefix', s: '0b101', base: 0, want: 5 },
    { name: 'base 0: octal prefix', s: '0o17', base: 0, want: 15 },
    { name: 'base 0: leading zero is octal', s: '017', base: 0, want: 15 },
    { name: 'base 0: underscores', s: '1_000', base: 0, want: 1000 },
    { name: 'base 0: underscore after prefix', s: '0x_1f', base: 0, want: 31 },
    { name: 'base 0: doubled underscore', s: '1__0', base: 0, want: undefined },
    { name: 'base 0: trailing underscore', s: '10_', base: 0, want: undefined },
    { name: 'base 10: no underscores', s: '1_000', base: 10, want: undefined },
    { name: 'prefix without digits', s: '0x', base: 0, want: undefined },
    { name: 'int64 max', s: '9223372036854775807', base: 10, want: 9223372036854775807n },
    { name: 'int64 min', s: '-9223372036854775808', base: 10, want: -9223372036854775808n },
    { name: 'just past 2^53', s: '9007199254740993', base: 10, want: 9007199254740993n },
    { name: 'above int64', s: '9223372036854775808', base: 10, want: undefined },
    { name: 'below int64', s: '-9223372036854775809', base: 10, want: undefined },
    { name: 'long decimal within range', s: '1234567890123456', base: 10, want: 1234567890123456 },
  ];
  for (const c of cases) t.equal(parseGoInt(c.s, c.base), c.want, c.name);
});

t.test('parseGoFloat follows strconv.ParseFloat(s, 64)', async (t) => {
  const cases: { name: string; s: string; want: number | undefined }[] = [
    { name: 'integer', s: '3', want: 3 },
    { name: 'fraction', s: '1.5', want: 1.5 },
    { name: 'leading dot', s: '.5', want: 0.5 },
    { name: 'trailing dot', s: '5.', want: 5 },
    { name: 'exponent', s: '1e3', want: 1000 },
    { name: 'signed exponent', s: '-2.5E-2', want: -0.025 },
    { name: 'inf', s: 'inf', want: Infinity },
    { name: 'signed Infinity', s: '-Infinity', want: -Infinity },
    { name: 'hex float', s: '0x1p-2', want: 0.25 },
    { name: 'hex float with fraction', s: '0x1.8p1', want: 3 },
    { name: 'hex without p exponent', s: '0x1', want: undefined },
    { name: 'decimal underscores need a base prefix', s: '1_000', want: undefined },
    { name: 'empty', s: '', want: undefined },
    { name: 'words', s: 'abc', want: undefined },
    { name: 'space', s: ' 1', want: undefined },
    { name: 'plus sign', s: '+0.125', want: 0.125 },
    { name: 'negative zero', s: '-0', want: -0 },
    { name: 'leading zeros', s: '007.50', want: 7.5 },
    { name: 'more digits than a double holds, rounded', s: '0.1000000000000000055511151231257827', want: 0.1 },
    { name: 'a sign alone', s: '-', want: undefined },
    { name: 'a point alone', s: '.', want: undefined },
    { name: 'two points', s: '1.2.3', want: undefined },
    { name: 'a trailing space', s: '1.5 ', want: undefined },
    // Go returns ±Inf with ErrRange beyond float64's range: an error, as mtail's VM sees it.
    { name: 'beyond float64', s: '1e400', want: undefined },
    { name: 'beyond float64, negative', s: '-1e400', want: undefined },
    { name: 'hex beyond float64', s: '0x1p2000', want: undefined },
    { name: 'plain digits beyond float64', s: '1' + '0'.repeat(309), want: undefined },
    // 2^1024 - 2^970, halfway between the largest float64 and 2^1024: rounds to even, to Inf (mtail refuses it).
    { name: 'halfway above the largest float64', s: (2n ** 1024n - 2n ** 970n).toString(), want: undefined },
    { name: 'just below that halfway point', s: (2n ** 1024n - 2n ** 970n - 1n).toString(), want: Number.MAX_VALUE },
    { name: 'the largest float64', s: '1.7976931348623157e308', want: Number.MAX_VALUE },
    { name: 'underflow is no error', s: '1e-400', want: 0 },
  ];
  for (const c of cases) t.equal(parseGoFloat(c.s), c.want, c.name);
  t.ok(Number.isNaN(parseGoFloat('NaN')), 'NaN parses to NaN');
});

t.test('plain decimals: the fast path rounds exactly as Number() (correctly rounded) on every length', async (t) => {
  // A fixed generator (xorshift), so a failure names a reproducible value.
  let x = 2463534242;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  let checked = 0;
  const wrong: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const intDigits = Math.floor(next() * 12);
    const fracDigits = Math.floor(next() * 12);
    let s = next() < 0.3 ? '-' : next() < 0.1 ? '+' : '';
    for (let k = 0; k < intDigits; k++) s += Math.floor(next() * 10);
    if (fracDigits > 0 || intDigits === 0) s += '.';
    for (let k = 0; k < fracDigits; k++) s += Math.floor(next() * 10);
    if (!/\d/.test(s)) continue;
    checked++;
    if (!Object.is(parseGoFloat(s), Number(s))) wrong.push(s);
  }
  t.ok(checked > 150_000, `${checked} values checked`);
  t.same(wrong.slice(0, 5), [], 'no value differs from Number()');
  const edges = ['0.1', '0.3', '-0.0', '-0', '.5', '5.', '999999999999999', '9999999999999999', '0.000000000000000000001', '123456789012345.6', '1.7976931348623157'];
  for (const s of edges) t.ok(Object.is(parseGoFloat(s), Number(s)), `${s} parses as Number() does`);
});

t.test('formatInt spells whole numbers without an exponent', async (t) => {
  const cases: [number, string][] = [
    [0, '0'],
    [-42, '-42'],
    [2 ** 53, '9007199254740992'],
    [2 ** 60, '1152921504606846976'],
    [1e21, '1000000000000000000000'],
    [-1e21, '-1000000000000000000000'],
  ];
  for (const [v, want] of cases) t.equal(formatInt(v), want, `${v} -> ${want}`);
});
