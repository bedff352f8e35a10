// Large scrapes stream: 100,000 series arrive in many pieces and complete; a
// client that stops reading holds the rendering back (back-pressure), since
// the self metrics, written only after the last series, are not asked for
// until the client reads on; close() lets such a scrape finish.
import t from 'tap';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Store } from '../../../src/metrics/index.js';
import { addMetric, spec } from '../../metrics/helpers.js';
import { request, startServer } from './helpers.js';

const SERIES = 100_000;

/** `n` series of one counter; `pad` lengthens every label value. */
function bigStore(n: number, pad = 0): Store {
  const store = new Store();
  const m = addMetric(store, spec({ name: 'hits', kind: 'counter', keys: ['path'] }));
  const filler = 'x'.repeat(pad);
  for (let i = 0; i < n; i++) m.datum([`/page/${i}/${filler}`]).value = i;
  return store;
}

function sampleLines(body: string): string[] {
  return body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

t.test(`a scrape of ${SERIES} series streams in pieces and completes`, async (t) => {
  const { port } = await startServer(t, { store: bigStore(SERIES) });
  for (const gzip of [false, true]) {
    const name = gzip ? 'gzip' : 'identity';
    const r = await request(port, '/metrics', { headers: gzip ? { 'Accept-Encoding': 'gzip' } : {}, timeoutMs: 120_000 });
    t.equal(r.status, 200, `${name}: 200`);
    t.equal(r.headers['transfer-encoding'], 'chunked', `${name}: sent as it is made, no Content-Length`);
    t.ok(r.pieces > 10, `${name}: arrived in ${r.pieces} pieces`);
    const lines = sampleLines((gzip ? gunzipSync(r.body) : r.body).toString());
    t.equal(lines.length, SERIES, `${name}: every series`);
    t.equal(lines[0], 'hits{prog="a.mtail",path="/page/0/"} 0', `${name}: first series`);
    t.equal(lines[SERIES - 1], `hits{prog="a.mtail",path="/page/${SERIES - 1}/"} ${SERIES - 1}`, `${name}: last series`);
  }
});

/** Starts a GET of /metrics whose response the caller reads (or not) itself; keep-alive with `agent`. */
function openScrape(port: number, agent?: http.Agent): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = agent === undefined ? { agent: false as const, headers: { Connection: 'close' } } : { agent };
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', ...options }, resolve);
    req.on('error', reject);
  });
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (b: Buffer) => parts.push(b));
    res.on('end', () => resolve(Buffer.concat(parts).toString()));
    res.on('error', reject);
    res.resume();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ~25 MB of exposition: far more than loopback socket buffers can hold.
const PAD = 200;

t.test('a client that stops reading holds the rendering back', async (t) => {
  let selfMetricsCalls = 0;
  const { port } = await startServer(t, {
    store: bigStore(SERIES, PAD),
    selfMetrics: () => {
      selfMetricsCalls++;
      const own = new Store();
      addMetric(own, spec({ program: 'logmetrics', name: 'logmetrics_marker', kind: 'gauge', source: '' }), [[[], 1]]);
      return own;
    },
  });
  const res = await openScrape(port);
  res.pause();
  await sleep(500);
  t.equal(selfMetricsCalls, 0, 'the end of the exposition is not rendered while the client does not read');
  const body = await readAll(res);
  t.equal(selfMetricsCalls, 1, 'rendered to the end once the client reads');
  t.equal(sampleLines(body).length, SERIES + 1, 'every series and the self metric');
  t.ok(body.endsWith('logmetrics_marker 1\n'), 'self metrics last');
});

t.test('a client that hangs up mid-scrape costs a debug line, nothing more', async (t) => {
  const events: { level: string; event: string }[] = [];
  const { port } = await startServer(t, {
    store: bigStore(SERIES, PAD),
    logger: { log: (level, event) => void events.push({ level, event }) },
  });
  const res = await openScrape(port);
  await new Promise((resolve) => res.once('data', resolve));
  res.destroy();
  for (let i = 0; i < 100 && events.length === 0; i++) await sleep(20);
  t.same(events, [{ level: 'debug', event: 'http_response_failed' }], 'logged at debug level');
  t.equal((await request(port, '/healthz')).status, 200, 'the server goes on');
});

t.test('close() lets a scrape in progress finish and refuses new connections', async (t) => {
  const { server, port } = await startServer(t, { store: bigStore(SERIES, PAD) });
  const res = await openScrape(port);
  res.pause();
  await sleep(100);
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await sleep(100);
  const refused = await request(port, '/healthz').then(
    () => 'answered',
    (err: NodeJS.ErrnoException) => err.code,
  );
  t.equal(refused, 'ECONNREFUSED', 'no new connections once closing');
  t.equal(closed, false, 'close() waits for the scrape in progress');
  const body = await readAll(res);
  t.equal(sampleLines(body).length, SERIES, 'the scrape in progress completes');
  await closing;
  t.equal(closed, true, 'close() resolves once it is done');
});

t.test('close() does not wait for keep-alive connections once their responses are done', async (t) => {
  const { server, port } = await startServer(t, { store: bigStore(SERIES, PAD) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  t.teardown(() => agent.destroy());
  // One connection idle after a finished scrape, one with a scrape in progress.
  t.equal(sampleLines(await readAll(await openScrape(port, agent))).length, SERIES, 'a first scrape');
  const inProgress = await openScrape(port, agent);
  inProgress.pause();
  const started = Date.now();
  const closing = server.close();
  await sleep(200);
  t.equal(sampleLines(await readAll(inProgress)).length, SERIES, 'the scrape in progress completes');
  t.equal(inProgress.headers.connection, 'keep-alive', 'it had started on a keep-alive connection');
  await closing;
  t.ok(Date.now() - started < 5_000, `close() resolved in ${Date.now() - started} ms, without the 10 s deadline`);
});

t.test('close() cuts connections still open after closeTimeoutMs', async (t) => {
  const { server, port } = await startServer(t, { store: bigStore(SERIES, PAD), closeTimeoutMs: 300 });
  const res = await openScrape(port);
  res.pause();
  const started = Date.now();
  const aborted = new Promise<string>((resolve) => {
    res.on('error', () => resolve('aborted'));
    res.on('aborted', () => resolve('aborted'));
    res.on('end', () => resolve('ended'));
  });
  await server.close();
  t.ok(Date.now() - started >= 250, 'waited about closeTimeoutMs');
  res.resume();
  t.equal(await aborted, 'aborted', 'the stalled scrape was cut, not completed');
});
