// Remote write end to end, against the real receivers: a Prometheus with
// --web.enable-remote-write-receiver (and native histograms) and a
// VictoriaMetrics. logmetrics pushes every second; what the receivers answer
// through their query APIs must be the log's true counts. Then the receiver
// goes away for a while: nothing is lost while the queue has room, and with a
// tiny queue the drops are counted.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, runArgs, startDaemon, tempDir, valueOf, waitUntil, type Daemon } from '../daemon/helpers.js';
import { startPrometheus, startVictoriaMetrics, type QueryServer } from './peers.js';

const PROGRAM = `counter requests_total by code
histogram latency_seconds buckets 0.1, 0.5, 1
/^req (?P<code>\\d+) (?P<secs>\\d+\\.\\d+)$/ {
  requests_total[$code]++
  latency_seconds = $secs
}
`;

const RECEIVER = `global:
  scrape_interval: 1m
`;

/** Lines `from` to `to` (exclusive): codes cycle 200, 200, 404, 500; durations cycle 0.05, 0.3, 0.7, 2.0. */
function lines(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += `req ${[200, 200, 404, 500][i % 4]} ${['0.05', '0.3', '0.7', '2.0'][i % 4]}\n`;
  return s;
}

function trueCount(n: number, code: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if ([200, 200, 404, 500][i % 4] === code) c++;
  return c;
}

/** Waits until `expr` (one series) equals `want` on the receiver. */
async function waitForValue(server: QueryServer, name: string, expr: string, want: number, timeoutMs = 60_000): Promise<number> {
  let last: unknown;
  return waitUntil(
    () => `${name}: ${expr} == ${want} (last answer ${JSON.stringify(last)})`,
    async () => {
      const r = await server.query(expr);
      last = r;
      return r.length === 1 && Number(r[0]!.value[1]) === want ? want : undefined;
    },
    timeoutMs,
    250,
  );
}

async function selfMetric(d: Daemon, name: string, url: string): Promise<number> {
  return valueOf(await d.samples(), name, { url }) ?? NaN;
}

t.test('remote write to Prometheus and VictoriaMetrics', async (t) => {
  const dir = tempDir(t, 'remote-write');
  mkdirSync(join(dir, 'progs'));
  mkdirSync(join(dir, 'prom'));
  mkdirSync(join(dir, 'vm'));
  writeFileSync(join(dir, 'progs', 'req.mtail'), PROGRAM);
  const log = join(dir, 'req.log');
  writeFileSync(log, '');

  const prom = await startPrometheus(t, join(dir, 'prom'), { config: RECEIVER, flags: ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms'] });
  const vm = await startVictoriaMetrics(t, join(dir, 'vm'));
  const promUrl = `http://127.0.0.1:${prom.port}/api/v1/write`;
  const vmUrl = `http://127.0.0.1:${vm.port}/api/v1/write`;
  const d = await startDaemon(
    t,
    runArgs(join(dir, 'progs'), [log], '--native-histograms', '--remote-write.url', promUrl, '--remote-write.url', vmUrl, '--remote-write.interval', '500ms', '--remote-write.external-label', 'site=test'),
  );

  let written = 1000;
  appendFileSync(log, lines(0, written));
  await d.waitForValue('requests_total', { code: '200' }, trueCount(written, 200));
  for (const [name, server] of [['Prometheus', prom], ['VictoriaMetrics', vm]] as const) {
    for (const code of [200, 404, 500]) {
      const got = await waitForValue(server, name, `requests_total{code="${code}",site="test",prog="req.mtail"}`, trueCount(written, code));
      t.equal(got, trueCount(written, code), `${name}: requests_total{code="${code}"} = ${got}, the log's count`);
    }
    t.equal(await waitForValue(server, name, 'latency_seconds_count', written), written, `${name}: latency_seconds_count = ${written}`);
    t.equal(await waitForValue(server, name, 'latency_seconds_bucket{le="0.5"}', written / 2), written / 2, `${name}: le="0.5" bucket = ${written / 2}`);
  }
  t.equal(await waitForValue(prom, 'Prometheus', 'histogram_count(latency_seconds)', written), written, 'Prometheus: the native histogram arrived, histogram_count = lines');

  // The receiver goes away for 4 s; lines keep coming. The queue holds the collections.
  await prom.stop();
  const outageStart = Date.now();
  appendFileSync(log, lines(written, written + 400));
  written += 400;
  await d.waitForValue('requests_total', { code: '200' }, trueCount(written, 200));
  await waitUntil('4 s of outage', () => (Date.now() - outageStart >= 4000 ? true : undefined), 10_000, 100);
  const queuedDuring = await selfMetric(d, 'logmetrics_remote_write_queue_samples', promUrl);
  t.ok(queuedDuring > 0, `samples wait in the queue while Prometheus is down (${queuedDuring})`);
  const restarted = await startPrometheus(t, join(dir, 'prom'), {
    config: RECEIVER,
    flags: ['--web.enable-remote-write-receiver', '--enable-feature=native-histograms'],
    port: prom.port,
  });
  const outageEnd = Date.now();
  t.equal(await waitForValue(restarted, 'Prometheus', 'requests_total{code="200"}', trueCount(written, 200)), trueCount(written, 200), 'after the outage: the latest count arrived');
  await waitUntil('the queue to drain', async () => ((await selfMetric(d, 'logmetrics_remote_write_queue_samples', promUrl)) === 0 ? true : undefined), 60_000, 250);
  // Every collection taken during the outage is in Prometheus: one sample per 500 ms.
  const window = Math.ceil((outageEnd - outageStart) / 1000);
  const during = await restarted.query(`count_over_time(requests_total{code="200"}[${window}s])`, outageEnd / 1000);
  const expected = Math.floor((outageEnd - outageStart) / 500) - 2;
  t.ok(during.length === 1 && Number(during[0]!.value[1]) >= expected, `samples from the ${window} s outage reached Prometheus (${during[0]?.value[1]} >= ${expected})`);
  // One scrape, so the counters are read at one moment.
  const own = await d.samples();
  const queued = valueOf(own, 'logmetrics_remote_write_samples_queued_total', { url: promUrl })!;
  const sent = valueOf(own, 'logmetrics_remote_write_samples_total', { url: promUrl })!;
  const dropped = valueOf(own, 'logmetrics_remote_write_samples_dropped_total', { url: promUrl })!;
  const failed = valueOf(own, 'logmetrics_remote_write_samples_failed_total', { url: promUrl })!;
  const inQueue = valueOf(own, 'logmetrics_remote_write_queue_samples', { url: promUrl })!;
  t.equal(dropped, 0, 'nothing dropped while the queue had room');
  t.equal(failed, 0, 'nothing refused');
  t.ok(queued === sent + inQueue, `queued ${queued} = delivered ${sent} + waiting ${inQueue}`);
  t.ok((await selfMetric(d, 'logmetrics_remote_write_last_success_timestamp_seconds', promUrl)) * 1000 >= outageEnd - 1000, 'last success after the outage');
  t.comment(`outage test: queued ${queued} samples, delivered ${sent}, dropped ${dropped}, failed ${failed}`);

  await restarted.stop();
  await vm.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});

t.test('a full queue drops the oldest samples and counts them', async (t) => {
  const dir = tempDir(t, 'remote-write-drop');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'req.mtail'), PROGRAM);
  const log = join(dir, 'req.log');
  writeFileSync(log, lines(0, 100));
  // Nothing listens on this port until the receiver starts.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/v1/write`;
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--from-start', '--remote-write.url', url, '--remote-write.interval', '200ms', '--remote-write.queue-capacity', '100'));
  await waitUntil('drops to be counted', async () => ((await selfMetric(d, 'logmetrics_remote_write_samples_dropped_total', url)) > 0 ? true : undefined), 30_000, 200);
  const inQueue = await selfMetric(d, 'logmetrics_remote_write_queue_samples', url);
  t.ok(inQueue <= 100, `the queue stays within its capacity (${inQueue} <= 100)`);
  const vm = await startVictoriaMetrics(t, join(dir, 'vm'), port);
  t.equal(await waitForValue(vm, 'VictoriaMetrics', 'requests_total{code="200"}', trueCount(100, 200)), trueCount(100, 200), 'once the receiver is up, the latest values arrive');
  const s = await d.samples();
  const queued = valueOf(s, 'logmetrics_remote_write_samples_queued_total', { url })!;
  const sent = valueOf(s, 'logmetrics_remote_write_samples_total', { url })!;
  const dropped = valueOf(s, 'logmetrics_remote_write_samples_dropped_total', { url })!;
  const waiting = valueOf(s, 'logmetrics_remote_write_queue_samples', { url })!;
  t.ok(dropped > 0, `dropped samples counted (${dropped})`);
  t.equal(queued, sent + dropped + waiting, `every sample accounted for: queued ${queued} = delivered ${sent} + dropped ${dropped} + waiting ${waiting}`);
  t.comment(`tiny queue (100 samples): queued ${queued}, delivered ${sent}, dropped ${dropped}, waiting ${waiting}`);
  await vm.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
