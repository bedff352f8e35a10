// What /metrics serves, self metrics included, passes the real promtool in
// both formats: `promtool check metrics` (text parser plus lint) and, for
// OpenMetrics with timestamps, Prometheus's strict OpenMetrics parser
// (`promtool tsdb create-blocks-from openmetrics`), which also insists that
// `# EOF` comes last, after the self metrics.
import t from 'tap';
import { checkMetrics, openMetricsBlocks, PROMTOOL_MISSING as INSTALL } from '../../helpers/promtool.js';
import { request, selfMetrics, startServer, tempDir } from './helpers.js';

const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
/** Self metrics with a label; the writer adds their time when the scrape has timestamps, as the strict OpenMetrics check wants one on every sample. */
const ownStore = () => selfMetrics({ source: '/var/log/a.log' });

t.test('promtool check metrics accepts /metrics in both formats', async (t) => {
  const { port } = await startServer(t, { selfMetrics: ownStore });
  for (const [name, accept] of [['Prometheus text', undefined], ['OpenMetrics', OM_ACCEPT]] as const) {
    const r = await request(port, '/metrics', { headers: accept === undefined ? {} : { Accept: accept } });
    const body = r.body.toString();
    t.match(body, /logmetrics_scrapes_total\{source=/, `${name}: self metrics present`);
    const check = checkMetrics(body);
    if (check.missing) return void t.fail(INSTALL);
    t.same(check.problems, [], `${name}: no parse error, no unexpected lint`);
    t.not(check.status, 1, `${name}: promtool did not fail (exit ${check.status}; 3 means lint only)`);
  }
});

t.test("OpenMetrics with timestamps passes Prometheus's strict OpenMetrics parser", async (t) => {
  const dir = tempDir(t, 'logmetrics-promtool-');
  const { port } = await startServer(t, { emitTimestamps: true, selfMetrics: ownStore });
  const body = (await request(port, '/metrics', { headers: { Accept: OM_ACCEPT } })).body.toString();
  t.ok(body.endsWith('# EOF\n'), 'ends with # EOF');
  const r = openMetricsBlocks(dir, 'scrape', body);
  if (r.missing) return void t.fail(INSTALL);
  t.equal(r.status, 0, `parsed and written as blocks: ${r.output}`);
  const read = r.samples;
  const ours = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  t.equal(read, ours, `promtool read all ${ours} samples, self metrics included`);

  // Negative control: the same body with the self metrics after # EOF is refused.
  const broken = body.replace('# EOF\n', '').replace(/(# HELP logmetrics_scrapes )/, '# EOF\n$1');
  const bad = openMetricsBlocks(dir, 'broken', broken);
  t.not(bad.status, 0, 'families after # EOF are refused');
  t.match(bad.output, /after # EOF/, 'for that reason');
});
