// A real Prometheus server scrapes logmetrics every second while lines arrive
// at a known constant rate, with fixed fractions in known histogram buckets;
// PromQL must then give back that rate and a p90 in the right bucket. And
// `promtool check metrics` accepts /metrics in both exposition formats.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { freePort, get, missingMessage, runArgs, startDaemon, tempDir, waitUntil } from '../daemon/helpers.js';
import { requireBinary, startScrapingPrometheus } from './peers.js';
import { promtool } from '../helpers/promtool.js';

const PROGRAM = `counter requests_total
histogram request_seconds buckets 0.1, 0.5, 1, 5
/^req (?P<secs>\\d+\\.\\d+)$/ {
  requests_total++
  request_seconds = $secs
}
`;

const RATE = 10; // lines per second
// One cycle of ten lines: 50% at 0.05 s (bucket le=0.1), 30% at 0.3 s (le=0.5),
// 20% at 3 s (le=5). 80% are at most 0.5 s and none is in (0.5, 1], so the true
// 0.9-quantile (3 s) lies in the bucket (1, 5].
const CYCLE = ['0.05', '0.05', '0.05', '0.05', '0.05', '0.3', '0.3', '0.3', '3.0', '3.0'];
const DRIVE_MS = 70_000; // the 1m window must lie wholly inside the time lines flowed

/** promtool with `input` on stdin; a missing promtool fails the test with the install hint. */
function promtoolOn(args: string[], input: string): { status: number | null; output: string } {
  const r = promtool(args, { input });
  if (r.missing) throw new Error(missingMessage('promtool', 'prometheus'));
  return r;
}

t.test('Prometheus scrapes logmetrics: rate and histogram_quantile', async (t) => {
  requireBinary('prometheus', 'prometheus');
  const dir = tempDir(t, 'logmetrics-e2e-prometheus-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'req.mtail'), PROGRAM);
  const log = join(dir, 'req.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log]));

  // Records the Accept header Prometheus really scrapes with.
  let prometheusAccept: string | undefined;
  const recorder = http.createServer((req, res) => {
    prometheusAccept ??= req.headers.accept;
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end('# TYPE recorder_up gauge\nrecorder_up 1\n');
  });
  const recorderPort = await freePort();
  await new Promise<void>((resolve) => recorder.listen(recorderPort, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => recorder.close(() => resolve())));

  const prom = await startScrapingPrometheus(t, dir, d.port, recorderPort);
  await waitUntil(
    () => `Prometheus to scrape logmetrics successfully; it said:\n${prom.peer.output()}`,
    async () => {
      const r = await prom.query('up{job="logmetrics"} == 1');
      return r.length === 1 ? true : undefined;
    },
    90_000,
    500,
  );

  // Lines at a constant average rate: each tick writes what the schedule says is due,
  // so a late timer on a busy machine is made up at the next tick.
  const t0 = Date.now();
  let written = 0;
  const drive = setInterval(() => {
    const due = Math.floor(((Math.min(Date.now(), t0 + DRIVE_MS) - t0) * RATE) / 1000);
    let text = '';
    for (; written < due; written++) text += `req ${CYCLE[written % CYCLE.length]}\n`;
    if (text !== '') appendFileSync(log, text);
  }, 50);
  t.teardown(() => clearInterval(drive));

  // Meanwhile: the exposition checked by promtool in both formats.
  await t.test('promtool check metrics', async (t) => {
    const text = await get(d.url('/metrics'), { headers: { Accept: 'text/plain; version=0.0.4' } });
    t.match(String(text.headers['content-type']), /^text\/plain; version=0\.0\.4/, 'text format served');
    const r1 = promtoolOn(['check', 'metrics'], text.body);
    t.equal(r1.status, 0, 'text format: no problem found', { output: r1.output });
    t.equal(r1.output.trim(), '', 'text format: nothing reported');

    await waitUntil('the Accept header of a Prometheus scrape', () => prometheusAccept);
    const om = await get(d.url('/metrics'), { headers: { Accept: prometheusAccept! } });
    t.match(String(om.headers['content-type']), /^application\/openmetrics-text; version=1\.0\.0/, `OpenMetrics served for Prometheus' Accept (${prometheusAccept})`);
    t.match(om.body, /# EOF\n?$/, 'OpenMetrics ends with # EOF');
    const r2 = promtoolOn(['check', 'metrics'], om.body);
    // promtool 2.42 reads its input with the 0.0.4 text parser, to which an
    // OpenMetrics counter family `x` (# HELP x) and its sample `x_total` are
    // different names: it reports "x_total no help text" (exit 3). That, and
    // nothing else, is allowed; a syntax error exits 1.
    const findings = r2.output.trim() === '' ? [] : r2.output.trim().split('\n');
    const unexplained = findings.filter((f) => {
      const m = /^(\w+)_total no help text$/.exec(f);
      return m === null || !om.body.includes(`# HELP ${m[1]} `) || !om.body.includes(`# TYPE ${m[1]} counter`);
    });
    t.ok(r2.status === 0 || r2.status === 3, `OpenMetrics: promtool found no syntax error (exit ${r2.status})`, { output: r2.output });
    t.same(unexplained, [], 'OpenMetrics: no lint finding beyond the counter naming promtool misreads');
  });

  await waitUntil('the lines to flow for 70 s', () => (Date.now() >= t0 + DRIVE_MS + 1500 ? true : undefined), DRIVE_MS + 30_000, 500);
  clearInterval(drive);
  const at = (t0 + DRIVE_MS) / 1000; // the window (at-60 s, at] lies wholly in the driven period
  t.equal(written, (DRIVE_MS / 1000) * RATE, `${written} lines written in ${DRIVE_MS / 1000} s`);
  const one = async (expr: string): Promise<number> => {
    const r = await prom.query(expr, at);
    if (r.length !== 1) throw new Error(`${expr}: expected one series, got ${JSON.stringify(r)}`);
    return Number(r[0]!.value[1]);
  };

  // Tolerance ±20%: rate() extrapolates from the first and last sample in the
  // window to its edges, and scrapes on a busy machine come late and unevenly,
  // so a few percent either way are expected; 20% still fails a double count
  // (200%) or a lost half (50%).
  const rate = await one('sum(rate(requests_total[1m]))');
  t.ok(Math.abs(rate - RATE) <= 0.2 * RATE, `sum(rate(requests_total[1m])) = ${rate.toFixed(3)} ≈ ${RATE}/s`);
  const countRate = await one('sum(rate(request_seconds_count[1m]))');
  t.ok(Math.abs(countRate - RATE) <= 0.2 * RATE, `sum(rate(request_seconds_count[1m])) = ${countRate.toFixed(3)} ≈ ${RATE}/s`);
  // A minute holds 60 whole cycles, give or take one: the fraction is 0.5 within 0.05.
  const fast = await one('sum(rate(request_seconds_bucket{le="0.1"}[1m])) / sum(rate(request_seconds_count[1m]))');
  t.ok(Math.abs(fast - 0.5) <= 0.05, `fraction in le=0.1: ${fast.toFixed(3)} ≈ 0.5`);
  const p90 = await one('histogram_quantile(0.9, sum(rate(request_seconds_bucket[1m])) by (le))');
  t.ok(p90 > 1 && p90 <= 5, `histogram_quantile(0.9, …) = ${p90.toFixed(3)} lies in the bucket (1, 5] that holds the true p90 (3 s)`);

  const targets = JSON.parse((await get(`http://127.0.0.1:${prom.port}/api/v1/targets`)).body) as {
    data: { activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> };
  };
  const target = targets.data.activeTargets.find((x) => x.labels.job === 'logmetrics');
  t.equal(target?.health, 'up', 'the logmetrics target is healthy');
  t.equal(target?.lastError, '', 'with no scrape error');

  await prom.peer.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
