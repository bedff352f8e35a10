// The shipped /etc/logmetrics/logmetrics.yml on a host running real nginx and HAProxy and
// writing syslog files: each program reads only the logs its pipeline names. nginx.mtail
// counts every request nginx served and nginx_log_lines_unparsed_total stays 0 (the shipped
// NginxLogLinesUnparsed alert is quiet), although HAProxy's syslog datagrams, sshd and cron
// lines and an Apache log flow through the same daemon; apache.mtail, bound to its own log
// only, counts none of nginx's requests.
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, ROOT, startDaemon, tempDir, valueOf } from '../daemon/helpers.js';
import { spawnSync } from 'node:child_process';
import { sendRequests, startHaproxy, startNginx, type RequestPlan } from './peers.js';

const BIN = join(ROOT, 'bin', 'logmetrics.js');

t.test('the shipped logmetrics.yml: nginx + HAProxy + syslog + apache, each program on its own logs', async (t) => {
  const dir = tempDir(t, 'logmetrics-e2e-config-');
  const nginx = await startNginx(t, dir);
  const syslogPort = await freePort('udp');
  const files = { syslog: join(dir, 'syslog'), auth: join(dir, 'auth.log'), apache: join(dir, 'apache-access.log') };
  for (const f of Object.values(files)) writeFileSync(f, '');

  // The shipped file as /etc/logmetrics holds it (programs/ beside it), pointed at this host's logs.
  cpSync(join(ROOT, 'programs'), join(dir, 'programs'), { recursive: true });
  const shipped = readFileSync(join(ROOT, 'deploy', 'systemd', 'logmetrics.yml'), 'utf8');
  const replacements: [string, string][] = [
    ['port: 3903', 'port: 0\naddress: 127.0.0.1'],
    ['/var/log/nginx/access.log', nginx.accessLog],
    // Real HAProxy sends its syslog datagrams straight to us instead of through rsyslog.
    ['/var/log/haproxy.log', `udp://127.0.0.1:${syslogPort}`],
    ['/var/log/syslog', files.syslog],
    ['/var/log/auth.log', files.auth],
  ];
  let text = shipped;
  for (const [from, to] of replacements) {
    t.ok(text.includes(from), `the shipped file names ${from}`);
    text = text.replace(from, to);
  }
  text += `  - name: apache\n    logs: [${files.apache}]\n    programs: [programs/apache.mtail]\n`;
  const config = join(dir, 'logmetrics.yml');
  writeFileSync(config, text);
  const check = spawnSync(process.execPath, [BIN, 'check', '--config', config], { encoding: 'utf8' });
  t.equal(check.status, 0, `check --config accepts it: ${check.stderr}`);

  const d = await startDaemon(t, ['run', '--config', config]);
  const haproxy = await startHaproxy(t, dir, nginx.port, syslogPort);

  const viaHaproxy: RequestPlan[] = [
    { method: 'GET', path: () => '/index.html', count: 20 },
    { method: 'GET', path: (i) => `/missing-${i}`, count: 5 },
  ];
  const direct: RequestPlan[] = [
    { method: 'GET', path: () => '/index.html', count: 10 },
    { method: 'GET', path: () => '/error', count: 3 },
  ];
  const a = await sendRequests(haproxy.port, viaHaproxy);
  const b = await sendRequests(nginx.port, direct);
  t.same([a.get(200), a.get(404), b.get(200), b.get(500)], [20, 5, 10, 3], 'client: every response as planned');
  const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures', 'programs', 'syslog', name), 'utf8');
  appendFileSync(files.auth, fixture('auth.log'));
  appendFileSync(files.syslog, fixture('syslog.log'));
  const lineCount = (text: string) => text.split('\n').filter((l) => l !== '').length;
  const apacheLines = readFileSync(join(ROOT, 'fixtures', 'programs', 'apache', 'access-combined.log'), 'utf8').split('\n').filter((l) => l !== '');
  appendFileSync(files.apache, apacheLines.join('\n') + '\n');
  // Barriers, last: HAProxy answers /barrier itself, nginx answers it with 204.
  t.equal((await sendRequests(haproxy.port, [{ method: 'GET', path: () => '/barrier', count: 1 }])).get(204), 1, 'HAProxy barrier');
  t.equal((await sendRequests(nginx.port, [{ method: 'GET', path: () => '/barrier', count: 1 }])).get(204), 1, 'nginx barrier');
  const apacheTotal = apacheLines.length;
  const samples = await d.waitForSamples(
    'both barriers, the sshd logins and the apache lines',
    (s) =>
      valueOf(s, 'haproxy_http_requests_total', { code: '204' }) === 1 &&
      valueOf(s, 'nginx_http_requests_total', { code: '204' }) === 1 &&
      valueOf(s, 'logmetrics_log_lines_total', { source: files.auth }) === lineCount(fixture('auth.log')) &&
      valueOf(s, 'logmetrics_log_lines_total', { source: files.syslog }) === lineCount(fixture('syslog.log')) &&
      valueOf(s, 'logmetrics_log_lines_total', { source: files.apache }) === apacheTotal,
  );

  const nginxRequests = 20 + 5 + 10 + 3 + 1;
  t.equal(valueOf(samples, 'nginx_http_requests_total'), nginxRequests, `nginx.mtail counted all ${nginxRequests} requests nginx served`);
  t.equal(valueOf(samples, 'nginx_log_lines_unparsed_total'), 0, 'nginx_log_lines_unparsed_total is 0: no other log reached nginx.mtail');
  t.equal(valueOf(samples, 'haproxy_http_requests_total'), 20 + 5 + 1, 'haproxy.mtail counted the 26 requests HAProxy logged');
  t.equal(valueOf(samples, 'haproxy_http_requests_total', { code: '200' }), 20, '20 × 200 through HAProxy');
  t.equal(valueOf(samples, 'apache_http_requests_total'), apacheTotal, `apache.mtail counted its own ${apacheTotal} lines and no nginx request`);
  t.equal(valueOf(samples, 'apache_log_lines_unparsed_total'), 0, 'and nothing it could not read');
  // syslog.mtail over the two files gives what mtail gives over auth.log alone (syslog.log holds no sshd line).
  const golden = [...fixture('auth.mtail-output.prom').matchAll(/^sshd_logins_accepted_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  t.ok(golden > 0, 'the golden file has accepted logins');
  t.equal(valueOf(samples, 'sshd_logins_accepted_total'), golden, `syslog.mtail: the ${golden} accepted sshd logins mtail counts in auth.log`);
  t.equal(valueOf(samples, 'logmetrics_config_last_reload_successful'), 1, 'the config loaded');
  // Each program saw only its own logs' lines.
  const lines = (prog: string) => valueOf(samples, 'logmetrics_program_lines_total', { prog });
  t.equal(lines('nginx.mtail'), nginxRequests, 'nginx.mtail saw only the nginx access log');
  t.equal(lines('apache.mtail'), apacheTotal, 'apache.mtail saw only the apache log');
  t.equal(lines('haproxy.mtail'), 26, 'haproxy.mtail saw only the HAProxy datagrams');

  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
  await haproxy.peer.stop();
  await nginx.peer.stop();
});
