// The real HAProxy, in front of the real nginx, logs every request (`option
// httplog`) as a syslog datagram to logmetrics' UDP source, where
// programs/haproxy.mtail counts it: a known number of requests per backend
// and status must come out exactly.
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, ROOT, runArgs, startDaemon, tempDir, valueOf } from '../daemon/helpers.js';
import { sendRequests, startHaproxy, startNginx, type RequestPlan } from './peers.js';

t.test('HAProxy syslog over UDP → haproxy.mtail', async (t) => {
  const dir = tempDir(t, 'logmetrics-e2e-haproxy-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  copyFileSync(join(ROOT, 'programs', 'haproxy.mtail'), join(progs, 'haproxy.mtail'));
  const nginx = await startNginx(t, dir);
  const syslogPort = await freePort('udp');
  // logmetrics first: HAProxy's datagrams sent before anyone listens are gone.
  const d = await startDaemon(t, runArgs(progs, [`udp://127.0.0.1:${syslogPort}`]));
  const haproxy = await startHaproxy(t, dir, nginx.port, syslogPort);

  interface Expect extends RequestPlan {
    code: number;
    backend: string;
    server: string;
    /** First two characters of the termination state HAProxy logs (its manual, "Session state at disconnection"). */
    termination: string;
  }
  const plan: Expect[] = [
    { method: 'GET', path: () => '/index.html', count: 30, code: 200, backend: 'be_app', server: 'nginx1', termination: '--' },
    { method: 'GET', path: (i) => `/missing-${i}`, count: 6, code: 404, backend: 'be_app', server: 'nginx1', termination: '--', headers: { host: 'api.example.test' } },
    { method: 'GET', path: () => '/error', count: 4, code: 500, backend: 'be_app', server: 'nginx1', termination: '--' },
    // Connection refused by the server: 503, "SC" (server side, connect state).
    { method: 'GET', path: (i) => `/dead/${i}`, count: 5, code: 503, backend: 'be_dead', server: 'dead1', termination: 'SC' },
    // Denied by the frontend: no backend switch (the frontend's name is logged), no server, "PR" (proxy, request).
    { method: 'GET', path: () => '/deny', count: 3, code: 403, backend: 'fe_http', server: '<NOSRV>', termination: 'PR' },
  ];
  const seen = await sendRequests(haproxy.port, plan);
  for (const p of plan) t.equal(seen.get(p.code), p.count, `client: ${p.count} × ${p.code}`);
  // Answered by HAProxy itself, last and alone: once its line is counted, so are all before it.
  const barrier = await sendRequests(haproxy.port, [{ method: 'GET', path: () => '/barrier', count: 1 }]);
  t.equal(barrier.get(204), 1, 'client: the barrier request got 204');
  const samples = await d.waitForSamples('the barrier request (code 204)', (s) => valueOf(s, 'haproxy_http_requests_total', { code: '204' }) === 1);

  for (const p of plan) {
    t.equal(
      valueOf(samples, 'haproxy_http_requests_total', { frontend: 'fe_http', backend: p.backend, server: p.server, code: String(p.code) }),
      p.count,
      `haproxy_http_requests_total{backend="${p.backend}",server="${p.server}",code="${p.code}"} = ${p.count}`,
    );
  }
  const byBackend = new Map<string, number>();
  for (const p of plan) byBackend.set(p.backend, (byBackend.get(p.backend) ?? 0) + p.count);
  byBackend.set('fe_http', (byBackend.get('fe_http') ?? 0) + 1);
  for (const [backend, n] of byBackend) {
    t.equal(valueOf(samples, 'haproxy_http_requests_total', { backend }), n, `backend ${backend}: ${n} requests`);
  }
  const total = plan.reduce((n, p) => n + p.count, 0) + 1;
  t.equal(valueOf(samples, 'haproxy_http_requests_total'), total, `${total} requests in all`);
  // status_class as nginx.mtail has it; host from the captured Host header (fe_http's first capture).
  for (const [cls, n] of [['2xx', 30 + 1], ['4xx', 6 + 3], ['5xx', 4 + 5]] as const) {
    t.equal(valueOf(samples, 'haproxy_http_requests_total', { status_class: cls }), n, `status_class ${cls}: ${n} requests`);
  }
  t.equal(valueOf(samples, 'haproxy_http_requests_total', { host: 'api.example.test', code: '404' }), 6, 'host: the Host header the client sent');
  t.equal(valueOf(samples, 'haproxy_http_requests_total', { host: `127.0.0.1:${haproxy.port}` }), total - 6, 'host: the default Host header of the others');
  t.equal(
    valueOf(samples, 'haproxy_session_terminations_total', { backend: 'be_dead', termination_state: 'SC' }),
    5,
    'refused connections end in state SC',
  );
  t.equal(valueOf(samples, 'haproxy_session_terminations_total', { backend: 'fe_http', termination_state: 'PR' }), 3, 'denied requests end in state PR');
  t.equal(
    valueOf(samples, 'haproxy_session_terminations_total', { backend: 'be_app', termination_state: '--' }),
    40,
    'requests nginx answered end normally',
  );
  // Only requests that reached a server have a server response time (Tr >= 0).
  t.equal(valueOf(samples, 'haproxy_http_server_response_duration_seconds_count', { backend: 'be_app' }), 40, 'server response time of every request nginx answered');
  t.equal(valueOf(samples, 'haproxy_http_server_response_duration_seconds_count', { backend: 'be_dead' }), undefined, 'none for the refused ones');
  t.equal(valueOf(samples, 'haproxy_http_response_bytes_total', { backend: 'be_app' })! > 30 * nginx.indexBytes, true, 'response bytes include the 200 bodies');
  // %rc: the connection retries of the session; `retries 2` in haproxy.cfg, each refused twice more.
  t.equal(valueOf(samples, 'haproxy_retries_total', { backend: 'be_dead' }), 5 * 2, 'retries: 2 per refused request');
  t.equal(valueOf(samples, 'haproxy_retries_total', { backend: 'be_app' }), 0, 'no retries to nginx');
  // HAProxy sends only request logs here (2.6 sends no datagram at start-up; checked by hand).
  t.equal(valueOf(samples, 'haproxy_log_lines_unparsed_total'), 0, 'every datagram parsed');
  t.equal(valueOf(samples, 'logmetrics_program_runtime_errors_total', { prog: 'haproxy.mtail' }), 0, 'no run-time errors');

  await haproxy.peer.stop();
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
  await nginx.peer.stop();
});
