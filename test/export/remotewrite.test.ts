// The remote-write request body: a prompb.WriteRequest read back with an
// independent wire reader (labels sorted, external labels, empty labels left
// out, samples, native histograms), and snappy's round trip.
import t from 'tap';
import { compress, uncompress } from 'snappyjs';
import { encodeWriteRequest } from '../../src/export/push/remotewrite.js';
import { storeSeries } from '../../src/export/series.js';
import { bucketKey, Metric, Store, type MetricSpec } from '../../src/metrics/index.js';
import { Msg } from '../helpers/protowire.js';

function spec(over: Partial<MetricSpec>): MetricSpec {
  return { program: 'p.mtail', name: 'x', exportedName: 'x', kind: 'counter', valueType: 'int', keys: [], hidden: false, source: 'p.mtail:1:1', ...over };
}

function labelsOf(ts: Msg): Array<[string, string]> {
  return ts.messages(1).map((l) => [l.string(1)!, l.string(2)!]);
}

t.test('WriteRequest: series, labels and samples', async (t) => {
  const store = new Store({ nativeHistograms: { schema: 3, maxBuckets: 160, zeroThreshold: 2 ** -128 } });
  const c = new Metric(spec({ name: 'requests_total', exportedName: 'requests_total', keys: ['code', 'zone'] }));
  store.add(c);
  c.datum(['200', '']).value = 5;
  const h = new Metric(spec({ name: 'lat', exportedName: 'lat', kind: 'histogram', valueType: 'float', buckets: [1] }));
  store.add(h);
  h.observe(h.scalar(), 0.5);
  h.observe(h.scalar(), 4);
  const series = [...storeSeries(store, { progLabel: true }, [{ name: 'logmetrics_up', type: 'gauge', help: '', samples: [[{}, 1]] }])];
  const req = new Msg(encodeWriteRequest(series, 1700000000000, { site: 'x', prog: 'ignored' }));
  const ts = req.messages(1);
  t.same(
    ts.map((s) => labelsOf(s).find(([n]) => n === '__name__')![1]),
    ['lat_bucket', 'lat_bucket', 'lat_sum', 'lat_count', 'lat', 'requests_total', 'logmetrics_up'],
    'classic histogram series, the native one, the counter, the self metric',
  );
  t.same(labelsOf(ts[5]!), [['__name__', 'requests_total'], ['code', '200'], ['prog', 'p.mtail'], ['site', 'x']], 'sorted; external label added, not over an existing one; empty zone left out');
  const sample = ts[5]!.message(2)!;
  t.equal(sample.double(1), 5, 'value');
  t.equal(sample.varint(2), 1700000000000n, 'timestamp');
  t.same(labelsOf(ts[0]!).find(([n]) => n === 'le'), ['le', '1'], 'le label as Go spells it');
  t.equal(ts[1]!.message(2)!.double(1), 2, '+Inf bucket = count');
  const native = ts[4]!.message(4)!;
  t.notOk(ts[4]!.has(2), 'the native series has no float sample');
  t.equal(native.varint(1), 2n, 'count');
  t.equal(native.double(3), 4.5, 'sum');
  t.equal(native.sint(4), 3, 'schema');
  t.equal(native.varint(15), 1700000000000n, 'timestamp');
  const spans = native.messages(11).map((s) => [s.sint(1), Number(s.varint(2))]);
  t.same(spans, [[bucketKey(0.5, 3), 1], [bucketKey(4, 3) - bucketKey(0.5, 3) - 1, 1]], 'positive spans');
  t.same(native.packedSints(12), [1, 0], 'deltas');
});

t.test('snappy round trip', async (t) => {
  const inputs = [new Uint8Array(0), Buffer.from('a'), Buffer.from('abc'.repeat(10_000)), Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)];
  for (const input of inputs) {
    const packed = compress(input);
    t.same(Buffer.from(uncompress(packed)), Buffer.from(input), `${input.length} bytes back`);
  }
  t.ok(compress(Buffer.from('abc'.repeat(10_000))).length < 2000, 'repetitive input shrinks');
});
