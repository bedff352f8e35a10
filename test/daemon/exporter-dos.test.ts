// The authenticated exporter under attack, on loopback against the real daemon: a flood of
// wrong passwords (responses never read) while Prometheus keeps scraping with the right one;
// web configs that must stop the start-up, and reloads that must keep the config in force;
// slow connections held open (slow-loris) against the connection cap and header timeout;
// SIGTERM while expensive bcrypt checks run. Bounds are functional and generous (the machine
// running the tests may be busy); the time figures belong in bench/, not here.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t, { type Test } from 'tap';
import { decoyHash } from '../../src/export/server/basicauth.js';
import { BIN, ROOT, get, runArgs, startDaemon, tempDir, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const GOOD = { Authorization: basic('prometheus', PASSWORD) };

function setup(t: Test, name: string, webYaml: string): { dir: string; progs: string; log: string; config: string } {
  const dir = tempDir(t, name);
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'n.mtail'), 'counter n_total\n/^n$/ {\n  n_total++\n}\n');
  const log = join(dir, 'n.log');
  writeFileSync(log, '');
  const config = join(dir, 'web.yml');
  writeFileSync(config, webYaml);
  return { dir, progs, log, config };
}

/** Sends one GET with these credentials and never reads the answer; the socket is closed after `holdMs`. */
function fireAndForget(port: number, authorization: string, holdMs: number): void {
  const s = net.connect(port, '127.0.0.1', () => {
    s.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n\r\n`);
  });
  s.on('error', () => undefined);
  s.pause();
  setTimeout(() => s.destroy(), holdMs).unref();
}

t.test('good scrapes are answered under a flood of 100 wrong passwords a second', async (t) => {
  // Cost 10, Go's default: about 100 ms per check in bcryptjs, so 100 guesses a second are
  // ten times what one core can check.
  const { progs, log, config } = setup(t, 'flood', `basic_auth_users:\n  prometheus: '${bcrypt.hashSync(PASSWORD, 10)}'\n`);
  const d = await startDaemon(t, runArgs(progs, [log], '--web.config.file', config));
  const first = await get(d.url('/metrics'), { headers: GOOD, timeoutMs: 30_000 });
  t.equal(first.status, 200, 'the first scrape checks the password and passes');

  const FLOOD_SECONDS = 6;
  const PER_SECOND = 100;
  let sent = 0;
  const flood = setInterval(() => {
    for (let i = 0; i < PER_SECOND / 10; i++) fireAndForget(d.port, basic('prometheus', `guess-${sent++}`), 8_000);
  }, 100);
  const scrapes: { status: number | string; ms: number }[] = [];
  const started = Date.now();
  while (Date.now() - started < FLOOD_SECONDS * 1000) {
    const t0 = Date.now();
    try {
      const r = await get(d.url('/metrics'), { headers: GOOD, timeoutMs: 5_000 });
      scrapes.push({ status: r.status, ms: Date.now() - t0 });
    } catch (err) {
      scrapes.push({ status: (err as Error).message, ms: Date.now() - t0 });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(flood);
  t.ok(sent >= PER_SECOND * FLOOD_SECONDS * 0.5, `${sent} wrong-password requests sent`);
  t.ok(scrapes.length >= 5, `${scrapes.length} scrapes during the flood`);
  t.same(scrapes.filter((s) => s.status !== 200), [], 'every scrape with the right password got its metrics within 5 s');

  // The queue of checks is bounded: a burst beyond it is answered 429 at once, not queued.
  const burst = await Promise.all(
    Array.from({ length: 60 }, (_, i) => get(d.url('/metrics'), { headers: { Authorization: basic('prometheus', `burst-${i}`) }, timeoutMs: 60_000 })),
  );
  const statuses = burst.map((r) => r.status);
  t.ok(statuses.includes(429), `some of a burst of 60 guesses refused as busy (${statuses.filter((s) => s === 429).length})`);
  t.same(statuses.filter((s) => s !== 429 && s !== 401), [], 'the others denied');
  t.equal(burst.find((r) => r.status === 429)?.headers['retry-after'], '1', '429 says when to retry');
  t.equal((await get(d.url('/healthz'), { headers: GOOD })).status, 200, 'and the daemon is fine');
});

t.test('a web config that cannot be used stops the start-up with status 1', async (t) => {
  const hash = bcrypt.hashSync(PASSWORD, 4);
  const cases: { name: string; yaml: string; error: RegExp }[] = [
    { name: 'bad YAML', yaml: 'basic_auth_users: [\n', error: /web\.yml:\d+:\d+: not valid YAML/ },
    { name: 'unknown key', yaml: `basic_auth_user:\n  prometheus: '${hash}'\n`, error: /web\.yml:1:1: .*basic_auth_user/ },
    { name: 'missing certificate', yaml: 'tls_server_config:\n  cert_file: nowhere.pem\n  key_file: nowhere.key\n', error: /nowhere\.pem/ },
    { name: 'plaintext password', yaml: `basic_auth_users:\n  prometheus: ${PASSWORD}\n`, error: /web\.yml:2:\d+: basic_auth_users\.prometheus: not a bcrypt hash/ },
    { name: 'cost above the maximum', yaml: `basic_auth_users:\n  prometheus: '${decoyHash(15)}'\n`, error: /bcrypt cost 15 is above the maximum of 14/ },
  ];
  for (const c of cases) {
    const { progs, log, config } = setup(t, 'badconfig', c.yaml);
    const child = spawn(process.execPath, [BIN, ...runArgs(progs, [log], '--web.config.file', config)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const exit = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    t.equal(exit, 1, `${c.name}: exits with status 1 (null: still running after 30 s)`);
    t.match(err, c.error, `${c.name}: says what is wrong`);
    t.notMatch(err, /event=listening/, `${c.name}: never listened`);
  }
});

t.test('SIGHUP rereads the web config; a broken one leaves the old in force and says so', async (t) => {
  const { progs, log, config } = setup(t, 'reload', `basic_auth_users:\n  prometheus: '${bcrypt.hashSync(PASSWORD, 4)}'\n`);
  const d = await startDaemon(t, runArgs(progs, [log], '--web.config.file', config));
  t.equal((await get(d.url('/metrics'), { headers: GOOD })).status, 200, 'the first password works');

  writeFileSync(config, 'basic_auth_users: [\n');
  let from = d.stderr().length;
  d.child.kill('SIGHUP');
  await d.waitForLog(/event=web_config_reload_failed .*not valid YAML.*keeping the previous web config/, from);
  t.equal((await get(d.url('/metrics'), { headers: GOOD })).status, 200, 'after a broken config: the old password still works');
  t.equal((await get(d.url('/metrics'))).status, 401, 'and authentication is still required');

  writeFileSync(config, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('new password', 4)}'\n`);
  from = d.stderr().length;
  d.child.kill('SIGHUP');
  await d.waitForLog(/event=web_config_reloaded /, from);
  t.equal((await get(d.url('/metrics'), { headers: GOOD })).status, 401, 'after a good config: the old password is refused');
  t.equal((await get(d.url('/metrics'), { headers: { Authorization: basic('prometheus', 'new password') } })).status, 200, 'the new one works');
});

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

t.test('slow-loris: connections beyond --max-connections are refused, and silent ones are closed', async (t) => {
  const { progs, log } = setup(t, 'loris', '');
  const CAP = 20;
  const d = await startDaemon(t, runArgs(progs, [log], '--max-connections', String(CAP)));
  const before = openDescriptors(d.child.pid!);
  const sockets: net.Socket[] = [];
  const closedByServer: boolean[] = [];
  for (let i = 0; i < 150; i++) {
    const s = net.connect(d.port, '127.0.0.1');
    const k = i;
    closedByServer[k] = false;
    s.on('error', () => undefined);
    s.on('close', () => (closedByServer[k] = true));
    s.resume(); // read what the server says (a 408), so that its close is seen
    // A request head that never ends: one header line, then silence.
    s.on('connect', () => s.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'));
    sockets.push(s);
  }
  t.teardown(() => sockets.forEach((s) => s.destroy()));
  await waitUntil('all 150 connections settled', () => (sockets.every((s) => !s.connecting) ? true : undefined), 30_000);
  await new Promise((r) => setTimeout(r, 500));
  const held = openDescriptors(d.child.pid!) - before;
  t.ok(held <= CAP + 5, `the daemon holds ${held} more descriptors with 150 slow clients (cap ${CAP})`);
  // The header timeout (10 s) closes the silent ones; then scrapes get through again.
  await waitUntil('the server to close every slow connection', () => (closedByServer.every(Boolean) ? true : undefined), 40_000);
  t.pass('every slow connection was closed by the server');
  t.equal((await get(d.url('/healthz'))).status, 200, 'and /healthz answers');
});

t.test('SIGTERM while expensive bcrypt checks run: the daemon exits promptly', async (t) => {
  // Cost 14: a second or more per check in bcryptjs; ten queued wrong guesses are ten or more.
  const { progs, log, config } = setup(t, 'sigterm', `basic_auth_users:\n  prometheus: '${decoyHash(14)}'\n`);
  const d = await startDaemon(t, runArgs(progs, [log], '--web.config.file', config));
  for (let i = 0; i < 10; i++) fireAndForget(d.port, basic('prometheus', `guess-${i}`), 60_000);
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  const r = await d.stop('SIGTERM', 30_000);
  const ms = Date.now() - t0;
  t.equal(r.code, 0, 'exit 0');
  t.ok(ms < 8_000, `exited ${ms} ms after SIGTERM, without waiting for the checks`);
});
