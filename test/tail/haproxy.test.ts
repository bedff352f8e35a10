import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Collector, freeUdpPort, startTailer, tempDir, waitFor } from './helpers.js';

async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', () => res()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

// HAProxy 2.6 cannot log to a unix *stream* socket directly (`log /path` is SOCK_DGRAM, which
// Node cannot receive without a native module), but a `ring` section forwards to one with
// `server NAME unix@PATH`, newline-terminated. This test runs the real HAProxy both ways we
// support: UDP and a unix stream socket through a ring.
t.test('real HAProxy logging over UDP and through a ring to a unix stream socket', async (t) => {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
  } catch {
    t.fail('haproxy not found: apt-get install -y haproxy');
    return;
  }
  const dir = tempDir(t);
  const sock = path.join(dir, 'haproxy-log.sock');
  const udpPort = await freeUdpPort();
  const httpPort = await freeTcpPort();
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [`udp://127.0.0.1:${udpPort}`, `unix://${sock}`], processor: c });
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(
    cfg,
    `global
  log 127.0.0.1:${udpPort} local0
  log ring@tolm local0
ring tolm
  format rfc3164
  size 32764
  timeout connect 5s
  timeout server 5s
  server lm unix@${sock}
defaults
  mode http
  log global
  option httplog
  timeout client 5s
  timeout connect 5s
  timeout server 5s
frontend f
  bind 127.0.0.1:${httpPort}
  http-request return status 200 content-type text/plain string ok
`,
  );
  const haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  haproxy.stderr.on('data', (d) => (stderr += d));
  t.teardown(() => {
    haproxy.kill('SIGKILL');
  });
  // HAProxy binds asynchronously: retry the request until it answers.
  const get = () =>
    new Promise<number>((res, rej) =>
      http.get(`http://127.0.0.1:${httpPort}/probe`, (r) => (r.resume(), res(r.statusCode ?? 0))).on('error', rej),
    );
  let status = 0;
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    try {
      status = await get();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  t.equal(status, 200, `HAProxy answered (stderr: ${stderr.slice(0, 300)})`);
  const from = (name: string) => c.got.filter((g) => g.file === name).map((g) => g.line);
  await waitFor(() => from(sock).length >= 1 && from(`127.0.0.1:${udpPort}`).length >= 1, 'a log line on each source');
  await tailer.stop();
  // The whole syslog text reaches the program, <PRI> header included (as mtail does).
  const shape = /^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+ )?haproxy\[\d+\]: 127\.0\.0\.1:\d+ \[[^\]]+\] f f\/<NOSRV> .* 200 .*"GET \/probe HTTP\/1\.1"$/;
  t.equal(from(`127.0.0.1:${udpPort}`).length, 1, 'one line over UDP');
  t.match(from(`127.0.0.1:${udpPort}`)[0], shape);
  t.equal(from(sock).length, 1, 'one line over the unix stream socket');
  t.match(from(sock)[0], shape);
});
