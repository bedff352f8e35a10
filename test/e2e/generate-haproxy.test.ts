// `logmetrics generate haproxy` against the real HAProxy in front of the real
// nginx: four frontends log in four formats (option httplog with a captured
// header, option httpslog over TLS, a custom log-format sent as rfc5424, and
// option tcplog), each as syslog datagrams to its own port that the test
// writes to a file. The program generated for each frontend must count
// exactly the requests sent, per status code; the program generated for the
// whole configuration must count all four logs at once.
import dgram from 'node:dgram';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, startPeer, tempDir, valueOf, waitForListener } from '../daemon/helpers.js';
import { FIXTURES, requireBinary, sendRequests, startNginx, type RequestPlan } from './peers.js';
import { cli, countWith, makeCertificate, waitForLines } from './generated.js';
import { generateHaproxy } from '../../src/generate/haproxy/index.js';

const FRONTENDS = ['httplog', 'httpslog', 'custom', 'tcplog'] as const;

t.test('generate haproxy: four log formats, counted exactly', async (t) => {
  const haproxyBin = requireBinary('haproxy', 'haproxy');
  const dir = tempDir(t, 'e2e-gen-haproxy');
  const nginx = await startNginx(t, dir);
  const { pem } = makeCertificate(dir);
  const values: Record<string, string> = { NGINX_PORT: String(nginx.port), DEAD_PORT: String(await freePort()), PEM: pem };
  const logs: Record<string, string> = {};
  const ports: Record<string, number> = {};
  for (const f of FRONTENDS) {
    ports[f] = await freePort();
    values[`${f.toUpperCase()}_PORT`] = String(ports[f]);
    const syslog = await freePort('udp');
    values[`${f.toUpperCase()}_SYSLOG`] = String(syslog);
    logs[f] = join(dir, `${f}.log`);
    writeFileSync(logs[f]!, '');
    // Each datagram is one line of the log, as a syslog daemon would write it.
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg) => appendFileSync(logs[f]!, msg.toString('utf8').replace(/\n$/, '') + '\n'));
    await new Promise<void>((resolve) => socket.bind(syslog, '127.0.0.1', resolve));
    t.teardown(() => socket.close());
  }
  let cfg = readFileSync(join(FIXTURES, 'generate', 'haproxy.cfg'), 'utf8');
  for (const [k, v] of Object.entries(values)) cfg = cfg.split(`@${k}@`).join(v);
  const cfgPath = join(dir, 'haproxy.cfg');
  writeFileSync(cfgPath, cfg);
  const checked = startPeer(t, haproxyBin, ['-c', '-f', cfgPath]);
  t.equal((await checked.exited).code, 0, `haproxy -c accepts the configuration ${checked.output()}`);
  const haproxy = startPeer(t, haproxyBin, ['-db', '-f', cfgPath], { env: { ...process.env, TZ: 'UTC' } });
  for (const f of FRONTENDS) {
    await waitForListener(`haproxy ${f} on ${ports[f]}`, ports[f]!, () => !haproxy.hasExited()).catch((e: Error) => {
      throw new Error(`${e.message}\nhaproxy said: ${haproxy.output()}`);
    });
  }

  const note = { 'X-Note': 'n1', 'User-Agent': 'test agent/1.0' };
  const http: Array<RequestPlan & { code: number }> = [
    { method: 'GET', path: () => '/index.html', count: 10, code: 200, headers: note },
    { method: 'GET', path: (i) => `/missing-${i}`, count: 3, code: 404 },
    { method: 'GET', path: () => '/error', count: 2, code: 500 },
    { method: 'POST', path: () => '/index.html', count: 2, code: 405 },
    { method: 'GET', path: (i) => `/dead/${i}`, count: 2, code: 503 },
    { method: 'GET', path: () => '/deny', count: 2, code: 403 },
  ];
  const expected = new Map<number, number>([[204, 1]]);
  for (const p of http) expected.set(p.code, (expected.get(p.code) ?? 0) + p.count);
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  for (const f of ['httplog', 'httpslog', 'custom'] as const) {
    const tls = f === 'httpslog';
    const seen = await sendRequests(ports[f]!, http, 4, { tls });
    for (const p of http) t.equal(seen.get(p.code), expected.get(p.code), `${f}: the client saw ${expected.get(p.code)} × ${p.code}`);
    await sendRequests(ports[f]!, [{ method: 'GET', path: () => '/barrier', count: 1 }], 1, { tls });
  }
  const tcpCount = 7;
  const tcpSeen = await sendRequests(ports.tcplog!, [{ method: 'GET', path: () => '/index.html', count: tcpCount }]);
  t.equal(tcpSeen.get(200), tcpCount, `tcplog: ${tcpCount} × 200 through the TCP proxy`);

  const progs = join(dir, 'progs');
  mkdirSync(progs);
  for (const f of FRONTENDS) {
    await t.test(`format of fe_${f}`, async (t) => {
      await waitForLines(logs[f]!, f === 'tcplog' ? tcpCount : total);
      const program = join(progs, `${f}.mtail`);
      // In this process, to keep the test fast; the whole configuration below goes through the command line.
      writeFileSync(program, generateHaproxy({ config: cfgPath, formatName: `fe_${f}` }).program);
      const { samples } = countWith(program, logs[f]!);
      t.equal(valueOf(samples, 'haproxy_log_lines_unparsed_total'), 0, `${f}: no line unparsed`);
      if (f === 'tcplog') {
        const got = valueOf(samples, 'haproxy_tcp_connections_total', { frontend: 'fe_tcplog', backend: 'be_tcp', server: 'nginx1' });
        t.equal(got, tcpCount, `tcplog: sent ${tcpCount} connections, counted ${got}`);
        t.equal(valueOf(samples, 'haproxy_tcp_session_duration_seconds_count'), tcpCount, 'tcplog: every session duration observed');
        t.equal(valueOf(samples, 'haproxy_session_terminations_total', { termination_state: '--' }), tcpCount, 'tcplog: all ended normally');
        return;
      }
      for (const [code, n] of expected) {
        const got = valueOf(samples, 'haproxy_http_requests_total', { frontend: `fe_${f}`, code: String(code) });
        t.equal(got, n, `${f}: code ${code}: sent ${n}, counted ${got}`);
      }
      const got = valueOf(samples, 'haproxy_http_requests_total');
      t.equal(got, total, `${f}: sent ${total}, counted ${got}`);
      t.equal(valueOf(samples, 'haproxy_http_requests_total', { method: 'POST' }), 2, `${f}: 2 POST requests`);
      t.equal(valueOf(samples, 'haproxy_http_requests_total', { backend: 'be_dead', server: 'dead1', code: '503' }), 2, `${f}: 2 refused by the dead server`);
      t.equal(valueOf(samples, 'haproxy_session_terminations_total', { backend: 'be_dead', termination_state: 'SC' }), 2, `${f}: refused connections end in SC`);
      t.equal(valueOf(samples, 'haproxy_retries_total', { backend: 'be_dead' }), 4, `${f}: 2 retries per refused request`);
      t.equal(valueOf(samples, 'haproxy_http_server_response_duration_seconds_count', { backend: 'be_app' }), 17, `${f}: server response times of the 17 requests nginx answered`);
      if (f === 'custom') t.equal(valueOf(samples, 'haproxy_http_request_bytes_total')! > 0, true, 'custom: %U bytes counted');
    });
  }

  await t.test('the whole configuration: one program for all four formats', async (t) => {
    const program = join(progs, 'all.mtail');
    const gen = cli(['generate', 'haproxy', '--config', cfgPath, '-o', program]);
    t.equal(gen.code, 0, `generate: exit 0 ${gen.stderr}`);
    const text = readFileSync(program, 'utf8');
    t.equal(text.match(/^const LINE_\d/gm)?.length, 4, 'four layouts');
    const { samples } = countWith(program, FRONTENDS.map((f) => logs[f]).join(','));
    t.equal(valueOf(samples, 'haproxy_http_requests_total'), 3 * total, `all: sent ${3 * total} HTTP requests, counted ${valueOf(samples, 'haproxy_http_requests_total')}`);
    t.equal(valueOf(samples, 'haproxy_tcp_connections_total'), tcpCount, 'all: TCP connections');
    t.equal(valueOf(samples, 'haproxy_log_lines_unparsed_total'), 0, 'all: no line unparsed');
  });

  const check = cli(['check', progs]);
  t.equal(check.code, 0, `check passes on every generated program ${check.stderr}`);
  await haproxy.stop();
  await nginx.peer.stop();
});
