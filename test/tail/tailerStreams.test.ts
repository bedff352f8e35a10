import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SourcePatternError, Tailer } from '../../src/tail/index.js';
import { Collector, freeUdpPort, sourceStats, startTailer, tempDir, waitFor } from './helpers.js';

t.test('a FIFO stays open across writers', async (t) => {
  const dir = tempDir(t);
  const fifo = path.join(dir, 'in.pipe');
  execFileSync('mkfifo', [fifo]);
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [path.join(dir, '*.pipe')], processor: c });
  await waitFor(() => sourceStats(tailer, fifo).open, 'the FIFO to be opened');
  // Opening for writing does not block: the tailer holds the FIFO open.
  for (const session of ['first', 'second']) {
    const fd = fs.openSync(fifo, 'w');
    for (let i = 0; i < 100; i++) fs.writeSync(fd, `${session} ${i}\n`);
    fs.closeSync(fd);
  }
  await waitFor(() => c.count >= 200, '200 lines');
  t.equal(sourceStats(tailer, fifo).kind, 'fifo');
  await tailer.stop();
  const want = ['first', 'second'].flatMap((s) => Array.from({ length: 100 }, (_, i) => `${s} ${i}`));
  t.same(c.lines, want);
  t.same(c.files(), [fifo]);
});

t.test('unix stream socket: connections are separate line streams, syslog text untouched', async (t) => {
  const dir = tempDir(t);
  const sock = path.join(dir, 'log.sock');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [`unix://${sock}`], processor: c });
  const a = net.connect(sock);
  const b = net.connect(sock);
  await Promise.all([a, b].map((s) => new Promise((res) => s.once('connect', res))));
  a.write('<134>Nov 22 02:23:33 host haproxy[1]: a1\n<13');
  b.write('b1\nb2 without newline');
  await waitFor(() => c.count >= 2, 'a1 and b1');
  a.end('4>Nov 22 02:23:34 host haproxy[1]: a2\n');
  b.end();
  await waitFor(() => c.count >= 4, '4 lines');
  t.same(c.lines.filter((l) => l.includes('haproxy')), [
    '<134>Nov 22 02:23:33 host haproxy[1]: a1',
    '<134>Nov 22 02:23:34 host haproxy[1]: a2',
  ]);
  t.same(c.lines.filter((l) => l.startsWith('b')), ['b1', 'b2 without newline']);
  t.same(c.files(), [sock], 'lines carry the socket path, as in mtail');
  t.equal(sourceStats(tailer, sock).kind, 'unix');
  await tailer.stop();
  t.notOk(fs.existsSync(sock), 'socket file removed at stop');
});

t.test('a stale socket file is replaced, a live one is refused', async (t) => {
  const dir = tempDir(t);
  const sock = path.join(dir, 'stale.sock');
  // A process killed with SIGKILL leaves its socket file behind.
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`,
  ]);
  await new Promise((res) => child.stdout.once('data', res));
  const refused = new Tailer({ patterns: [`unix://${sock}`], processor: { processLine: () => {} } });
  await t.rejects(refused.start(), /another process is listening/, 'a live socket is not stolen');
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  t.ok(fs.existsSync(sock), 'the socket file was left behind');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [`unix://${sock}`], processor: c });
  const s = net.connect(sock);
  s.end('hello\n');
  await waitFor(() => c.count >= 1, '1 line');
  await tailer.stop();
  t.same(c.lines, ['hello']);
});

t.test('unixgram:// is refused with the alternatives', async (t) => {
  const tailer = new Tailer({ patterns: ['unixgram:///dev/log'], processor: { processLine: () => {} } });
  await t.rejects(tailer.start(), SourcePatternError);
});

t.test('UDP syslog: each datagram is a message, text untouched', async (t) => {
  const port = await freeUdpPort();
  const name = `127.0.0.1:${port}`;
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [`udp://${name}`], processor: c });
  const client = dgram.createSocket('udp4');
  t.teardown(() => client.close());
  const send = (msg: string) =>
    new Promise<void>((res, rej) => client.send(Buffer.from(msg), port, '127.0.0.1', (e) => (e ? rej(e) : res())));
  const want: string[] = [];
  for (let i = 0; i < 100; i++) {
    const rfc3164 = `<134>Nov 22 02:23:33 haproxy[7]: request ${i}`;
    await send(rfc3164 + '\n');
    want.push(rfc3164);
    // RFC 5424 over UDP, without a trailing newline: still one line, not glued to the next.
    const rfc5424 = `<14>1 2024-01-01T00:00:00Z host app - - - message ${i}`;
    await send(rfc5424);
    want.push(rfc5424);
  }
  await send('two\nlines\n');
  want.push('two', 'lines');
  await waitFor(() => c.count >= want.length, `${want.length} lines`);
  await tailer.stop();
  t.same(c.lines, want);
  t.same(c.files(), [name], 'lines carry host:port, as in mtail');
  t.equal(sourceStats(tailer, name).kind, 'udp');
});

t.test('a UDP port in use is a start-up error', async (t) => {
  const blocker = dgram.createSocket('udp4');
  await new Promise<void>((res) => blocker.bind(0, '127.0.0.1', () => res()));
  t.teardown(() => blocker.close());
  const tailer = new Tailer({ patterns: [`udp://127.0.0.1:${blocker.address().port}`], processor: { processLine: () => {} } });
  await t.rejects(tailer.start(), { code: 'EADDRINUSE' });
});
