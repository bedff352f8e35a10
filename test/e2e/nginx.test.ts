// The real nginx writes its access log in the `timed` format documented in
// programs/nginx.mtail; logmetrics follows it with that program while a known
// number of requests with known statuses goes through; the counts by status
// code must be exactly the requests sent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, runArgs, startDaemon, tempDir, valueOf } from '../daemon/helpers.js';
import { sendRequests, startNginx, type RequestPlan } from './peers.js';

t.test('nginx access log → nginx.mtail', async (t) => {
  const dir = tempDir(t, 'logmetrics-e2e-nginx-');
  const nginx = await startNginx(t, dir);
  t.ok(existsSync(nginx.accessLog), 'nginx created its access log');
  const d = await startDaemon(t, runArgs(join(ROOT, 'programs', 'nginx.mtail'), [nginx.accessLog]));

  const plan: Array<RequestPlan & { code: number }> = [
    { method: 'GET', path: () => '/index.html', count: 37, code: 200 },
    { method: 'GET', path: (i) => `/missing-${i}.html`, count: 5, code: 404 },
    { method: 'GET', path: () => '/error', count: 3, code: 500 },
    // nginx's static module refuses POST to a file.
    { method: 'POST', path: () => '/index.html', count: 4, code: 405 },
  ];
  const seen = await sendRequests(nginx.port, plan);
  for (const p of plan) t.equal(seen.get(p.code), p.count, `client: ${p.count} × ${p.code}`);
  // Last, alone: once it is counted, every earlier line of the log has been read.
  const barrier = await sendRequests(nginx.port, [{ method: 'GET', path: () => '/barrier', count: 1 }]);
  t.equal(barrier.get(204), 1, 'client: the barrier request got 204');
  const samples = await d.waitForSamples('the barrier request (code 204)', (s) => valueOf(s, 'nginx_http_requests_total', { code: '204' }) === 1);

  for (const p of plan) {
    t.equal(
      valueOf(samples, 'nginx_http_requests_total', { code: String(p.code), method: p.method, status_class: `${String(p.code)[0]}xx`, host: '127.0.0.1' }),
      p.count,
      `nginx_http_requests_total{code="${p.code}",method="${p.method}"} = ${p.count}`,
    );
  }
  const total = plan.reduce((n, p) => n + p.count, 0) + 1;
  t.equal(valueOf(samples, 'nginx_http_requests_total'), total, `${total} requests in all`);
  t.equal(valueOf(samples, 'nginx_log_lines_unparsed_total'), 0, 'no line left unparsed');
  t.equal(
    valueOf(samples, 'nginx_http_response_body_bytes_total', { code: '200' }),
    37 * nginx.indexBytes,
    'body bytes of the 200s: 37 × the size of index.html',
  );
  t.equal(valueOf(samples, 'nginx_http_request_duration_seconds_count'), total, 'every request observed in the duration histogram');
  t.equal(valueOf(samples, 'nginx_http_request_duration_seconds_bucket', { le: '+Inf' }), total, 'and in its +Inf bucket');
  // No upstream here: nginx logs "-" for the upstream fields, which are not observed.
  t.equal(valueOf(samples, 'nginx_http_upstream_response_duration_seconds_count'), undefined, 'no upstream observations');
  t.equal(valueOf(samples, 'logmetrics_program_runtime_errors_total', { prog: 'nginx.mtail' }), 0, 'no run-time errors');

  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
  await nginx.peer.stop();
});
