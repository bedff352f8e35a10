// Native histograms end to end: a Prometheus started with
// --enable-feature=native-histograms scrapes logmetrics --native-histograms
// (negotiating the protobuf exposition) while a log of known durations flows.
// histogram_quantile(0.99, sum(rate(x[1m]))) on the native series must lie
// within the schema's relative error of the true 0.99 quantile of the log,
// and histogram_count / histogram_sum must equal the classic _count / _sum.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { histogramQuantile } from '../../src/export/table.js';
import { schemaRelativeError } from '../../src/metrics/index.js';
import { get, runArgs, startDaemon, tempDir, valueOf, waitUntil } from '../daemon/helpers.js';
import { parseExposition } from '../helpers/promtext.js';
import { scalarOf, startPrometheus } from './peers.js';

const BOUNDS = [0.1, 0.25, 0.5, 1, 2.5, 5];
const PROGRAM = `histogram latency_seconds buckets ${BOUNDS.join(', ')}
/^req (?P<secs>\\d+\\.\\d+)$/ {
  latency_seconds = $secs
}
`;

// One cycle: 100 distinct durations, 10 ms growing by 5% a step (10 ms to 1.25 s).
// Whole cycles are appended at once, so every scrape sees whole cycles and the
// observations in any window are copies of the cycle.
const CYCLE = Array.from({ length: 100 }, (_, k) => (0.01 * 1.05 ** k).toFixed(6));
const CYCLES_PER_SECOND = 5;
const DRIVE_MS = 70_000; // the 1m window must lie wholly inside the time lines flowed
const SCHEMA = 3;

const CONFIG = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: logmetrics
    static_configs:
      - targets: ['127.0.0.1:@LOGMETRICS_PORT@']
`;

t.test('Prometheus scrapes native histograms over protobuf', async (t) => {
  const dir = tempDir(t, 'native');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'latency.mtail'), PROGRAM);
  const log = join(dir, 'latency.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--native-histograms', '--native-histograms.schema', String(SCHEMA)));

  const protobuf = await get(d.url('/metrics'), {
    headers: { Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3' },
  });
  t.match(String(protobuf.headers['content-type']), /^application\/vnd\.google\.protobuf; proto=io\.prometheus\.client\.MetricFamily; encoding=delimited/, 'protobuf served when asked for');

  const prom = await startPrometheus(t, dir, {
    config: CONFIG.replace('@LOGMETRICS_PORT@', String(d.port)),
    flags: ['--enable-feature=native-histograms'],
  });
  await waitUntil(
    () => `Prometheus to scrape logmetrics; it said:\n${prom.peer.output()}`,
    async () => ((await prom.query('up{job="logmetrics"} == 1')).length === 1 ? true : undefined),
    90_000,
    500,
  );

  const t0 = Date.now();
  let cycles = 0;
  const drive = setInterval(() => {
    const due = Math.floor(((Math.min(Date.now(), t0 + DRIVE_MS) - t0) * CYCLES_PER_SECOND) / 1000);
    for (; cycles < due; cycles++) appendFileSync(log, CYCLE.map((v) => `req ${v}\n`).join(''));
  }, 50);
  t.teardown(() => clearInterval(drive));
  await waitUntil('the lines to flow for 70 s', () => (Date.now() >= t0 + DRIVE_MS + 1500 ? true : undefined), DRIVE_MS + 30_000, 500);
  clearInterval(drive);
  const lines = cycles * CYCLE.length;
  const at = (t0 + DRIVE_MS) / 1000;

  // The true 0.99 quantile: the smallest duration with at least 99% of the log at or below it.
  const sorted = CYCLE.map(Number).sort((a, b) => a - b);
  const truth = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  const bound = schemaRelativeError(SCHEMA);
  const native = await scalarOf(prom, 'histogram_quantile(0.99, sum(rate(latency_seconds[1m])))', at);
  const error = Math.abs(native - truth) / truth;
  t.ok(error <= bound, `native p99 ${native.toFixed(6)} vs true ${truth}: relative error ${(error * 100).toFixed(2)}% <= ${(bound * 100).toFixed(2)}% (schema ${SCHEMA})`);
  // What the classic buckets give for the same observations, for comparison.
  const counts = new Array<number>(BOUNDS.length + 1).fill(0);
  for (const v of sorted) counts[BOUNDS.findIndex((b) => v <= b) === -1 ? BOUNDS.length : BOUNDS.findIndex((b) => v <= b)]!++;
  const classic = histogramQuantile(0.99, BOUNDS, counts);
  t.comment(`p99: true ${truth}, native ${native.toFixed(6)} (error ${(error * 100).toFixed(2)}%, bound ${(bound * 100).toFixed(2)}%), classic buckets ${classic.toFixed(6)} (error ${((Math.abs(classic - truth) / truth) * 100).toFixed(1)}%)`);

  // Count and sum: once every line is in, the native series must carry the classic _count and _sum.
  const samples = await d.waitForSamples(`latency_seconds_count == ${lines}`, (s) => valueOf(s, 'latency_seconds_count') === lines);
  const classicCount = valueOf(samples, 'latency_seconds_count')!;
  const classicSum = valueOf(samples, 'latency_seconds_sum')!;
  const count = await waitUntil(
    'Prometheus to scrape the final count',
    async () => {
      const r = await prom.query('histogram_count(latency_seconds)');
      return r.length === 1 && Number(r[0]!.value[1]) === lines ? Number(r[0]!.value[1]) : undefined;
    },
    30_000,
    500,
  );
  t.equal(count, classicCount, `histogram_count = classic _count = ${lines} lines`);
  const sum = await scalarOf(prom, 'histogram_sum(latency_seconds)');
  t.equal(sum, classicSum, `histogram_sum = classic _sum (${classicSum})`);
  const expectedSum = CYCLE.reduce((a, v) => a + Number(v), 0) * cycles;
  t.ok(Math.abs(sum - expectedSum) <= 1e-9 * expectedSum, `the sum is the log's (${expectedSum.toFixed(3)})`);

  // The text exposition is unchanged by --native-histograms: classic buckets only.
  const text = parseExposition((await get(d.url('/metrics'), { headers: { Accept: 'text/plain' } })).body);
  t.equal(text.filter((s) => s.name === 'latency_seconds_bucket').length, BOUNDS.length + 1, 'text: the classic buckets and +Inf');

  await prom.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
