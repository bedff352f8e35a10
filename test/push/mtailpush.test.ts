// mtail's push outputs against real receivers in the test: a TCP listener as
// carbon (graphite), a UDP socket as statsd, a unix socket speaking collectd's
// unixsock protocol (it answers every PUTVAL). The lines are the ones mtail's
// internal/exporter/{graphite,statsd,collectd}.go write, and the installed mtail
// pushing the same program and log to its own receivers sends the same lines.
import { createSocket } from 'node:dgram';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freePort, get, startDaemon, startPeer, tempDir, type Teardown, waitUntil } from '../daemon/helpers.js';
import { requireBinary } from '../e2e/peers.js';

const PROGRAM = `counter requests_total by code, host
gauge ratio
histogram latency buckets 0.5, 1
text last_method
/^(?P<method>[A-Z]+) (?P<code>\\d+) (?P<lat>\\d+\\.\\d+) (?P<host>\\S+)$/ {
  requests_total[$code][$host]++
  ratio = 0.25
  latency = $lat
  last_method = $method
}
`;
const LINES = 'GET 200 0.25 www.example.com\nGET 200 0.75 www.example.com\nPOST 500 2.5 a-b.c\n';

/** A push target's receiving end: what each connection (or datagram) brought. */
interface Receiver {
  address: string;
  /** Complete pushes (one per connection) or datagrams, as received. */
  received: string[];
}

async function graphiteReceiver(t: Teardown): Promise<Receiver> {
  const r: Receiver = { address: '', received: [] };
  const server = createServer((c) => {
    let text = '';
    c.setEncoding('utf8');
    c.on('data', (s: string) => (text += s));
    c.on('end', () => r.received.push(text));
  });
  await listen(t, server, { port: 0, host: '127.0.0.1' });
  r.address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return r;
}

async function statsdReceiver(t: Teardown): Promise<Receiver> {
  const port = await freePort('udp');
  const r: Receiver = { address: `127.0.0.1:${port}`, received: [] };
  const socket = createSocket('udp4');
  socket.on('message', (m) => r.received.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return r;
}

/** collectd's unixsock plugin: one command a line, each answered with a status line. */
async function collectdReceiver(t: Teardown, path: string): Promise<Receiver> {
  const r: Receiver = { address: path, received: [] };
  const server = createServer((c) => {
    let text = '';
    let pending = '';
    // mtail closes without reading the answers; writing them then fails with EPIPE.
    c.on('error', () => undefined);
    c.setEncoding('utf8');
    c.on('data', (s: string) => {
      pending += s;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        text += line + '\n';
        c.write(/^PUTVAL "[^"]+" interval=\d+ \d+:\S+$/.test(line) ? '0 Success: 1 value has been dispatched.\n' : '-1 Unknown command\n');
      }
    });
    c.on('end', () => c.end());
    c.on('close', () => r.received.push(text));
  });
  await listen(t, server, { path });
  return r;
}

function listen(t: Teardown, server: Server, where: { port: number; host: string } | { path: string }): Promise<void> {
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => resolve());
  });
}

/** Replaces the seconds-since-epoch field with T after checking it is about now. */
function normalizeTimes(t: Teardown & { ok: (v: unknown, m: string) => void }, lines: string[], re: RegExp): string[] {
  const now = Math.floor(Date.now() / 1000);
  return lines.map((l) => {
    const m = re.exec(l);
    if (m) t.ok(Math.abs(Number(m[1]) - now) < 300, `a current time in ${l}`);
    return m ? l.replace(m[1]!, 'T') : l;
  });
}

const GRAPHITE_TIME = / (\d+)$/;
const COLLECTD_TIME = / (\d+):[^:]+$/;

/** The last push a receiver got that holds `want` lines, or the distinct datagrams once all wanted ones came. */
async function lastPush(r: Receiver, what: string, ok: (lines: string[]) => boolean): Promise<string[]> {
  return waitUntil(
    () => `${what}; received:\n${r.received.slice(-5).join('\n---\n')}`,
    () => {
      const last = r.received.at(-1);
      if (last === undefined) return undefined;
      const lines = last.split('\n').filter((l) => l !== '');
      return ok(lines) ? lines : undefined;
    },
    60_000,
  );
}

async function datagrams(r: Receiver, what: string, ok: (set: string[]) => boolean): Promise<string[]> {
  return waitUntil(
    () => `${what}; received:\n${r.received.slice(-10).join('\n')}`,
    () => {
      // A push is the datagrams since the one naming the first metric, in order.
      const starts = r.received.map((d, i) => (d.includes('.latency:') ? i : -1)).filter((i) => i >= 0);
      if (starts.length < 2) return undefined;
      const push = r.received.slice(starts.at(-2), starts.at(-1));
      return ok(push) ? push : undefined;
    },
    60_000,
  );
}

/**
 * The distinct datagrams of the pushes after the metrics were complete: mtail
 * walks its store in Go map order, so one push cannot be told from the next by
 * its first datagram.
 */
async function settledDatagrams(r: Receiver): Promise<string[]> {
  await datagrams(r, 'a statsd push with every line', complete);
  r.received.length = 0;
  await new Promise((resolve) => setTimeout(resolve, 2500));
  return [...new Set(r.received)];
}

interface Pushers {
  graphite: Receiver;
  statsd: Receiver;
  collectd: Receiver;
}

async function receivers(t: Teardown, dir: string): Promise<Pushers> {
  return { graphite: await graphiteReceiver(t), statsd: await statsdReceiver(t), collectd: await collectdReceiver(t, join(dir, 'collectd.sock')) };
}

function pushFlags(p: Pushers): string[] {
  return [
    '-graphite_host_port', p.graphite.address, '-graphite_prefix', 'pre.',
    '-statsd_hostport', p.statsd.address, '-statsd_prefix=s.',
    '-collectd_socketpath', p.collectd.address, '-collectd_prefix', 'c',
    '-metric_push_interval', '1s',
  ];
}

const complete = (lines: string[]) => lines.some((l) => /requests_total.code.500/.test(l)) && lines.some((l) => /requests_total.code.200.+ 2 /.test(l) || /requests_total.code.200.+:2\|/.test(l) || /200-host-www.example.com" interval=1 \d+:2$/.test(l));

async function collect(p: Pushers): Promise<{ graphite: string[]; statsd: string[]; collectd: string[] }> {
  return {
    graphite: await lastPush(p.graphite, 'a graphite push with every line', complete),
    statsd: await datagrams(p.statsd, 'a statsd push with every line', complete),
    collectd: await lastPush(p.collectd, 'a collectd push with every line', complete),
  };
}

t.test('graphite, statsd and collectd pushes, in mtail formats', async (t) => {
  const dir = tempDir(t, 'push');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'push.mtail'), PROGRAM);
  const log = join(dir, 'a.log');
  writeFileSync(log, '');
  const p = await receivers(t, dir);
  const d = await startDaemon(t, ['-progs', join(dir, 'progs'), '-logs', log, '-port', '0', '-address', '127.0.0.1', ...pushFlags(p)]);
  appendFileSync(log, LINES);
  const got = await collect(p);
  t.same(normalizeTimes(t, got.graphite, GRAPHITE_TIME), [
    'pre.push.mtail.latency.bin_0.5 1 T',
    'pre.push.mtail.latency.bin_1 1 T',
    'pre.push.mtail.latency.bin_inf 1 T',
    'pre.push.mtail.latency.count 3 T',
    'pre.push.mtail.latency 3.5 T',
    'pre.push.mtail.ratio 0.25 T',
    'pre.push.mtail.requests_total.code.200.host.www_example_com 2 T',
    'pre.push.mtail.requests_total.code.500.host.a-b_c 1 T',
  ], 'graphite: plaintext lines, histogram bins and count, dots in values replaced, no text metric');
  t.same(got.statsd, [
    's.push.mtail.latency:3.5|',
    's.push.mtail.ratio:0.25|g',
    's.push.mtail.requests_total.code.200.host.www_example_com:2|c',
    's.push.mtail.requests_total.code.500.host.a-b_c:1|c',
  ], 'statsd: one datagram per label set, c and g types');
  const host = hostname();
  t.same(normalizeTimes(t, got.collectd, COLLECTD_TIME), [
    `PUTVAL "${host}/cmtail-push.mtail/histogram-latency" interval=1 T:3.5`,
    `PUTVAL "${host}/cmtail-push.mtail/gauge-ratio" interval=1 T:0.25`,
    `PUTVAL "${host}/cmtail-push.mtail/counter-requests_total-code-200-host-www.example.com" interval=1 T:2`,
    `PUTVAL "${host}/cmtail-push.mtail/counter-requests_total-code-500-host-a_b.c" interval=1 T:1`,
  ], 'collectd: PUTVAL with host, plugin, type and interval; dashes in values replaced');
  const metrics = await get(d.url('/metrics'));
  t.match(metrics.body, /^requests_total\{prog="push\.mtail",code="500",host="a-b\.c"\} 1$/m, '/metrics serves the same store');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('a receiver that is down is logged once and retried', async (t) => {
  const dir = tempDir(t, 'push-down');
  writeFileSync(join(dir, 'p.mtail'), PROGRAM);
  const port = await freePort();
  const d = await startDaemon(t, ['-progs', join(dir, 'p.mtail'), '-logs', join(dir, 'none.log'), '-port', '0', '-address', '127.0.0.1', '-graphite_host_port', `127.0.0.1:${port}`, '-metric_push_interval', '200ms']);
  await d.waitForLog(/event=push_failed .*target=graphite/);
  const r: Receiver = { address: '', received: [] };
  const server = createServer((c) => {
    c.resume();
    c.on('end', () => r.received.push('push'));
  });
  await listen(t, server, { port, host: '127.0.0.1' });
  await d.waitForLog(/event=push_recovered .*target=graphite/);
  t.equal(d.stderr().match(/event=push_failed/g)?.length, 1, 'one log line while it was down');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('the installed mtail pushes the same lines', async (t) => {
  const mtail = requireBinary('mtail', 'mtail');
  const dir = tempDir(t, 'push-mtail');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'push.mtail'), PROGRAM);
  const logs = { ours: join(dir, 'ours.log'), theirs: join(dir, 'theirs.log') };
  writeFileSync(logs.ours, '');
  writeFileSync(logs.theirs, '');
  mkdirSync(join(dir, 'ours'));
  mkdirSync(join(dir, 'theirs'));
  const ours = await receivers(t, join(dir, 'ours'));
  const theirs = await receivers(t, join(dir, 'theirs'));
  const port = await freePort();
  const peer = startPeer(t, mtail, ['-progs', join(dir, 'progs'), '-logs', logs.theirs, '-port', String(port), '-address', '127.0.0.1', '-logtostderr', ...pushFlags(theirs)]);
  await waitUntil(() => `mtail listening on ${port}`, async () => ((await get(`http://127.0.0.1:${port}/`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000);
  const d = await startDaemon(t, ['-progs', join(dir, 'progs'), '-logs', logs.ours, '-port', '0', '-address', '127.0.0.1', ...pushFlags(ours)]);
  appendFileSync(logs.theirs, LINES);
  appendFileSync(logs.ours, LINES);
  const a = await collect(ours);
  const b = await collect(theirs);
  a.statsd = await settledDatagrams(ours.statsd);
  b.statsd = await settledDatagrams(theirs.statsd);
  // mtail's histogram bins come in Go map order; compare the lines as sets.
  const sorted = (lines: string[], re?: RegExp) => (re ? normalizeTimes(t, lines, re) : lines).slice().sort();
  t.same(sorted(a.graphite, GRAPHITE_TIME), sorted(b.graphite, GRAPHITE_TIME), 'graphite: the same lines as mtail');
  t.same(sorted(a.statsd), sorted(b.statsd), 'statsd: the same datagrams as mtail');
  t.same(sorted(a.collectd, COLLECTD_TIME), sorted(b.collectd, COLLECTD_TIME), 'collectd: the same commands as mtail');
  t.notOk(peer.hasExited(), `mtail kept running: ${peer.output().slice(-300)}`);
  t.equal((await d.stop()).code, 0, 'exit 0');
});
