// `logmetrics generate nginx` against the real nginx: one server writes every
// request to nine access logs, one per log format (the predefined combined,
// main, timed, $time_iso8601, $msec with $request_id, TLS fields, escape=json,
// values with quotes and backslashes, all upstream lists). For each format the
// program generated from nginx.conf (formats in an included file) must pass
// `check` and count exactly the requests sent, per status code and method.
import { copyFileSync, chmodSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, startPeer, tempDir, valueOf, waitForListener } from '../daemon/helpers.js';
import { FIXTURES, requireBinary, sendRequests, timedLogFormat, type RequestPlan } from './peers.js';
import { cli, countWith, makeCertificate, waitForLines } from './generated.js';
import { generateNginx } from '../../src/generate/nginx/index.js';

const FORMATS = ['combined', 'main', 'timed', 'iso', 'msec', 'tls', 'json', 'quotes', 'upstream'] as const;
/** Formats that log the method ($request or $request_method): all. */
const WITH_METHOD = new Set(FORMATS);
/** Formats with $request_time. */
const WITH_REQUEST_TIME = new Set(['timed', 'iso', 'msec', 'json', 'upstream']);

t.test('generate nginx: nine log formats, counted exactly', async (t) => {
  const nginxBin = requireBinary('nginx', 'nginx');
  const dir = tempDir(t, 'e2e-gen-nginx');
  const prefix = join(dir, 'nginx');
  for (const d of ['', 'html', 'tmp', 'logs', 'conf.d']) mkdirSync(join(prefix, d), { recursive: true });
  for (const d of [dir, prefix, join(prefix, 'html')]) chmodSync(d, 0o755);
  const index = '<!DOCTYPE html>\n<title>e2e</title>\n<p>generated programs</p>\n';
  writeFileSync(join(prefix, 'html', 'index.html'), index, { mode: 0o644 });
  makeCertificate(prefix);
  const [port, sslPort, appPort, deadPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  let conf = readFileSync(join(FIXTURES, 'generate', 'nginx.conf'), 'utf8');
  const values: Record<string, string> = { PREFIX: prefix, PORT: String(port), SSL_PORT: String(sslPort), APP_PORT: String(appPort), DEAD_PORT: String(deadPort), TIMED_LOG_FORMAT: timedLogFormat() };
  for (const [k, v] of Object.entries(values)) conf = conf.split(`@${k}@`).join(v);
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, conf);
  copyFileSync(join(FIXTURES, 'generate', 'formats.conf'), join(prefix, 'conf.d', 'formats.conf'));
  const nginx = startPeer(t, nginxBin, ['-p', `${prefix}/`, '-c', confPath, '-e', join(prefix, 'error.log'), '-g', `daemon off; pid ${prefix}/nginx.pid;`]);
  await waitForListener(`nginx on port ${port}`, port, () => !nginx.hasExited()).catch((e: Error) => {
    throw new Error(`${e.message}\nnginx said: ${nginx.output()}\n${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
  });

  // A user agent and a header with a quote and a backslash: nginx writes them as \x22 and \x5C.
  const nasty = { 'User-Agent': 'evil "agent" \\ 1.0', 'X-Note': 'say "hi" \\o/', 'X-Forwarded-For': '10.0.0.1, 10.0.0.2' };
  const plain: Array<RequestPlan & { code: number }> = [
    { method: 'GET', path: () => '/index.html', count: 20, code: 200 },
    { method: 'HEAD', path: () => '/index.html', count: 2, code: 200 },
    { method: 'GET', path: (i) => `/missing-${i}.html`, count: 5, code: 404, headers: nasty },
    { method: 'GET', path: () => '/error', count: 3, code: 500 },
    { method: 'POST', path: () => '/index.html', count: 4, code: 405 },
    { method: 'GET', path: (i) => `/app/${i}?q="x"`, count: 6, code: 200, headers: nasty },
    // The first upstream refuses, the backup answers: $upstream_status is "502, 200".
    { method: 'GET', path: (i) => `/flaky/${i}`, count: 3, code: 200 },
    { method: 'GET', path: (i) => `/dead/${i}`, count: 2, code: 502 },
  ];
  const tls: Array<RequestPlan & { code: number }> = [
    { method: 'GET', path: () => '/index.html', count: 4, code: 200, headers: nasty },
    { method: 'GET', path: () => '/nothing-here', count: 1, code: 404 },
  ];
  const expected = new Map<number, number>();
  const methods = new Map<string, number>();
  for (const p of [...plain, ...tls]) {
    expected.set(p.code, (expected.get(p.code) ?? 0) + p.count);
    methods.set(p.method, (methods.get(p.method) ?? 0) + p.count);
  }
  const seenPlain = await sendRequests(port, plain);
  const seenTls = await sendRequests(sslPort, tls, 4, { tls: true });
  const seen = new Map<number, number>();
  for (const m of [seenPlain, seenTls]) for (const [code, n] of m) seen.set(code, (seen.get(code) ?? 0) + n);
  t.same([...seen.entries()].sort(), [...expected.entries()].sort(), 'the client saw the planned statuses');
  await sendRequests(port, [{ method: 'GET', path: () => '/barrier', count: 1 }]);
  expected.set(204, 1);
  methods.set('GET', methods.get('GET')! + 1);
  const total = [...expected.values()].reduce((a, b) => a + b, 0);

  const progs = join(dir, 'progs');
  mkdirSync(progs);
  for (const name of FORMATS) {
    await t.test(`format ${name}`, async (t) => {
      const log = join(prefix, 'logs', `${name}.log`);
      await waitForLines(log, total);
      const program = join(progs, `${name}.mtail`);
      // The command line once (combined, the default without --config); the others in this process, to keep the test fast.
      if (name === 'combined') {
        const gen = cli(['generate', 'nginx']);
        t.equal(gen.code, 0, `generate: exit 0 ${gen.stderr}`);
        writeFileSync(program, gen.stdout);
      } else writeFileSync(program, generateNginx({ config: confPath, formatName: name }).program);
      const text = readFileSync(program, 'utf8');
      t.match(text, name === 'combined' ? "nginx's predefined format" : `log_format ${name} at ${name === 'timed' ? confPath : join(prefix, 'conf.d', 'formats.conf')}:`, 'the header names the format and where it is');

      const { samples } = countWith(program, log);
      let counted = 0;
      for (const [code, n] of expected) {
        const got = valueOf(samples, 'nginx_http_requests_total', { code: String(code) });
        t.equal(got, n, `${name}: code ${code}: sent ${n}, counted ${got}`);
        counted += got ?? 0;
      }
      t.equal(valueOf(samples, 'nginx_http_requests_total'), total, `${name}: sent ${total}, counted ${valueOf(samples, 'nginx_http_requests_total')}`);
      t.comment(`${name}: sent ${total}, counted ${counted}`);
      t.equal(valueOf(samples, 'nginx_log_lines_unparsed_total'), 0, `${name}: no line unparsed`);
      if (WITH_METHOD.has(name)) {
        for (const [method, n] of methods) t.equal(valueOf(samples, 'nginx_http_requests_total', { method }), n, `${name}: ${n} × ${method}`);
      }
      if (WITH_REQUEST_TIME.has(name)) {
        t.equal(valueOf(samples, 'nginx_http_request_duration_seconds_count'), total, `${name}: every request in the duration histogram`);
      }
      if (['combined', 'main', 'timed', 'iso', 'tls', 'quotes', 'json'].includes(name)) {
        // index.html to 24 GETs (HEAD has no body), "app\n" from the upstream to 9.
        const body = 24 * Buffer.byteLength(index) + 9 * 4;
        t.equal(valueOf(samples, 'nginx_http_response_body_bytes_total', { code: '200', method: 'GET' }), body, `${name}: body bytes of the 200 GETs`);
      }
      if (name === 'upstream' || name === 'timed') {
        // Requests that reached an upstream: /app (6) and /flaky (3) answered by the app; /dead (2) refused.
        t.equal(valueOf(samples, 'nginx_http_upstream_retried_requests_total'), 3, `${name}: 3 requests tried two upstream servers`);
        t.equal(valueOf(samples, 'nginx_http_upstream_errors_total'), 2, `${name}: 2 requests ended on an upstream 502`);
        t.equal(valueOf(samples, 'nginx_http_upstream_response_duration_seconds_count')! >= 9, true, `${name}: upstream response times observed`);
      }
      if (name === 'upstream') {
        t.equal(valueOf(samples, 'nginx_http_upstream_header_duration_seconds_count')! >= 9, true, 'upstream header times observed');
      }
      if (name === 'msec') {
        t.equal(valueOf(samples, 'nginx_http_response_size_bytes_count'), total, 'msec: every response size observed');
        t.equal(valueOf(samples, 'nginx_http_request_size_bytes_count'), total, 'msec: every request size observed');
      }
    });
  }
  const check = cli(['check', progs]);
  t.equal(check.code, 0, `check passes on all ${FORMATS.length} generated programs ${check.stderr}`);
  await nginx.stop();
});
