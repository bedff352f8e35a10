// What /metrics serves, self metrics included, passes the real promtool in
// both formats: `promtool check metrics` (text parser plus lint) and, for
// OpenMetrics with timestamps, Prometheus's strict OpenMetrics parser
// (`promtool tsdb create-blocks-from openmetrics`), which also insists that
// `# EOF` comes last, after the self metrics.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { request, startServer, tempDir } from './helpers.js';

const INSTALL = 'promtool not found: apt-get install -y prometheus';
const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
// Lint about mtail-style names; anything else is a failure.
const ALLOWED_LINT = [/^\S+ counter metrics should have "_total" suffix$/, /^\S+ no help text$/];

function promtool(args: string[], input?: string): { status: number | null; output: string; missing: boolean } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, missing };
}

/** Self metrics with a timestamp when asked, as the strict OpenMetrics check wants one on every sample. */
function selfMetricsAt(ts: string) {
  return (write: (chunk: string) => void, openMetrics: boolean): void => {
    const family = openMetrics ? 'logmetrics_lines_read' : 'logmetrics_lines_read_total';
    write(`# HELP ${family} Log lines read.\n# TYPE ${family} counter\nlogmetrics_lines_read_total{source="/var/log/a.log"} 12${ts}\n`);
  };
}

t.test('promtool check metrics accepts /metrics in both formats', async (t) => {
  const { port } = await startServer(t, { selfMetrics: selfMetricsAt('') });
  for (const [name, accept] of [['Prometheus text', undefined], ['OpenMetrics', OM_ACCEPT]] as const) {
    const r = await request(port, '/metrics', { headers: accept === undefined ? {} : { Accept: accept } });
    const body = r.body.toString();
    t.match(body, /logmetrics_lines_read_total\{/, `${name}: self metrics present`);
    const check = promtool(['check', 'metrics'], body);
    if (check.missing) return void t.fail(INSTALL);
    const problems = check.output.split('\n').filter((l) => l !== '' && !ALLOWED_LINT.some((re) => re.test(l)));
    t.same(problems, [], `${name}: no parse error, no unexpected lint`);
    t.not(check.status, 1, `${name}: promtool did not fail (exit ${check.status}; 3 means lint only)`);
  }
});

t.test("OpenMetrics with timestamps passes Prometheus's strict OpenMetrics parser", async (t) => {
  const dir = tempDir(t, 'logmetrics-promtool-');
  const { port } = await startServer(t, { emitTimestamps: true, selfMetrics: selfMetricsAt(' 1700000000.5') });
  const body = (await request(port, '/metrics', { headers: { Accept: OM_ACCEPT } })).body.toString();
  t.ok(body.endsWith('# EOF\n'), 'ends with # EOF');
  const file = path.join(dir, 'scrape.om');
  fs.writeFileSync(file, body);
  const r = promtool(['tsdb', 'create-blocks-from', 'openmetrics', file, path.join(dir, 'blocks')]);
  if (r.missing) return void t.fail(INSTALL);
  t.equal(r.status, 0, `parsed and written as blocks: ${r.output}`);
  // One table row per block: ULID, min time, max time, duration, NUM SAMPLES, ...
  const read = [...r.output.matchAll(/^\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s/gm)].reduce((n, row) => n + Number(row[1]), 0);
  const ours = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  t.equal(read, ours, `promtool read all ${ours} samples, self metrics included`);

  // Negative control: the same body with the self metrics after # EOF is refused.
  const broken = body.replace('# EOF\n', '').replace(/(# HELP logmetrics_lines_read )/, '# EOF\n$1');
  fs.writeFileSync(file, broken);
  const bad = promtool(['tsdb', 'create-blocks-from', 'openmetrics', file, path.join(dir, 'blocks2')]);
  t.not(bad.status, 0, 'families after # EOF are refused');
  t.match(bad.output, /after # EOF/, 'for that reason');
});
