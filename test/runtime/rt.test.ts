// The run-time helpers generated code calls: mtail's conversions, int64 arithmetic with
// Go's semantics, string builtins, the strptime memo and datum updates.
import t from 'tap';
import { Datum } from '../../src/metrics/datum.js';
import { ProgramRuntimeError, Runtime } from '../../src/runtime/rt.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';

function runtime(): Runtime {
  return new Runtime(new Strptime(UTC_ZONE, () => Date.UTC(2024, 5, 1)));
}

/** The message of the ProgramRuntimeError `f` throws, with its site, or undefined when it returns. */
function failure(f: () => unknown): [string, number] | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof ProgramRuntimeError)) throw e;
    return [e.message, e.site];
  }
}

t.test('conversions follow strconv, and a failed one is a run-time error at its site', async (t) => {
  const rt = runtime();
  const cases: { name: string; run: () => unknown; want: unknown }[] = [
    { name: 's2i decimal', run: () => rt.s2i('-42', 1), want: -42 },
    { name: 's2f exponent', run: () => rt.s2f('2.5e3', 1), want: 2500 },
    { name: 'strtol hex', run: () => rt.strtol('ff', 16, 1), want: 255 },
    { name: 'strtol base 36', run: () => rt.strtol('zz', 36, 1), want: 1295 },
    { name: 'strtol of MaxInt64 in hex is exact', run: () => rt.strtol('7fffffffffffffff', 16, 1), want: 9223372036854775807n },
    { name: 'strtol of MinInt64 in base 2', run: () => rt.strtol('-1' + '0'.repeat(63), 2, 1), want: -9223372036854775808n },
    { name: 's2i of MaxInt64 is exact', run: () => rt.s2i('9223372036854775807', 1), want: 9223372036854775807n },
    { name: 's2i beyond 2^53 is exact', run: () => rt.s2i('9007199254740993', 1), want: 9007199254740993n },
    { name: 's2i of a long but safe number is a number', run: () => rt.s2i('0009007199254740991', 1), want: 9007199254740991 },
    { name: 'i2s large int without exponent', run: () => rt.i2s(2n ** 60n), want: '1152921504606846976' },
    { name: 'i2s of MinInt64', run: () => rt.i2s(-9223372036854775808n), want: '-9223372036854775808' },
    { name: 'str of a big int', run: () => rt.str(9007199254740993n, 1), want: '9007199254740993' },
    { name: 'f2s is %g', run: () => rt.f2s(1e6), want: '1e+06' },
    { name: 'fG is %G', run: () => rt.fG(2.5e-5), want: '2.5E-05' },
    { name: 'str of a string', run: () => rt.str('x', 1), want: 'x' },
    { name: 'str of an int', run: () => rt.str(7, 1), want: '7' },
    { name: 'str of a float is %G', run: () => rt.str(1.5e-7, 1), want: '1.5E-07' },
    { name: 'intKey keeps canonical digits', run: () => rt.intKey('42', 1), want: '42' },
    { name: 'intKey drops leading zeros', run: () => rt.intKey('007', 1), want: '7' },
    { name: 'intKey keeps a sign', run: () => rt.intKey('-3', 1), want: '-3' },
    { name: 'intKey of a long number is exact', run: () => rt.intKey('1234567890123456789', 1), want: '1234567890123456789' },
    { name: 'intKey of a long number with zeros', run: () => rt.intKey('-0009223372036854775808', 1), want: '-9223372036854775808' },
  ];
  for (const c of cases) t.same(c.run(), c.want, c.name);

  const errors: { name: string; run: () => unknown; want: string }[] = [
    { name: 's2i of words', run: () => rt.s2i('x1', 3), want: 'conversion of "x1" to int failed' },
    { name: 's2f of empty', run: () => rt.s2f('', 3), want: 'conversion of "" to float failed' },
    { name: 'strtol beyond base', run: () => rt.strtol('9', 8, 3), want: 'strtol("9", 8) failed' },
    { name: 'strtol beyond int64', run: () => rt.strtol('8000000000000000', 16, 3), want: 'strtol("8000000000000000", 16) failed' },
    { name: 'strtol base 0 (mtail refuses it)', run: () => rt.strtol('017', 0, 3), want: 'strtol("017", 0): base out of range' },
    { name: 'strtol base 1', run: () => rt.strtol('1', 1, 3), want: 'strtol("1", 1) failed' },
    { name: 'strtol base 37', run: () => rt.strtol('1', 37, 3), want: 'strtol("1", 37) failed' },
    { name: 's2i beyond int64', run: () => rt.s2i('9223372036854775808', 3), want: 'conversion of "9223372036854775808" to int failed' },
    { name: 'intKey of words', run: () => rt.intKey('abc', 3), want: 'conversion of "abc" to int failed' },
    { name: 'str of an object', run: () => rt.str({}, 3), want: 'expected a string, got {}' },
    { name: 'notInt of a float', run: () => rt.notInt(1.5, 3), want: 'expected an int, got float 1.5' },
    { name: 'noMatch', run: () => rt.noMatch(3), want: 'capture group read, but its pattern did not match this line' },
  ];
  for (const c of errors) t.same(failure(c.run), [c.want, 3], c.name);
});

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

t.test('integer arithmetic is int64, as in Go: exact, wrapping, and a number while safe', async (t) => {
  const rt = runtime();
  // want is the canonical Int: a number within 2^53, a bigint beyond (t.equal tells 5 from 5n).
  const cases: { name: string; got: unknown; want: number | bigint }[] = [
    { name: 'add small', got: rt.add(2, 3), want: 5 },
    { name: 'add leaves the safe range', got: rt.add(9007199254740991, 2), want: 9007199254740993n },
    { name: 'add back into the safe range', got: rt.add(9007199254740993n, -2), want: 9007199254740991 },
    { name: 'add overflows to MinInt64', got: rt.add(MAX, 1), want: MIN },
    { name: 'add of a big and a small', got: rt.add(MAX, -7), want: MAX - 7n },
    { name: 'sub underflows to MaxInt64', got: rt.sub(MIN, 1), want: MAX },
    { name: 'sub small', got: rt.sub(2, 5), want: -3 },
    { name: 'mul small', got: rt.mul(-4, 5), want: -20 },
    { name: 'mul exact beyond 2^53', got: rt.mul(9223372036854775n, 1000), want: 9223372036854775000n },
    { name: 'mul wraps', got: rt.mul(3037000500, 3037000500), want: -9223372036709301616n },
    { name: 'mul wraps to 0', got: rt.mul(4294967296, 4294967296), want: 0 },
    { name: 'mul MaxInt64 by 2', got: rt.mul(MAX, 2), want: -2 },
    { name: 'idiv truncates toward zero', got: rt.idiv(-7, 2, 1), want: -3 },
    { name: 'idiv of a big int', got: rt.idiv(MAX, -3, 1), want: -3074457345618258602n },
    { name: 'idiv MinInt64 by -1 wraps', got: rt.idiv(MIN, -1, 1), want: MIN },
    { name: 'imod keeps the sign of the dividend', got: rt.imod(-7, 2, 1), want: -1 },
    { name: 'imod by a negative', got: rt.imod(7, -2, 1), want: 1 },
    { name: 'imod of a big int', got: rt.imod(MAX, 1000, 1), want: 807 },
    { name: 'imod MinInt64 by -1', got: rt.imod(MIN, -1, 1), want: 0 },
    { name: 'ipow', got: rt.ipow(2, 10), want: 1024 },
    { name: 'ipow 2^62', got: rt.ipow(2, 62), want: 4611686018427387904n },
    { name: 'ipow rounds as float64 (mtail: int64(math.Pow))', got: rt.ipow(3, 39), want: 4052555153018976256n },
    { name: "ipow rounds as Go's Pow, not JavaScript's", got: rt.ipow(7, 22), want: 3909821048582988288n },
    { name: 'ipow out of range is MinInt64 (amd64)', got: rt.ipow(2, 63), want: MIN },
    { name: 'ipow of 0 to a negative power is MinInt64 (+Inf)', got: rt.ipow(0, -1), want: MIN },
    { name: 'ipow to a negative power truncates', got: rt.ipow(2, -1), want: 0 },
    { name: 'f2i truncates', got: rt.f2i(-2.7), want: -2 },
    { name: 'f2i beyond 2^53', got: rt.f2i(1e18), want: 1000000000000000000n },
    { name: 'f2i of NaN is MinInt64', got: rt.f2i(NaN), want: MIN },
    { name: 'f2i out of range is MinInt64', got: rt.f2i(1e19), want: MIN },
    { name: 'and above 32 bits', got: rt.and(2 ** 40 + 1, 2 ** 40), want: 2 ** 40 },
    { name: 'and of big ints', got: rt.and(MAX, -2), want: MAX - 1n },
    { name: 'or above 32 bits', got: rt.or(2 ** 33, 1), want: 2 ** 33 + 1 },
    { name: 'or into MaxInt64', got: rt.or(MAX - 1n, 1), want: MAX },
    { name: 'xor above 32 bits', got: rt.xor(2 ** 33 + 3, 1), want: 2 ** 33 + 2 },
    { name: 'xor of -1 and a big int', got: rt.xor(-1, 9007199254740993n), want: -9007199254740994n },
    { name: 'not small', got: rt.not(0), want: -1 },
    { name: 'not above 32 bits', got: rt.not(2 ** 40), want: -(2 ** 40) - 1 },
    { name: 'not of MinInt64', got: rt.not(MIN), want: MAX },
    { name: 'shl past 32 bits', got: rt.shl(1, 40, 1), want: 2 ** 40 },
    { name: 'shl into the sign bit', got: rt.shl(1, 63, 1), want: MIN },
    { name: 'shl drops the high bits', got: rt.shl(MAX, 1, 1), want: -2 },
    { name: 'shl by 64 or more', got: rt.shl(1, 64, 1), want: 0 },
    { name: 'shr is arithmetic', got: rt.shr(-8, 1, 1), want: -4 },
    { name: 'shr of MinInt64', got: rt.shr(MIN, 1, 1), want: -4611686018427387904n },
    { name: 'shr of a negative by a lot', got: rt.shr(-1, 100, 1), want: -1 },
    { name: 'shr of a positive by a lot', got: rt.shr(2 ** 40, 100, 1), want: 0 },
  ];
  for (const c of cases) t.equal(c.got, c.want, c.name);
  // Go has no -0 int: a -0 would print as a float "-0" once converted.
  t.ok(Object.is(rt.mul(0, -5), 0), 'mul by zero is 0, not -0');
  t.ok(Object.is(rt.idiv(-1, 2, 1), 0), 'idiv toward zero is 0, not -0');
  t.ok(Object.is(rt.imod(-4, 2, 1), 0), 'imod to zero is 0, not -0');
  t.same(failure(() => rt.idiv(1, 0, 5)), ['divide by zero: 1 / 0', 5], 'idiv by zero');
  t.same(failure(() => rt.imod(MAX, 0, 5)), ['divide by zero: 9223372036854775807 % 0', 5], 'imod by zero');
  t.same(failure(() => rt.shl(1, -1, 6)), ['shift int out of range', 6], 'shl by a negative count (mtail)');
  t.same(failure(() => rt.shr(1, -1, 6)), ['shift int out of range', 6], 'shr by a negative count (mtail)');
  t.same(failure(() => rt.shl(1, 2 ** 31 - 1, 6)), ['shift int out of range', 6], 'shl by MaxInt32 (mtail)');
  t.same(failure(() => rt.shl(1, MAX, 6)), ['shift int out of range', 6], 'shl by a big int');
});

t.test('inc wraps an int datum as int64; incFloat adds floats', async (t) => {
  const rt = runtime();
  const d = new Datum([], 9007199254740990, 0);
  t.equal(rt.inc(d, 1, 5, 9), 9007199254740991, 'within the safe range: a number');
  t.equal(d.time, 5, 'the timestamp register is the time');
  t.equal(rt.inc(d, 2, NaN, 9), 9007199254740993n, 'past 2^53: exact');
  t.equal(d.value, 9007199254740993n, 'the datum holds the exact value');
  t.equal(d.time, 9, 'no timestamp: now');
  d.value = MAX;
  t.equal(rt.inc(d, 1, 1, 1), MIN, 'MaxInt64 + 1 wraps');
  t.equal(rt.inc(d, -1, 1, 1), MAX, 'and back');
  const f = new Datum([], 0.5, 0);
  t.equal(rt.incFloat(f, 1, 1, 1), 1.5, 'float add');
  f.value = 2 ** 53;
  t.equal(rt.incFloat(f, 1, 1, 1), 2 ** 53, 'a float counter stays a float (and rounds as one)');
});

t.test("cmp is mtail's compare(): a string that parses as a float is that float", async (t) => {
  const rt = runtime();
  const cases: { name: string; a: unknown; b: unknown; op: string; want: boolean }[] = [
    { name: 'numeric string against a number', a: '10', b: 9, op: '>', want: true },
    { name: 'number against a numeric string', a: 9, b: '10', op: '<', want: true },
    { name: 'two numeric strings compare as numbers', a: '10', b: '9', op: '<', want: false },
    { name: 'the same number spelt twice', a: '12.0', b: '1.2e1', op: '==', want: true },
    { name: 'a left side that is not a float: strings', a: 'abc', b: 'b', op: '<', want: true },
    { name: 'beyond float64 is not a float: strings', a: '1e400', b: 'inf', op: '<', want: true },
    { name: 'strings in Go order (UTF-8 bytes)', a: '\uff71', b: '😀', op: '<', want: true },
    { name: 'NaN: >= is not <, so it holds', a: NaN, b: 1, op: '>=', want: true },
    { name: 'NaN: <= is not >, so it holds', a: '1', b: NaN, op: '<=', want: true },
    { name: 'NaN: < does not hold', a: NaN, b: 1, op: '<', want: false },
    { name: 'equal numbers', a: 2, b: 2, op: '==', want: true },
    { name: 'not equal strings', a: 'a', b: 'b', op: '!=', want: true },
    { name: 'greater or equal', a: 1, b: 2, op: '>=', want: false },
  ];
  for (const c of cases) t.equal(rt.cmp(c.a, c.b, c.op, 1), c.want, c.name);
  t.same(failure(() => rt.cmp('x', 1, '<', 4)), ['cannot compare "x" with 1', 4], 'a non-numeric string against a number');
  t.same(failure(() => rt.cmp('-7', '2a-b', '<', 4)), ['cannot compare "-7" with "2a-b"', 4], 'a numeric string against one that is not');
  t.equal(rt.cmp(9007199254740993n, 9007199254740992, '==', 1), true, 'a big int against a float compares as float64, as mtail converts it');
  t.equal(rt.cmp('9223372036854775807', MAX, '==', 1), true, 'a string against a big int: both float64');
  t.same(failure(() => rt.cmp('x', MAX, '<', 4)), ['cannot compare "x" with 9223372036854775807', 4], 'a big int in the message');
});

t.test('string builtins follow Go strings and regexp', async (t) => {
  const rt = runtime();
  const cases: { name: string; got: unknown; want: unknown }[] = [
    { name: 'len counts UTF-8 bytes', got: rt.len('héllo'), want: 6 },
    { name: 'len of ASCII', got: rt.len('abc'), want: 3 },
    { name: 'lower ASCII', got: rt.lower('ABC'), want: 'abc' },
    { name: 'lower without a final sigma', got: rt.lower('ΑΣ'), want: 'ασ' },
    { name: 'subst all occurrences', got: rt.subst('a', 'b', 'banana'), want: 'bbnbnb' },
    { name: 'subst of empty inserts around each rune', got: rt.subst('', '-', 'ab'), want: '-a-b-' },
    { name: 'rsubst is literal', got: rt.rsubst(/o/g, '$0', 'foo'), want: 'f$0$0' },
    { name: 'rsubst skips an empty match right after a match', got: rt.rsubst(/a*/g, 'X', 'baaac'), want: 'XbXcX' },
  ];
  for (const c of cases) t.equal(c.got, c.want, c.name);
});

t.test('strptime memoises results, failures included, so a bad timestamp fails once', async (t) => {
  const rt = runtime();
  t.equal(rt.strptime('2024-01-02', '2006-01-02', 1), Date.UTC(2024, 0, 2), 'parses');
  t.equal(rt.strptime('2024-01-02', '2006-01-02', 1), Date.UTC(2024, 0, 2), 'memoised');
  const first = failure(() => rt.strptime('not a date', '2006-01-02', 7));
  t.ok(first !== undefined && first[0].startsWith('strptime("not a date", "2006-01-02") failed') && first[1] === 7, 'first failure reported at its site');
  t.ok(Number.isNaN(rt.strptime('not a date', '2006-01-02', 7)), 'repeat is NaN (unset), not an error');
  // 64 other values push the failure out of the LRU: it is reported again.
  for (let i = 0; i < 64; i++) rt.strptime(`2024-03-0${1 + Math.floor(i / 24)}T${String(i % 24).padStart(2, '0')}`, '2006-01-02T15', 1);
  t.ok(failure(() => rt.strptime('not a date', '2006-01-02', 7)) !== undefined, 'evicted failure fails again');
});

t.test('strptime answers as the 64-entry LRU of mtail would, on random runs of good and bad values', async (t) => {
  // The model: the LRU itself, every value in it, failures as NaN.
  const model = new Map<string, number>();
  const modelAsk = (value: string, parse: () => number): number | 'error' => {
    const cached = model.get(value);
    if (cached !== undefined) {
      model.delete(value);
      model.set(value, cached);
      return cached;
    }
    if (model.size >= 64) model.delete(model.keys().next().value!);
    let ms: number;
    try {
      ms = parse();
    } catch {
      model.set(value, NaN);
      return 'error';
    }
    model.set(value, ms);
    return ms;
  };
  let seed = 99;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const parser = new Strptime(UTC_ZONE, () => Date.UTC(2024, 5, 1));
  // With two layouts, a value is remembered with the answer of the layout it was first asked
  // with (mtail's LRU is keyed by the value alone); the second layout fails on days past 12.
  for (const [name, goodValues, badValues, badEvery, layouts] of [
    ['few values, bad ones often', 20, 3, 4, ['2006-01-02T15']],
    ['more good values than the LRU holds', 150, 5, 10, ['2006-01-02T15']],
    ['many bad values', 80, 90, 2, ['2006-01-02T15']],
    ['two layouts, runs of each', 20, 3, 8, ['2006-01-02T15', '2006-02-01T15']],
    ['two layouts, more values than the LRU holds', 150, 5, 20, ['2006-01-02T15', '2006-02-01T15']],
  ] as const) {
    const rt = runtime();
    model.clear();
    let answers = 0;
    let layout: string = layouts[0];
    for (let i = 0; i < 5000; i++) {
      if (rnd(4) === 0) layout = layouts[rnd(layouts.length)];
      const value = rnd(badEvery) === 0 ? `bad ${rnd(badValues)}` : `2024-03-${String(1 + (rnd(goodValues) % 28)).padStart(2, '0')}T${String(rnd(goodValues) % 24).padStart(2, '0')}`;
      const want = modelAsk(value, () => parser.parse(value, layout));
      let got: number | 'error';
      try {
        got = rt.strptime(value, layout, 1);
      } catch (e) {
        if (!(e instanceof ProgramRuntimeError)) throw e;
        got = 'error';
      }
      if (!Object.is(got, want)) {
        t.fail(`${name}: ask ${i} (${value}): got ${got}, the LRU gives ${want}`);
        break;
      }
      answers++;
    }
    t.equal(answers, 5000, `${name}: every answer as the LRU's`);
  }
});

t.test('datum updates take the timestamp register, or now when it is unset', async (t) => {
  const rt = runtime();
  const d = new Datum([], 0, 0);
  t.equal(rt.inc(d, 2, NaN, 5000), 2, 'inc returns the new value');
  t.equal(d.time, 5000, 'unset register: now');
  rt.inc(d, 1, 9000, 5000);
  t.same([d.value, d.time], [3, 9000], 'register set: its time');
  rt.set(d, 'v', NaN, 6000);
  t.same([d.value, d.time], ['v', 6000], 'set a string');
  rt.append(d, 'w', NaN, 7000);
  t.same([d.value, d.time], ['vw', 7000], 'append');
  t.equal(rt.timestamp(NaN, 12_345), 12, 'timestamp() of an unset register is now, in seconds');
  t.equal(rt.timestamp(-1, 0), -1, 'timestamp() rounds toward minus infinity');
});
