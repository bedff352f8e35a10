// Our expositions checked by the real promtool: `promtool check metrics` (the
// Prometheus text parser plus lint) and, for OpenMetrics with timestamps,
// `promtool tsdb create-blocks-from openmetrics`, which runs Prometheus's strict
// OpenMetrics parser (it requires timestamps and the # EOF).
import t from 'tap';
import { Store } from '../../src/metrics/index.js';
import { prometheusText } from '../../src/export/prometheus.js';
import { openMetricsText } from '../../src/export/openmetrics.js';
import { addMetric, spec } from '../metrics/helpers.js';
import { checkMetrics, openMetricsBlocks, promtool, PROMTOOL_MISSING as INSTALL } from '../helpers/promtool.js';
import { tempDir } from '../helpers/tempdir.js';

/** A store with every kind of sample and hostile label values. */
function kitchenSink(quoteInHelp: boolean): Store {
  const s = new Store();
  const hostile = ['a"b', 'back\\slash', 'new\nline', 'cr\rtab\t', 'nul\u0000byte', 'ünï😀', '', '} 1\n# EOF'];
  const t0 = 1_700_000_000_123;
  addMetric(s, spec({ name: 'c_plain', kind: 'counter' }));
  addMetric(
    s,
    spec({ name: 'requests', kind: 'counter', keys: ['path', 'code'] }),
    hostile.map((h, i) => [[h, String(200 + i)], i, t0 + i]),
  );
  addMetric(s, spec({ name: 'requests_total', kind: 'counter', program: 'b.mtail' }), [[[], 4, t0]]);
  addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'b.mtail' }), [[['1'], 1, t0]]);
  addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'a.mtail' }), [[['1'], 2, t0]]);
  addMetric(s, spec({ name: 'other', exportedName: 'shared', kind: 'counter', program: 'c.mtail' }), [[[], 3, t0]]);
  addMetric(s, spec({ name: 'g', exportedName: 'dash-name.x', kind: 'gauge', valueType: 'float', keys: ['k'] }), [
    [['nan'], NaN, t0],
    [['inf'], Infinity, t0],
    [['-inf'], -Infinity, t0],
    [['tiny'], 1.5e-7, t0],
    [['huge'], 1e21, t0],
  ]);
  addMetric(s, spec({ name: 'clash', kind: 'gauge', keys: ['prog'] }), [[['x'], 1, t0]]);
  addMetric(s, spec({ name: 't', kind: 'timer' }), [[[], 250, t0]]);
  addMetric(s, spec({ name: 'lat', kind: 'histogram', valueType: 'float', keys: ['le'], buckets: [0.005, 1, 1e6] }), [
    [['x'], [0, 0.001, 3, 2e6, -1], t0],
  ]);
  addMetric(s, spec({ name: 'neg', kind: 'histogram', valueType: 'float', buckets: [-1, 0, 1] }), [[[], [-2, 0.5], t0]]);
  addMetric(s, spec({ name: 'h_empty', kind: 'histogram', valueType: 'float', buckets: [1, 2] }));
  addMetric(s, spec({ name: 'hid', kind: 'counter', hidden: true }), [[[], 1, t0]]);
  addMetric(s, spec({ name: 'txt', kind: 'text' }), [[[], 'text', t0]]);
  // The help comes from a source position; make it hostile too.
  const source = quoteInHelp ? 'we"ird\\\nfile.mtail:1:1' : 'we\\ird\nfile.mtail:1:1';
  addMetric(s, spec({ name: 'odd_source', kind: 'gauge', source }), [[[], 1, t0]]);
  return s;
}

const variants = [
  { name: 'prog label, no timestamps', opts: { progLabel: true, timestamps: false } },
  { name: 'prog label, timestamps', opts: { progLabel: true, timestamps: true } },
  { name: 'no prog label, no timestamps', opts: { progLabel: false, timestamps: false } },
  { name: 'no prog label, timestamps', opts: { progLabel: false, timestamps: true } },
];

t.test('Prometheus text passes promtool check metrics', async (t) => {
  const store = kitchenSink(true);
  for (const v of variants) {
    const r = checkMetrics(prometheusText(store, v.opts));
    if (r.missing) return void t.fail(INSTALL);
    t.same(r.problems, [], `${v.name}: no parse error, no unexpected lint`);
    t.not(r.status, 1, `${v.name}: promtool did not fail (exit ${r.status}; 3 means lint only)`);
  }
});

// The 0.0.4 parser reads OpenMetrics without timestamps too, except a HELP with a
// quote: OpenMetrics must escape it as \" and 0.0.4 knows no such escape. So
// this store keeps quotes out of the sources; the strict parser below gets them.
t.test('OpenMetrics without timestamps passes promtool check metrics', async (t) => {
  const store = kitchenSink(false);
  for (const v of variants.filter((x) => !x.opts.timestamps)) {
    const r = checkMetrics(openMetricsText(store, v.opts));
    if (r.missing) return void t.fail(INSTALL);
    t.same(r.problems, [], `${v.name}: no parse error, no unexpected lint`);
    t.not(r.status, 1, `${v.name}: promtool did not fail (exit ${r.status}; 3 means lint only)`);
  }
});

t.test("OpenMetrics with timestamps passes Prometheus's OpenMetrics parser (promtool tsdb)", async (t) => {
  const store = kitchenSink(true);
  const dir = tempDir(t, 'logmetrics-promtool-');
  for (const [i, v] of variants.filter((x) => x.opts.timestamps).entries()) {
    const text = openMetricsText(store, v.opts);
    const r = openMetricsBlocks(dir, `om${i}`, text);
    if (r.missing) return void t.fail(INSTALL);
    t.equal(r.status, 0, `${v.name}: parsed and written as blocks`);
    t.notMatch(r.output, /error|expected|invalid/i, `${v.name}: no parser complaint`);
    const read = r.samples;
    const ours = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    t.equal(read, ours, `${v.name}: promtool read every one of our ${ours} samples`);
  }
});

t.test('negative controls: promtool does reject broken exposition', async (t) => {
  const repeated = '# TYPE x gauge\nx 1\n# TYPE x gauge\nx{a="b"} 1\n';
  const r = promtool(['check', 'metrics'], { input: repeated });
  if (r.missing) {
    t.fail(INSTALL);
    return;
  }
  t.equal(r.status, 1, 'a family repeated in text format fails check metrics');
  t.match(r.output, /second TYPE line/, 'with the reason');
  const om = openMetricsBlocks(tempDir(t, 'logmetrics-promtool-'), 'no-eof', '# TYPE x gauge\nx 1 1\n');
  t.not(om.status, 0, 'OpenMetrics without # EOF fails the OpenMetrics parser');
});
