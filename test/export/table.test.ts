// The terminal table of `run --one-shot --format table`, and its quantile
// estimates: they must be what Prometheus's histogram_quantile() gives for the
// same buckets. Expected values are worked out by hand below (the bucket
// reasoning is in the comments) and, for the fixture, checked once more by
// the real PromQL engine through `promtool test rules`.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Store } from '../../src/metrics/index.js';
import { histogramQuantile, numberText, tableText } from '../../src/export/table.js';
import { parseExposition } from '../../src/export/textparse.js';
import { findRepoRoot, runProcess } from '../differential/corpus.js';
import { addMetric, spec } from '../metrics/helpers.js';
import { promtool, PROMTOOL_MISSING } from '../helpers/promtool.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = findRepoRoot();
const BIN = path.join(ROOT, 'bin', 'logmetrics.js');
const PROG = path.join(ROOT, 'fixtures', 'table', 'latency.mtail');
const LOG = path.join(ROOT, 'fixtures', 'table', 'latency.log');

t.test('histogramQuantile follows bucketQuantile in promql/quantile.go', async (t) => {
  // [name, q, upper bounds, non-cumulative counts with the +Inf slot last, expected]
  const cases: Array<[string, number, number[], number[], number]> = [
    // cumulative 10,30,60,85,95,100; rank 50 first reached at le=0.5 (cum 60):
    // 0.2 + (0.5-0.2) * (50-30)/(60-30) = 0.2 + 0.3*2/3 = 0.4
    ['median inside a middle bucket', 0.5, [0.1, 0.2, 0.5, 1, 2], [10, 20, 30, 25, 10, 5], 0.2 + 0.3 * (20 / 30)],
    // rank 90 first reached at le=2 (cum 95): 1 + (2-1) * (90-85)/(95-85) = 1.5
    ['p90 inside the last finite bucket', 0.9, [0.1, 0.2, 0.5, 1, 2], [10, 20, 30, 25, 10, 5], 1.5],
    // rank 99 > 95 = count at the highest finite bound: the +Inf bucket, answer 2
    ['rank in the +Inf bucket gives the highest finite bound', 0.99, [0.1, 0.2, 0.5, 1, 2], [10, 20, 30, 25, 10, 5], 2],
    // all 4 in (0, 0.1]: the lowest bucket starts at 0, so 0.1 * (0.9*4)/4 = 0.09
    ['lowest bucket interpolates from 0', 0.9, [0.1, 0.2], [4, 0, 0], 0.1 * (3.6 / 4)],
    // rank 10*0.25 = 2.5 reached exactly at le=1 (cum 5 >= 2.5): 1 * 2.5/5
    ['rank inside the first bucket', 0.25, [1, 2], [5, 5, 0], 0.5],
    // rank 5 equals the count at le=1, the first bucket reaching it: 0 + 1 * 5/5 = 1
    ['rank exactly at a bucket boundary', 0.5, [1, 2], [5, 5, 0], 1],
    // cum 2,3,3 over le=0,1,+Inf; rank 1.5 in the first bucket, whose bound 0 <= 0: answer 0
    ['lowest bound <= 0 is returned, not interpolated', 0.5, [0, 1], [2, 1, 0], 0],
    ['negative lowest bound is returned', 0.1, [-1, 0, 1], [3, 0, 0, 0], -1],
    // rank 2.7 in (0, 1] (cum 2 -> 3): 0 + 1 * (2.7-2)/1 = 0.7 (same float steps as Prometheus)
    ['bucket after a bound of 0', 0.9, [0, 1], [2, 1, 0], 0 + (1 - 0) * ((0.9 * 3 - 2) / 1)],
    // empty buckets before the rank are skipped: cum 0,0,4; rank 2 in (2,3]: 2 + 1*2/4
    ['leading empty buckets', 0.5, [1, 2, 3], [0, 0, 4, 0], 2.5],
    ['only +Inf observations: the highest finite bound', 0.5, [1, 2], [0, 0, 7], 2],
    ['no observations: NaN', 0.5, [1, 2], [0, 0, 0], NaN],
    ['no finite bound: NaN', 0.5, [], [3], NaN],
    ['q < 0: -Inf', -0.1, [1], [1, 0], -Infinity],
    ['q > 1: +Inf', 1.1, [1], [1, 0], Infinity],
    ['q NaN: NaN', NaN, [1], [1, 0], NaN],
    // q = 1: rank = total = 3, first reached at le=2 (cum 3): 1 + 1 * (3-1)/2 = 2
    ['q = 1 is the upper end of the last non-empty finite bucket', 1, [1, 2], [1, 2, 0], 2],
  ];
  for (const [name, q, bounds, counts, want] of cases) {
    const got = histogramQuantile(q, Float64Array.from(bounds), Float64Array.from(counts));
    if (Number.isNaN(want)) t.ok(Number.isNaN(got), `${name}: NaN (got ${got})`);
    else t.equal(got, want, name);
  }
});

t.test('numberText: integers in full, other numbers to 6 significant digits', async (t) => {
  const cases: Array<[string, number, string]> = [
    ['integer', 1234567, '1234567'],
    ['negative integer', -3, '-3'],
    ['fraction', 0.6125, '0.6125'],
    ['long fraction', 2 / 3, '0.666667'],
    ['float sum error hidden', 61.249999999999936, '61.25'],
    ['NaN', NaN, 'NaN'],
    ['+Inf', Infinity, '+Inf'],
    ['huge', 1e21, '1e+21'],
  ];
  for (const [name, v, want] of cases) t.equal(numberText(v), want, name);
});

/** The histogram rows of a table: name, labels text, then the numeric cells. */
function histogramRows(table: string): Map<string, string[]> {
  const lines = table.split('\n');
  const start = lines.findIndex((l) => l.startsWith('HISTOGRAM'));
  const rows = new Map<string, string[]>();
  if (start < 0) return rows;
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.startsWith('quantiles')) break;
    // Columns are separated by at least two spaces; an empty LABELS cell leaves a wider gap.
    const cells = line.split(/ {2,}/);
    const name = cells[0]!;
    const numeric = cells.slice(-5);
    const labels = cells.length > 6 ? cells[1]! : '';
    rows.set(labels === '' ? name : `${name} ${labels}`, numeric);
  }
  return rows;
}

t.test('run --one-shot --format table over fixtures/table', async (t) => {
  const r = await runProcess(process.execPath, [BIN, 'run', '--progs', PROG, '--logs', LOG, '--one-shot', '--format', 'table'], {
    ...process.env,
    TZ: 'UTC',
  });
  t.equal(r.code, 0, `exit 0 (stderr: ${r.stderr})`);
  t.notMatch(r.stdout, /\u001b\[/, 'no ANSI escapes when stdout is not a terminal');
  t.match(r.stdout, /^lines_total +route=api +100$/m, 'counter row: 100 api lines');
  t.match(r.stdout, /^lines_total +route=static +4$/m, 'counter row: 4 static lines');
  const rows = histogramRows(r.stdout);
  // [row, count, mean, p50, p90, p99], all worked out from latency.log:
  const expected: Array<[string, string, string, string, string, string]> = [
    // api: 10×0.05, 20×0.15, 30×0.3, 25×0.75, 10×1.5, 5×3 over bounds 0.1,0.2,0.5,1,2.
    // cumulative 10,30,60,85,95,100. mean = (0.5+3+9+18.75+15+15)/100 = 0.6125.
    // p50: rank 50 in (0.2,0.5]: 0.2+0.3*20/30 = 0.4. p90: rank 90 in (1,2]: 1+1*5/10 = 1.5.
    // p99: rank 99 > 95 (count at le=2): +Inf bucket, highest finite bound 2.
    ['request_seconds route=api', '100', '0.6125', '0.4', '1.5', '2'],
    // static: 0, 0.02, 0.04, 0.1: all four in (0, 0.1] (0 and the bound itself included).
    // mean 0.16/4 = 0.04. p50: 0.1*2/4 = 0.05; p90: 0.1*3.6/4 = 0.09; p99: 0.1*3.96/4 = 0.099.
    ['request_seconds route=static', '4', '0.04', '0.05', '0.09', '0.099'],
    // slow: 5, 5: both above the highest bound 2, so every quantile is 2. mean 5.
    ['request_seconds route=slow', '2', '5', '2', '2', '2'],
    // offset: declared buckets -1, 0, 1 give upper bounds 0 and 1; -0.5, -0.2 in le=0, 0.5 in (0,1].
    // cumulative 2,3,3. mean -0.2/3 = -0.0666667. p50: rank 1.5 in the first bucket,
    // whose bound 0 <= 0 is returned: 0. p90: rank 2.7 in (0,1]: 0.7. p99: rank 2.97: 0.97.
    ['clock_offset_seconds', '3', '-0.0666667', '0', '0.7', '0.97'],
    // idle: no observations: count 0, and no mean or quantiles (Prometheus: NaN).
    ['idle_seconds', '0', '-', '-', '-', '-'],
  ];
  t.equal(rows.size, expected.length, 'one row per histogram datum');
  for (const [row, ...cells] of expected) t.same(rows.get(row), cells, row);
});

t.test('the fixture quantiles are what promtool computes with histogram_quantile()', async (t) => {
  if (promtool(['--version']).missing) {
    t.fail(PROMTOOL_MISSING);
    return;
  }
  const r = await runProcess(process.execPath, [BIN, 'run', '--progs', PROG, '--logs', LOG, '--one-shot'], { ...process.env, TZ: 'UTC' });
  t.equal(r.code, 0, 'exposition of the fixture');
  const samples = parseExposition(r.stdout);
  const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
  // Group bucket samples into histograms (series without le), keeping bounds and counts in order.
  const groups = new Map<string, { name: string; labels: Record<string, string>; bounds: number[]; cumulative: number[] }>();
  for (const s of buckets) {
    const { le, ...rest } = s.labels;
    const key = `${s.name}${JSON.stringify(rest)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { name: s.name.replace(/_bucket$/, ''), labels: rest, bounds: [], cumulative: [] }));
    g.bounds.push(le === '+Inf' ? Infinity : Number(le));
    g.cumulative.push(s.value);
  }
  const series = buckets.map((s) => `      - series: '${s.name}{${labelList(s.labels)}}'\n        values: '${s.value}'`).join('\n');
  const tests: string[] = [];
  let checked = 0;
  for (const g of groups.values()) {
    const finite = g.bounds.slice(0, -1);
    const counts = g.cumulative.map((c, i) => c - (i > 0 ? g.cumulative[i - 1]! : 0));
    if (g.cumulative[g.cumulative.length - 1] === 0) continue; // NaN: promtool cannot compare it
    for (const q of [0.5, 0.9, 0.99]) {
      const ours = histogramQuantile(q, Float64Array.from(finite), Float64Array.from(counts));
      const selector = `${g.name}_bucket{${labelList(g.labels)}}`;
      tests.push(
        `      - expr: 'histogram_quantile(${q}, ${selector})'\n        eval_time: 0\n        exp_samples:\n` +
          `          - labels: '{${labelList(g.labels)}}'\n            value: ${ours}`,
      );
      checked++;
    }
  }
  t.equal(checked, 12, 'four observed histograms, three quantiles each');
  const dir = tempDir(t, 'logmetrics-table-');
  fs.writeFileSync(path.join(dir, 'empty.yml'), 'groups: []\n');
  const unit = `rule_files: [empty.yml]\ntests:\n  - interval: 1m\n    input_series:\n${series}\n    promql_expr_test:\n${tests.join('\n')}\n`;
  fs.writeFileSync(path.join(dir, 'quantiles.test.yml'), unit);
  const res = promtool(['test', 'rules', 'quantiles.test.yml'], { cwd: dir });
  t.equal(res.status, 0, `promtool agrees with every estimate:\n${res.output}`);
});

function labelList(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

t.test('table rendering of a store', async (t) => {
  const store = new Store();
  addMetric(store, spec({ name: 'hits', kind: 'counter', keys: ['path', 'host'] }), [
    [['/a', ''], 3],
    [['evil\u001b[31m\u009b', 'h'], 1],
    [['two words', 'h'], 2],
  ]);
  addMetric(store, spec({ name: 'ratio', kind: 'gauge', valueType: 'float' }), [[[], 0.125]]);
  addMetric(store, spec({ name: 'secret', kind: 'counter', hidden: true }), [[[], 9]]);
  addMetric(store, spec({ name: 'version', kind: 'text' }), [[[], '1.2 beta']]);
  addMetric(store, spec({ name: 'lat', kind: 'histogram', valueType: 'float', buckets: [1, 2] }), [[[], [0.5, 1.5, 1.5, 3]]]);

  const plain = tableText(store, {});
  t.notMatch(plain, /\u001b/, 'plain: no ESC at all, not even from a hostile label value');
  t.match(plain, /^hits +path=\/a +3$/m, 'an empty label value is left out, as Prometheus shows it');
  t.match(plain, /path="evil\\u\{1b\}\[31m\\u\{9b\}" host=h/, 'control characters in label values are escaped and quoted');
  t.match(plain, /path="two words" host=h/, 'a value with a space is quoted');
  t.match(plain, /^ratio +0\.125$/m, 'a float gauge');
  t.match(plain, /^version +"1\.2 beta"$/m, 'a text metric shows its string');
  t.notMatch(plain, /secret/, 'hidden metrics are not shown');
  // lat: counts 1, 2, 1 over le=1, le=2, +Inf; mean 6.5/4 = 1.625;
  // p50: rank 2 in (1,2] (cum 1 -> 3): 1 + 1*(2-1)/2 = 1.5; p90: rank 3.6 > 3: +Inf bucket -> 2.
  t.match(plain, /^lat +4 +1\.625 +1\.5 +2 +2$/m, 'a histogram row: count, mean, p50, p90, p99');
  t.notMatch(plain, /PROG/, 'no program column for a single program');

  const coloured = tableText(store, { color: true });
  t.match(coloured, /\u001b\[1mMETRIC/, 'colour: bold headers');
  t.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain, 'colour changes nothing but the escapes');

  addMetric(store, spec({ name: 'other', kind: 'counter', program: 'b.mtail' }), [[[], 1]]);
  t.match(tableText(store, {}), /^PROG +METRIC/m, 'a PROG column once two programs export metrics');
  t.notMatch(tableText(store, { progLabel: false }), /PROG/, '--no-prog-label drops it');
  t.equal(tableText(new Store(), {}), 'no metrics\n', 'an empty store');
});
