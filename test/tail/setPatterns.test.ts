// Tailer.setPatterns (a reloaded config file): sockets added and closed, files of new globs
// followed from their end, files no pattern names any more released; a socket that cannot be
// bound rejects and changes nothing.
import dgram from 'node:dgram';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Tailer } from '../../src/tail/index.js';
import { freePort, tempDir, waitUntil } from '../daemon/helpers.js';

async function send(port: number, text: string): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => s.send(text, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  s.close();
}

t.test('setPatterns adds and drops files and sockets while running', async (t) => {
  const dir = tempDir(t, 'logmetrics-setpatterns-');
  const a = join(dir, 'a.log');
  const b = join(dir, 'b.log');
  writeFileSync(a, '');
  writeFileSync(b, 'old\n');
  const got: [string, string][] = [];
  const tailer = new Tailer({ patterns: [a], processor: { processLine: (line, name) => void got.push([name, line]) }, pollIntervalMs: 50 });
  await tailer.start();
  t.teardown(() => tailer.stop());
  const port = await freePort('udp');
  await tailer.setPatterns([a, b, `udp://127.0.0.1:${port}`]);
  appendFileSync(a, 'a1\n');
  appendFileSync(b, 'b1\n');
  await send(port, 'u1\n');
  await waitUntil('a1, b1 and u1', () => (got.length >= 3 ? true : undefined));
  t.same(
    got.map(([n, l]) => `${n === a ? 'a' : n === b ? 'b' : n}:${l}`).sort(),
    ['127.0.0.1:' + port + ':u1', 'a:a1', 'b:b1'].sort(),
    "b.log followed from its end (not 'old'), the UDP socket bound",
  );

  // A socket that cannot be bound (the port is taken): rejected, nothing changes.
  const taken = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
  t.teardown(() => taken.close());
  await t.rejects(tailer.setPatterns([a, `udp://127.0.0.1:${taken.address().port}`]), 'a port in use rejects');
  await send(port, 'u2\n');
  appendFileSync(b, 'b2\n');
  await waitUntil('u2 and b2', () => (got.length >= 5 ? true : undefined));

  // Only a.log now: b.log and the socket are released.
  await tailer.setPatterns([a]);
  t.same(Object.keys(tailer.stats().sources), [a], 'only a.log is a source');
  const rebound = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    rebound.once('error', reject);
    rebound.bind(port, '127.0.0.1', resolve);
  });
  rebound.close();
  t.pass('the UDP port is free again');
  appendFileSync(b, 'b3\n');
  appendFileSync(a, 'a2\n');
  await waitUntil('a2', () => (got.some(([, l]) => l === 'a2') ? true : undefined));
  t.notOk(got.some(([, l]) => l === 'b3'), 'b.log is no longer read');
});
