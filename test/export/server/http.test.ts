// The exporter's endpoints over real HTTP on 127.0.0.1: formats chosen by
// Accept, gzip by Accept-Encoding, /json, /healthz, 404/405, HEAD, and the
// status page's escaping. The expected exposition is the encoders' own output
// (tested on their own in test/export) plus the self metrics: the server must
// pass both through unchanged, in the right order.
import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { openMetricsText, prometheusText } from '../../../src/export/encoders.js';
import { PROGRAMS, SOURCES, request, sampleStore, selfMetrics, startServer } from './helpers.js';

const PROMETHEUS_SCRAPER_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const OM_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The self metrics as the one writer renders them, without a prog label; OpenMetrics without its `# EOF`. */
function selfText(openMetrics: boolean): string {
  if (!openMetrics) return prometheusText(selfMetrics(), { progLabel: false });
  const om = openMetricsText(selfMetrics(), { progLabel: false });
  return om.slice(0, om.length - '# EOF\n'.length);
}

function expectedBody(format: 'prometheus' | 'openmetrics', opts: { progLabel: boolean; timestamps: boolean }): string {
  const store = sampleStore();
  if (format === 'prometheus') return prometheusText(store, opts) + selfText(false);
  const om = openMetricsText(store, opts);
  return om.slice(0, om.length - '# EOF\n'.length) + selfText(true) + '# EOF\n';
}

t.test('/metrics: format by Accept header', async (t) => {
  const { port } = await startServer(t, { selfMetrics: () => selfMetrics() });
  const cases: { name: string; accept?: string; format: 'prometheus' | 'openmetrics' }[] = [
    { name: 'no Accept header', format: 'prometheus' },
    { name: "Prometheus scraper's header", accept: PROMETHEUS_SCRAPER_ACCEPT, format: 'openmetrics' },
    { name: 'text 0.0.4 asked for', accept: 'text/plain;version=0.0.4', format: 'prometheus' },
    { name: 'OpenMetrics preferred by q', accept: 'text/plain;q=0.3, application/openmetrics-text;q=0.9', format: 'openmetrics' },
    { name: 'text preferred by q', accept: 'application/openmetrics-text;q=0.1, text/plain;q=0.9', format: 'prometheus' },
    { name: 'unknown OpenMetrics version', accept: 'application/openmetrics-text;version=2.0.0', format: 'prometheus' },
    { name: 'OpenMetrics refused with q=0', accept: 'application/openmetrics-text;q=0', format: 'prometheus' },
    { name: 'anything', accept: '*/*', format: 'prometheus' },
  ];
  for (const c of cases) {
    const r = await request(port, '/metrics', { headers: c.accept === undefined ? {} : { Accept: c.accept } });
    t.equal(r.status, 200, `${c.name}: 200`);
    t.equal(r.headers['content-type'], c.format === 'prometheus' ? TEXT_TYPE : OM_TYPE, `${c.name}: content type`);
    t.equal(r.body.toString(), expectedBody(c.format, { progLabel: true, timestamps: false }), `${c.name}: body`);
  }
});

t.test('/metrics: samples as the formats spell them, self metrics before # EOF', async (t) => {
  const { port } = await startServer(t, { selfMetrics: () => selfMetrics() });
  const text = (await request(port, '/metrics')).body.toString();
  t.match(text, /^requests\{prog="a\.mtail",path="\/index\.html",code="200"\} 7$/m, 'text: counter sample without _total');
  t.match(text, /^requests\{prog="a\.mtail",path="\/a\\"b\\\\c",code="404"\} 2$/m, 'text: quote and backslash escaped');
  t.notMatch(text, /# EOF/, 'text: no # EOF');
  t.ok(text.endsWith('logmetrics_scrapes_total 1\n'), 'text: self metrics last');

  const om = (await request(port, '/metrics', { headers: { Accept: PROMETHEUS_SCRAPER_ACCEPT } })).body.toString();
  t.match(om, /^requests_total\{prog="a\.mtail",path="\/index\.html",code="200"\} 7$/m, 'OpenMetrics: counter sample with _total');
  t.match(om, /^# TYPE requests counter$/m, 'OpenMetrics: family without _total');
  t.ok(om.endsWith('logmetrics_scrapes_total 1\n# EOF\n'), 'OpenMetrics: self metrics, then # EOF');
  t.equal(om.split('# EOF').length, 2, 'OpenMetrics: exactly one # EOF');
});

t.test('/metrics: prog label and timestamps options', async (t) => {
  const cases = [
    { name: 'no prog label', progLabel: false, emitTimestamps: false, line: /^requests\{path="\/index\.html",code="200"\} 7$/m },
    { name: 'timestamps in ms', progLabel: true, emitTimestamps: true, line: /^temperature\{prog="b\.mtail"\} 21\.5 1700000000000$/m },
  ];
  for (const c of cases) {
    const { port } = await startServer(t, { progLabel: c.progLabel, emitTimestamps: c.emitTimestamps });
    const body = (await request(port, '/metrics')).body.toString();
    t.match(body, c.line, `${c.name}: sample line`);
    t.equal(body, prometheusText(sampleStore(), { progLabel: c.progLabel, timestamps: c.emitTimestamps }), `${c.name}: whole body`);
  }
  const { port } = await startServer(t, { emitTimestamps: true });
  const om = (await request(port, '/metrics', { headers: { Accept: 'application/openmetrics-text' } })).body.toString();
  t.match(om, /^temperature\{prog="b\.mtail"\} 21\.5 1700000000$/m, 'OpenMetrics timestamps in seconds');
});

t.test('gzip by Accept-Encoding', async (t) => {
  const { port } = await startServer(t, { selfMetrics: () => selfMetrics() });
  const cases = [
    { name: 'gzip', encoding: 'gzip', gzip: true },
    { name: 'curl --compressed', encoding: 'deflate, gzip, br, zstd', gzip: true },
    { name: 'among others', encoding: 'br;q=1.0, gzip;q=0.8, *;q=0.1', gzip: true },
    { name: 'through *', encoding: 'br, *;q=0.5', gzip: true },
    { name: 'refused with q=0', encoding: 'gzip;q=0, identity', gzip: false },
    { name: 'identity only', encoding: 'identity', gzip: false },
  ];
  for (const path of ['/metrics', '/json']) {
    const plain = (await request(port, path)).body;
    for (const c of cases) {
      const r = await request(port, path, { headers: { 'Accept-Encoding': c.encoding } });
      t.equal(r.headers['content-encoding'], c.gzip ? 'gzip' : undefined, `${path} ${c.name}: Content-Encoding`);
      t.match(r.headers.vary ?? '', /Accept-Encoding/, `${path} ${c.name}: Vary names Accept-Encoding`);
      const body = c.gzip ? gunzipSync(r.body) : r.body;
      t.equal(body.toString(), plain.toString(), `${path} ${c.name}: same body once decompressed`);
      if (c.gzip) t.ok(r.body.length < plain.length, `${path} ${c.name}: smaller on the wire`);
    }
  }
});

t.test('/json parses and holds every exported metric', async (t) => {
  const { port } = await startServer(t);
  const r = await request(port, '/json');
  t.equal(r.status, 200);
  t.equal(r.headers['content-type'], 'application/json');
  const metrics = JSON.parse(r.body.toString()) as { Name: string; Program: string; LabelValues?: { Labels?: string[] }[] }[];
  t.same(metrics.map((m) => m.Name).sort(), ['latency', 'requests', 'temperature'], 'the three metrics');
  const requests = metrics.find((m) => m.Name === 'requests');
  t.same(requests?.LabelValues?.map((l) => l.Labels), [['/index.html', '200'], ['/a"b\\c', '404']], 'label values survive JSON');
});

t.test('/healthz, 404, 405, HEAD and query strings', async (t) => {
  const { port } = await startServer(t);
  const cases: { name: string; method?: string; path: string; status: number; body?: string; allow?: string }[] = [
    { name: 'healthz', path: '/healthz', status: 200, body: 'ok\n' },
    { name: 'unknown path', path: '/nope', status: 404 },
    { name: 'trailing slash is another path', path: '/metrics/', status: 404 },
    { name: 'POST to a known path', method: 'POST', path: '/metrics', status: 405, allow: 'GET, HEAD' },
    { name: 'DELETE to the status page', method: 'DELETE', path: '/', status: 405, allow: 'GET, HEAD' },
    { name: 'POST to an unknown path', method: 'POST', path: '/nope', status: 404 },
    { name: 'query string ignored', path: '/healthz?verbose=1', status: 200, body: 'ok\n' },
    { name: 'HEAD of /metrics', method: 'HEAD', path: '/metrics', status: 200, body: '' },
    { name: 'HEAD of /', method: 'HEAD', path: '/', status: 200, body: '' },
  ];
  for (const c of cases) {
    const r = await request(port, c.path, { method: c.method });
    t.equal(r.status, c.status, `${c.name}: status`);
    if (c.body !== undefined) t.equal(r.body.toString(), c.body, `${c.name}: body`);
    t.equal(r.headers.allow, c.allow, `${c.name}: Allow header`);
  }
  const head = await request(port, '/metrics', { method: 'HEAD' });
  t.equal(head.headers['content-type'], TEXT_TYPE, 'HEAD gives the content type GET would');
});

t.test('status page: content, links, and everything escaped', async (t) => {
  const evil: typeof PROGRAMS = [
    ...PROGRAMS,
    {
      name: '<b>bold</b>.mtail',
      file: '/progs/"quoted".mtail',
      state: 'failed',
      loadedAt: Date.now(),
      error: 'bad.mtail:2:5: unexpected token\n  2 | /x/ { <script>alert(1)</script> }\n    |       ^',
      lines: 0,
      runtimeErrors: 0,
    },
    {
      name: 'nginx.mtail',
      file: '/progs/nginx.mtail',
      state: 'loaded',
      loadedAt: Date.now(),
      lines: 3000,
      runtimeErrors: 2,
      logs: [
        {
          log: '/logs/<x>.log',
          lines: 3000,
          matched: 0,
          runtimeErrors: 2,
          lastLineAt: Date.now() - 61_000,
          notMatching: { at: Date.now(), message: 'matched none of the first 1000 lines', sample: '<b>x</b>"\u0007' },
        },
      ],
    },
  ];
  const sources = [...SOURCES, { ...SOURCES[0]!, name: '/logs/a&b.log', errors: 3 }];
  const { port } = await startServer(t, {
    status: { version: '1.2.3<i>', startedAt: Date.now() - 3_725_000, programs: () => evil, sources: () => sources },
  });
  const r = await request(port, '/');
  const html = r.body.toString();
  t.equal(r.status, 200);
  t.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  t.match(r.headers['content-security-policy'] ?? '', /default-src 'none'/, 'no script may run');
  t.notMatch(html, /<script/i, 'no script element');
  t.notMatch(html, /<b>|<i>/, 'no injected markup');
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;', 'the error text, escaped');
  t.match(html, '&lt;b&gt;bold&lt;/b&gt;.mtail', 'the program name, escaped');
  t.match(html, '/progs/&quot;quoted&quot;.mtail', 'the file, escaped');
  t.match(html, '/logs/a&amp;b.log', 'the source, escaped');
  t.match(html, '1.2.3&lt;i&gt;', 'the version, escaped');
  t.match(html, /<pre>bad\.mtail:2:5: unexpected token\n {2}2 \| \/x\/ \{ &lt;script&gt;.*\n {4}\| {7}\^<\/pre>/, 'code frame kept line by line in a <pre>');
  t.match(html, /href="metrics"/, 'link to /metrics');
  t.match(html, /href="json"/, 'link to /json');
  t.match(html, /1h 2m/, 'uptime');
  t.match(html, /ok\.mtail/, 'the loaded program');
  t.match(html, /1,200/, 'line counts');
  t.match(html, /64\.0 KiB/, 'bytes read');
  t.match(html, /<td class="when" title="[^"]+">\d+s ago<\/td><td class="num">1<\/td>/, 'a source: last read, then rotations');
  t.match(html, /app\.log<\/span><\/td>\n<td class="num">1,200<\/td><td class="num">1,188<\/td><td class="num">99\.0%<\/td><td class="num">0<\/td><td class="when"[^>]*>\d+s ago<\/td>/, 'a program and log: lines, matched, ratio, errors, last line');
  t.match(html, /&lt;x&gt;\.log<\/span><\/td>\n<td class="num">3,000<\/td><td class="num">0<\/td><td class="num warn">0\.0%<\/td><td class="num warn">2<\/td><td class="when"[^>]*>1m \d+s ago<\/td>\n<td><span class="badge failed">not matching<\/span>/, 'a program that does not match its log: flagged');
  t.match(html, /<pre>nginx\.mtail matched none of the first 1000 lines of \/logs\/&lt;x&gt;\.log \([^)]+\); a sample line:\n&quot;&lt;b&gt;x&lt;\/b&gt;\\&quot;\\u0007&quot;<\/pre>/, 'the warning with its sample, quoted and escaped');
  t.match(html, /1 not matching/, 'counted in the summary');
  t.notMatch(html, /<(link|img|iframe)\b|src=|@import|url\(/i, 'no external resources');
});

t.test('a failing status source gives 500, and the server goes on', async (t) => {
  const { port } = await startServer(t, {
    status: { version: 'x', startedAt: 0, programs: () => { throw new Error('boom'); }, sources: () => [] },
  });
  t.equal((await request(port, '/')).status, 500);
  t.equal((await request(port, '/healthz')).status, 200);
});
