// The Pushgateway for batch runs: `run --one-shot --push-gateway URL --job NAME`
// pushes the run's results to a real prometheus-pushgateway under its grouping
// key (a value with '/' in base64 form), and a real Prometheus scraping the
// Pushgateway returns the log's counts. The grouping-key paths are a table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { groupingPath } from '../../src/export/push/pushgateway.js';
import { BIN, get, tempDir, waitUntil } from '../daemon/helpers.js';
import { startPrometheus, startPushgateway } from './peers.js';

const PROGRAM = `counter requests_total by code
histogram latency_seconds buckets 0.1, 1
/^req (?P<code>\\d+) (?P<secs>\\d+\\.\\d+)$/ {
  requests_total[$code]++
  latency_seconds = $secs
}
`;

t.test('grouping key paths', async (t) => {
  const cases: Array<[string, string, Record<string, string>, string]> = [
    ['job only', 'nightly', {}, '/metrics/job/nightly'],
    ['labels in order', 'nightly', { env: 'prod', instance: 'web1' }, '/metrics/job/nightly/env/prod/instance/web1'],
    ['a slash: base64url', 'nightly', { path: '/var/log/a' }, '/metrics/job/nightly/path@base64/L3Zhci9sb2cvYQ'],
    ['an empty value', 'nightly', { env: '' }, '/metrics/job/nightly/env@base64/='],
    ['other characters percent-encoded', 'night ly', { env: 'a?b#c%' }, '/metrics/job/night%20ly/env/a%3Fb%23c%25'],
    ['a job with a slash', 'cron/nightly', {}, '/metrics/job@base64/Y3Jvbi9uaWdodGx5'],
  ];
  for (const [name, job, labels, want] of cases) t.equal(groupingPath(job, labels), want, name);
});

t.test('one-shot push to a real Pushgateway, scraped by Prometheus', async (t) => {
  const dir = tempDir(t, 'pushgateway');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'req.mtail'), PROGRAM);
  const log = join(dir, 'req.log');
  let text = '';
  for (let i = 0; i < 300; i++) text += `req ${i % 3 === 0 ? 500 : 200} ${i % 2 === 0 ? '0.05' : '0.5'}\n`;
  writeFileSync(log, text);
  const pg = await startPushgateway(t);
  const base = `http://127.0.0.1:${pg.port}`;

  const run = spawnSync(
    process.execPath,
    [BIN, 'run', '--one-shot', '--progs', join(dir, 'progs'), '--logs', log, '--push-gateway', base, '--job', 'nightly', '--push-gateway.label', 'instance=web/1', '--push-gateway.label', 'env=prod'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  t.equal(run.status, 0, 'exit 0', { stderr: run.stderr });
  t.equal(run.stdout, '', 'nothing on stdout when pushing without --format');

  // The Pushgateway's own view of the group.
  const api = JSON.parse((await get(`${base}/api/v1/metrics`)).body) as { data: Array<{ labels: Record<string, string>; requests_total?: { metrics: Array<{ labels: Record<string, string>; value: string }> } }> };
  const group = api.data.find((g) => g.labels.job === 'nightly');
  t.same(group?.labels, { job: 'nightly', instance: 'web/1', env: 'prod' }, 'the grouping key, the slash intact');
  const pushed = Object.fromEntries((group?.requests_total?.metrics ?? []).map((m) => [m.labels.code, Number(m.value)]));
  t.same(pushed, { '200': 200, '500': 100 }, 'requests_total per code in the Pushgateway');

  const prom = await startPrometheus(t, dir, {
    config: `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:${pg.port}']
`,
  });
  const result = await waitUntil(
    () => `Prometheus to scrape the pushed group; it said:\n${prom.peer.output()}`,
    async () => {
      const r = await prom.query('requests_total{job="nightly",instance="web/1",env="prod"}');
      return r.length === 2 ? r : undefined;
    },
    90_000,
    500,
  );
  t.same(
    Object.fromEntries(result.map((r) => [r.metric.code, Number(r.value[1])])),
    { '200': 200, '500': 100 },
    'Prometheus returns the log\'s counts with the grouping labels',
  );
  const count = await prom.query('latency_seconds_count{job="nightly"}');
  t.equal(Number(count[0]?.value[1]), 300, 'latency_seconds_count = 300 lines');
  const bucket = await prom.query('latency_seconds_bucket{job="nightly",le="0.1"}');
  t.equal(Number(bucket[0]?.value[1]), 150, 'le="0.1" bucket = 150');

  // A second run replaces the group (PUT): a shorter log gives smaller counts.
  writeFileSync(log, 'req 200 0.05\n');
  const again = spawnSync(process.execPath, [BIN, 'run', '--one-shot', '--progs', join(dir, 'progs'), '--logs', log, '--push-gateway', base, '--job', 'nightly', '--push-gateway.label', 'instance=web/1', '--push-gateway.label', 'env=prod', '--format', 'prometheus'], { encoding: 'utf8', timeout: 60_000 });
  t.equal(again.status, 0, 'second run: exit 0', { stderr: again.stderr });
  t.match(again.stdout, /requests_total\{prog="req.mtail",code="200"\} 1/, 'with --format given, the results are printed too');
  const api2 = JSON.parse((await get(`${base}/api/v1/metrics`)).body) as typeof api;
  const group2 = api2.data.find((g) => g.labels.job === 'nightly');
  t.same((group2?.requests_total?.metrics ?? []).map((m) => [m.labels.code, Number(m.value)]), [['200', 1]], 'PUT replaced the whole group');

  const bad = spawnSync(process.execPath, [BIN, 'run', '--one-shot', '--progs', join(dir, 'progs'), '--logs', log, '--push-gateway', base], { encoding: 'utf8', timeout: 60_000 });
  t.equal(bad.status, 2, '--push-gateway without --job: usage error');
  t.match(bad.stderr, /--job/, 'says --job is needed');
  await prom.stop();
});
