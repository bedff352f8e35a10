// Native histogram buckets: indexing at the edges (exact powers of the base,
// negative values, the zero bucket, infinities, subnormals), the upper bounds,
// halving the resolution, and spans/deltas.
import t from 'tap';
import { bucketKey, bucketUpperBound, NativeHistogram, schemaRelativeError, spansAndDeltas } from '../../src/metrics/index.js';
import { frexp } from '../../src/metrics/native.js';

const nextUp = (x: number): number => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  b.writeBigUInt64LE(b.readBigUInt64LE() + 1n);
  return b.readDoubleLE();
};
const nextDown = (x: number): number => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  b.writeBigUInt64LE(b.readBigUInt64LE() - 1n);
  return b.readDoubleLE();
};

t.test('frexp', async (t) => {
  const cases: Array<[number, number, number]> = [
    [1, 0.5, 1],
    [0.75, 0.75, 0],
    [8, 0.5, 4],
    [3, 0.75, 2],
    [2 ** -1074, 0.5, -1073],
    [Number.MAX_VALUE, 1 - 2 ** -53, 1024],
  ];
  for (const [v, frac, exp] of cases) t.same(frexp(v), [frac, exp], `frexp(${v})`);
});

t.test('bucketKey: upper bounds are inclusive at every schema', async (t) => {
  for (let schema = -4; schema <= 8; schema++) {
    for (const i of [-300, -17, -1, 0, 1, 2, 7, 8, 9, 100, 1000]) {
      const ub = bucketUpperBound(i, schema);
      if (!(ub > 0) || ub === Infinity) continue;
      if (bucketKey(ub, schema) !== i || bucketKey(nextUp(ub), schema) !== i + 1 || bucketKey(nextDown(ub), schema) !== i) {
        t.fail(`schema ${schema} bucket ${i}: upper bound ${ub} → ${bucketKey(ub, schema)}, next up → ${bucketKey(nextUp(ub), schema)}`);
      }
    }
  }
  t.pass('every upper bound and the double below it land in its bucket, the double above in the next one');
});

t.test('bucketKey: named cases', async (t) => {
  const cases: Array<[string, number, number, number]> = [
    ['1 is the top of bucket 0', 1, 3, 0],
    ['just above 1', nextUp(1), 3, 1],
    ['2 is the top of bucket 8 at schema 3', 2, 3, 8],
    ['0.5 at schema 3', 0.5, 3, -8],
    ['2^(1/8) rounded to a double', 2 ** (1 / 8), 3, 1],
    ['schema 0: 4 is the top of bucket 2', 4, 0, 2],
    ['schema 0: 3 is in (2, 4]', 3, 0, 2],
    ['schema -1: base 4, 4 is the top of bucket 1', 4, -1, 1],
    ['schema -1: 5 is in (4, 16]', 5, -1, 2],
    ['schema -2: base 16, 1 is bucket 0', 1, -2, 0],
    ['schema -2: 16 is the top of bucket 1', 16, -2, 1],
    ['schema -2: 17 in bucket 2', 17, -2, 2],
    ['negative values mirror positive ones', -2, 3, 8],
    ['smallest subnormal', 2 ** -1074, 0, -1074],
    ['+Inf: one above the largest double', Infinity, 0, 1025],
    ['-Inf mirrors +Inf', -Infinity, 0, 1025],
  ];
  for (const [name, v, schema, want] of cases) t.equal(bucketKey(v, schema), want, name);
});

t.test('bucketUpperBound', async (t) => {
  t.equal(bucketUpperBound(0, 3), 1);
  t.equal(bucketUpperBound(8, 3), 2);
  t.equal(bucketUpperBound(-8, 3), 0.5);
  t.equal(bucketUpperBound(3, 0), 8);
  t.equal(bucketUpperBound(-1, -2), 1 / 16);
  t.ok(Math.abs(bucketUpperBound(1, 3) - 2 ** (1 / 8)) <= Number.EPSILON, '2^(1/8)');
  t.ok(Math.abs(schemaRelativeError(3) - 0.0905077) < 1e-6, 'schema 3 grows by 9.05%');
});

t.test('observe: zero bucket, negatives, NaN', async (t) => {
  const h = new NativeHistogram({ schema: 3, maxBuckets: 0, zeroThreshold: 2 ** -128 });
  for (const v of [0, -0, 2 ** -128, -(2 ** -128), nextUp(2 ** -128), -3, 3, NaN]) h.observe(v);
  t.equal(h.zeroCount, 4, '0, -0 and ±threshold are in the zero bucket');
  t.same([...h.positive], [[bucketKey(nextUp(2 ** -128), 3), 1], [bucketKey(3, 3), 1]], 'positive buckets');
  t.same([...h.negative], [[bucketKey(3, 3), 1]], 'negative bucket of -3 mirrors 3');
  const z = new NativeHistogram({ schema: 3, maxBuckets: 0, zeroThreshold: 0 });
  z.observe(2 ** -1074);
  z.observe(0);
  t.equal(z.zeroCount, 1, 'with threshold 0 only exact zeros go to the zero bucket');
  t.equal(z.positive.size, 1, 'the smallest subnormal gets a bucket');
});

t.test('the bucket cap halves the resolution', async (t) => {
  const h = new NativeHistogram({ schema: 3, maxBuckets: 4, zeroThreshold: 2 ** -128 });
  // Five values in five different schema-3 buckets: 1, 2^(1/8)+, 2^(2/8)+, ...
  const values = [1, 1.1, 1.2, 1.3, 1.5];
  for (const v of values) h.observe(v);
  t.ok(h.schema < 3, `schema went down (now ${h.schema})`);
  t.ok(h.bucketCount <= 4, `at most 4 buckets (${h.bucketCount})`);
  let total = 0;
  for (const n of h.positive.values()) total += n;
  t.equal(total, values.length, 'no observation lost in the merge');
  // Every value is still in the bucket of its key at the new schema.
  for (const v of values) t.ok(h.positive.has(bucketKey(v, h.schema)), `${v} in bucket ${bucketKey(v, h.schema)} at schema ${h.schema}`);

  const merged = new NativeHistogram({ schema: 1, maxBuckets: 0, zeroThreshold: 0 });
  for (const k of [-3, -2, -1, 0, 1, 2, 3]) merged.positive.set(k, 1);
  merged.halveResolution();
  t.same(
    [...merged.positive].sort((a, b) => a[0] - b[0]),
    [[-1, 2], [0, 2], [1, 2], [2, 1]],
    'buckets 2j-1 and 2j become bucket j',
  );

  const floor = new NativeHistogram({ schema: -4, maxBuckets: 1, zeroThreshold: 0 });
  floor.observe(1);
  floor.observe(1e300);
  t.equal(floor.schema, -4, 'never below schema -4');
  t.equal(floor.bucketCount, 2, 'over the cap when even -4 cannot merge them');
});

t.test('spansAndDeltas', async (t) => {
  const m = new Map([[-2, 3], [-1, 1], [1, 2], [10, 5], [11, 5]]);
  const { spans, deltas } = spansAndDeltas(m);
  t.same(spans, [{ offset: -2, length: 4 }, { offset: 8, length: 2 }], 'a gap of one is filled, a gap of eight opens a span');
  t.same(deltas, [3, -2, -1, 2, 3, 0], 'counts 3 1 0 2 | 5 5 as deltas');
  t.same(spansAndDeltas(new Map()), { spans: [], deltas: [] }, 'empty');
});
