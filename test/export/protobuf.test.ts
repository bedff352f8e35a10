// The protobuf exposition, read back with an independent wire reader
// (test/helpers/protowire.ts): families, labels, counter and gauge values,
// classic buckets, native buckets as spans and deltas, self families; and
// that /metrics negotiates it from Prometheus' Accept header.
import t from 'tap';
import { protobufBytes, PROTOBUF_CONTENT_TYPE } from '../../src/export/protobuf.js';
import { CONTENT_TYPES } from '../../src/export/server/scrape.js';
import { negotiateFormat } from '../../src/export/server/negotiate.js';
import { bucketKey, Metric, Store, type MetricSpec } from '../../src/metrics/index.js';
import { Msg, splitDelimited } from '../helpers/protowire.js';

function spec(over: Partial<MetricSpec>): MetricSpec {
  return { program: 'p.mtail', name: 'x', exportedName: 'x', kind: 'counter', valueType: 'int', keys: [], hidden: false, source: 'p.mtail:1:1', ...over };
}

function families(bytes: Uint8Array): Msg[] {
  return splitDelimited(bytes).map((b) => new Msg(b));
}

function labels(metric: Msg): Record<string, string> {
  return Object.fromEntries(metric.messages(1).map((l) => [l.string(1)!, l.string(2)!]));
}

t.test('counters, gauges and labels', async (t) => {
  const store = new Store();
  const c = new Metric(spec({ name: 'requests_total', exportedName: 'requests_total', keys: ['code'] }));
  store.add(c);
  c.datum(['200']).value = 7;
  c.datum(['5"0\n0']).value = 1;
  const g = new Metric(spec({ name: 'temp', exportedName: 'temp', kind: 'gauge', valueType: 'float' }));
  store.add(g);
  g.scalar().value = -1.5;
  g.scalar().time = 1700000000123;
  const fams = families(protobufBytes(store, { timestamps: true }));
  t.same(fams.map((f) => f.string(1)), ['requests_total', 'temp'], 'one family per name, sorted');
  const [req, temp] = fams as [Msg, Msg];
  t.equal(req.string(2), 'defined at p.mtail:1:1', 'help');
  t.equal(req.varint(3), 0n, 'COUNTER');
  t.equal(temp.varint(3), 1n, 'GAUGE');
  const ms = req.messages(4);
  t.same(ms.map(labels), [{ prog: 'p.mtail', code: '200' }, { prog: 'p.mtail', code: '5"0\n0' }], 'labels, raw (no text escaping)');
  t.same(ms.map((m) => m.message(3)!.double(1)), [7, 1], 'counter values');
  t.equal(temp.messages(4)[0]!.message(2)!.double(1), -1.5, 'gauge value');
  t.equal(temp.messages(4)[0]!.varint(6), 1700000000123n, 'timestamp_ms');
  t.notOk(families(protobufBytes(store))[1]!.messages(4)[0]!.has(6), 'no timestamp unless asked');
  t.same(labels(families(protobufBytes(store, { progLabel: false }))[0]!.messages(4)[0]!), { code: '200' }, 'no prog label when off');
});

t.test('histograms: classic buckets, and native ones when kept', async (t) => {
  for (const native of [false, true]) {
    const store = new Store(native ? { nativeHistograms: { schema: 3, maxBuckets: 160, zeroThreshold: 2 ** -128 } } : {});
    const h = new Metric(spec({ name: 'lat', exportedName: 'lat', kind: 'histogram', valueType: 'float', buckets: [0.5, 1, 2] }));
    store.add(h);
    const d = h.scalar();
    for (const v of [0.25, 0.25, 1, 3, 0, -2]) h.observe(d, v);
    const [fam] = families(protobufBytes(store));
    t.equal(fam!.varint(3), 4n, `${native ? 'native' : 'classic'}: HISTOGRAM`);
    const hist = fam!.messages(4)[0]!.message(7)!;
    t.equal(hist.varint(1), 6n, 'sample_count');
    t.equal(hist.double(2), 2.5, 'sample_sum');
    t.same(
      hist.messages(3).map((b) => [b.double(2), Number(b.varint(1))]),
      [[0.5, 4], [1, 5], [2, 5]],
      'cumulative classic buckets, +Inf implicit',
    );
    if (!native) {
      t.notOk(hist.has(5) || hist.has(12), 'no native fields without --native-histograms');
      continue;
    }
    t.equal(hist.sint(5), 3, 'schema');
    t.equal(hist.double(6), 2 ** -128, 'zero threshold');
    t.equal(hist.varint(7), 1n, 'zero count');
    // Expand spans and deltas back into bucket index → count.
    const expand = (spanField: number, deltaField: number): Array<[number, number]> => {
      const deltas = hist.packedSints(deltaField);
      const out: Array<[number, number]> = [];
      let index = 0;
      let count = 0;
      let k = 0;
      hist.messages(spanField).forEach((s) => {
        index += s.sint(1) ?? 0;
        for (let j = 0; j < Number(s.varint(2) ?? 0n); j++) {
          count += deltas[k++]!;
          if (count !== 0) out.push([index, count]);
          index++;
        }
      });
      return out;
    };
    t.same(expand(12, 13), [[bucketKey(0.25, 3), 2], [bucketKey(1, 3), 1], [bucketKey(3, 3), 1]], 'positive buckets');
    t.same(expand(9, 10), [[bucketKey(2, 3), 1]], 'negative bucket');
  }
});

t.test('a native histogram without observations still says it is native', async (t) => {
  const store = new Store({ nativeHistograms: { schema: 0, maxBuckets: 0, zeroThreshold: 0 } });
  store.add(new Metric(spec({ name: 'h', exportedName: 'h', kind: 'histogram', valueType: 'float', buckets: [1] })));
  const hist = families(protobufBytes(store))[0]!.messages(4)[0]!.message(7)!;
  t.same(hist.messages(12).map((s) => [s.sint(1), Number(s.varint(2))]), [[0, 0]], 'one empty positive span');
});

t.test('self families follow the store', async (t) => {
  const fams = families(
    protobufBytes(new Store(), {}, [
      { name: 'logmetrics_log_lines_total', type: 'counter', help: 'Lines read.', samples: [[{ source: '/var/log/a' }, 12]] },
      { name: 'process_open_fds', type: 'gauge', help: 'fds', samples: [[{}, 9]] },
    ]),
  );
  t.same(fams.map((f) => [f.string(1), f.varint(3)]), [['logmetrics_log_lines_total', 0n], ['process_open_fds', 1n]]);
  t.same(labels(fams[0]!.messages(4)[0]!), { source: '/var/log/a' });
  t.equal(fams[1]!.messages(4)[0]!.message(2)!.double(1), 9);
});

t.test('negotiation', async (t) => {
  const cases: Array<[string, string | undefined, string]> = [
    [
      'Prometheus 2.42 with native histograms',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'protobuf',
    ],
    ['Prometheus without native histograms', 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    ['protobuf text encoding is not served', 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', 'prometheus'],
    ['protobuf of another message is not served', 'application/vnd.google.protobuf;proto=other.Thing;encoding=delimited', 'prometheus'],
    ['protobuf ranked below text', 'text/plain;version=0.0.4,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5', 'prometheus'],
    ['no Accept', undefined, 'prometheus'],
  ];
  for (const [name, accept, want] of cases) t.equal(negotiateFormat(accept), want, name);
  t.equal(CONTENT_TYPES.protobuf, PROTOBUF_CONTENT_TYPE, 'the server names the encoder\'s content type');
});
