// Every query of the Grafana dashboard, run against a real Prometheus that
// scrapes a real logmetrics daemon: nginx.mtail and haproxy.mtail over the
// captured fixture logs (HTTP and TCP), written twice so that rates move.
// Each panel query, with the variables set to "All", must return data; so must
// each variable's label_values() selector, and the variables must list the job
// and instance of logmetrics and nothing else.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runArgs, startDaemon, tempDir, waitUntil } from '../daemon/helpers.js';
import { startPrometheus } from '../e2e/peers.js';
import { findRepoRoot } from '../differential/corpus.js';
import { fillVariables } from './promql.js';

const ROOT = findRepoRoot();

interface Dashboard {
  panels: Array<{ type: string; title: string; targets?: Array<{ refId: string; expr: string }> }>;
  templating: { list: Array<{ name: string; query: string | { query: string } }> };
}

t.test('every dashboard query returns data from a Prometheus scraping logmetrics', async (t) => {
  const dash = JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'grafana', 'logmetrics-dashboard.json'), 'utf8')) as Dashboard;
  const dir = tempDir(t, 'logmetrics-dashboard-data-');
  const progs = path.join(dir, 'progs');
  fs.mkdirSync(progs);
  for (const p of ['nginx', 'haproxy']) fs.copyFileSync(path.join(ROOT, 'programs', `${p}.mtail`), path.join(progs, `${p}.mtail`));
  const fixtures: Array<[string, string]> = [
    ['nginx', 'access-timed.log'],
    ['haproxy', 'haproxy-http.log'],
    ['haproxy', 'haproxy-tcp.log'],
  ];
  const logs = fixtures.map(([, f]) => path.join(dir, f));
  for (const l of logs) fs.writeFileSync(l, '');
  const d = await startDaemon(t, runArgs(progs, logs, '--state-dir', path.join(dir, 'state')));
  const prom = await startPrometheus(t, dir, {
    config: `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: logmetrics\n    static_configs:\n      - targets: ['127.0.0.1:${d.port}']\n`,
  });
  const write = (): void => fixtures.forEach(([p, f], i) => fs.appendFileSync(logs[i]!, fs.readFileSync(path.join(ROOT, 'fixtures', 'programs', p, f))));
  // Once, scraped; then again, so that every counter has grown between two scrapes.
  write();
  const scraped = async (want: number): Promise<true | undefined> => {
    const r = await prom.query('sum(logmetrics_log_lines_total)');
    return r.length === 1 && Number(r[0]!.value[1]) === want ? true : undefined;
  };
  const perRound = fixtures.reduce((n, [p, f]) => n + fs.readFileSync(path.join(ROOT, 'fixtures', 'programs', p, f), 'utf8').split('\n').filter((l) => l !== '').length, 0);
  await waitUntil(() => `Prometheus to scrape the first ${perRound} lines`, () => scraped(perRound), 60_000, 250);
  write();
  await waitUntil(() => `Prometheus to scrape all ${2 * perRound} lines`, () => scraped(2 * perRound), 60_000, 250);
  await new Promise((r) => setTimeout(r, 1500)); // one more scrape of the final values

  let queries = 0;
  for (const p of dash.panels) {
    for (const q of p.targets ?? []) {
      queries++;
      const expr = fillVariables(q.expr, '1m');
      const result = await prom.query(expr);
      t.ok(result.length > 0, `${p.title} ${q.refId}: ${result.length} series`, result.length > 0 ? {} : { expr });
    }
  }
  t.ok(queries >= 20, `${queries} panel queries run`);

  for (const v of dash.templating.list) {
    const query = typeof v.query === 'string' ? v.query : v.query.query;
    const m = /^label_values\((.*),\s*(\w+)\)$/.exec(query);
    if (!m) continue;
    const result = await prom.query(fillVariables(m[1]!, '1m'));
    const values = [...new Set(result.map((s) => s.metric[m[2]!]))].sort();
    t.ok(values.length > 0, `variable ${v.name}: ${values.join(', ')}`);
    if (v.name === 'job') t.same(values, ['logmetrics'], 'job: the logmetrics job only');
    if (v.name === 'instance') t.same(values, [`127.0.0.1:${d.port}`], 'instance: the daemon');
    if (v.name === 'backend') t.ok(values.includes('be_tcp_web') && values.includes('be_web'), 'backend: the HTTP and the TCP backends');
  }
  await prom.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
