// Stopping and starting again: with --state-dir a restart while the
// application goes on logging neither loses nor repeats a line (the counts of
// the two runs add up to the lines written), and SIGTERM lets a scrape in
// progress finish before the daemon exits 0.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { LineWriter, runArgs, startDaemon, tempDir, valueOf, waitUntil, type Daemon } from './helpers.js';

// Lines carry a sequence number from 1: first_seq and last_seq show which part
// of the log a run has read, data_total how many lines it counted.
const SEQUENCE = `counter data_total
gauge first_seq
gauge last_seq
counter barrier_total by token

/^data (?P<n>\\d+)$/ {
  data_total++
  first_seq == 0 {
    first_seq = $n
  }
  last_seq = $n
}
/^barrier (?P<token>\\w+)$/ {
  barrier_total[$token]++
}
`;

/** Pauses the writer and waits until the daemon has read everything written; returns the run's figures. */
async function settle(d: Daemon, log: string, w: LineWriter, token: string) {
  const written = w.pause();
  appendFileSync(log, `barrier ${token}\n`);
  const s = await d.waitForSamples(`barrier ${token}`, (x) => valueOf(x, 'barrier_total', { token }) === 1);
  return { written, count: valueOf(s, 'data_total'), first: valueOf(s, 'first_seq'), last: valueOf(s, 'last_seq') };
}

t.test('restart with --state-dir while the writer keeps writing', async (t) => {
  const dir = tempDir(t, 'logmetrics-restart-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'seq.mtail'), SEQUENCE);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const state = join(dir, 'state');
  const args = runArgs(join(dir, 'progs'), [log], '--state-dir', state);

  const run1 = await startDaemon(t, args);
  const w = new LineWriter(t, log, (i) => `data ${i + 1}`);
  await run1.waitForSamples('300 lines in run 1', (s) => (valueOf(s, 'data_total') ?? 0) >= 300);
  // The last scrape of run 1 must see all it will ever count, so the writer
  // pauses for the scrape and the stop (a stopping daemon still reads for a moment).
  const one = await settle(run1, log, w, 'run1');
  t.equal(one.count, one.written, 'run 1 counted every line written while it ran');
  t.equal(one.first, 1, 'run 1 started at the first line');
  t.equal(one.last, one.written, 'run 1 read up to the last line');
  t.equal((await run1.stop()).code, 0, 'run 1: SIGTERM, exit 0');

  // Lines written while no daemon runs, and while the next one starts up.
  w.resume();
  await waitUntil('lines written while stopped', () => (w.written >= one.written + 200 ? true : undefined));
  const run2 = await startDaemon(t, args);
  await run2.waitForSamples('300 lines in run 2', (s) => (valueOf(s, 'data_total') ?? 0) >= 300);
  const two = await settle(run2, log, w, 'run2');
  t.ok(two.written > one.written + 300, 'the writer went on across the restart');
  t.equal(two.first, one.written + 1, 'run 2 started at the first line run 1 had not read');
  t.equal(two.last, two.written, 'run 2 read up to the last line');
  t.equal(two.count, two.written - one.written, 'run 2 counted each remaining line once');
  t.equal(one.count! + two.count!, two.written, 'the two runs together counted every line written, once');
  await w.stop();
  t.equal((await run2.stop()).code, 0, 'run 2: exit 0');
});

t.test('restart without pausing the writer: nothing is counted twice', async (t) => {
  const dir = tempDir(t, 'logmetrics-restart-busy-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'seq.mtail'), SEQUENCE);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const args = runArgs(join(dir, 'progs'), [log], '--state-dir', join(dir, 'state'));
  const run1 = await startDaemon(t, args);
  const w = new LineWriter(t, log, (i) => `data ${i + 1}`);
  const s1 = await run1.waitForSamples('300 lines in run 1', (s) => (valueOf(s, 'data_total') ?? 0) >= 300);
  const last1 = valueOf(s1, 'last_seq')!;
  t.equal(valueOf(s1, 'data_total'), last1, 'run 1: every line up to the last one read counted once');
  t.equal((await run1.stop()).code, 0, 'run 1: exit 0');
  const run2 = await startDaemon(t, args);
  await run2.waitForSamples('300 lines in run 2', (s) => (valueOf(s, 'data_total') ?? 0) >= 300);
  const two = await settle(run2, log, w, 'run2');
  // Lines run 1 read after its last scrape (while stopping) are in no scrape:
  // they are counted by run 1 only, so all that can be checked is that run 2
  // begins after everything run 1 showed, and reads on without a gap.
  t.ok(two.first! > last1, `run 2 starts after the last line run 1 showed (${two.first} > ${last1})`);
  t.equal(two.last, two.written, 'run 2 read up to the last line');
  t.equal(two.count, two.written - two.first! + 1, 'run 2 counted each line from its first once');
  await w.stop();
  t.equal((await run2.stop()).code, 0, 'run 2: exit 0');
});

t.test('SIGTERM lets a scrape in progress finish, then exits 0', async (t) => {
  const dir = tempDir(t, 'logmetrics-sigterm-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(
    join(dir, 'progs', 'big.mtail'),
    `counter big_total by key\n/^key (?P<key>\\S+)$/ {\n  big_total[$key]++\n}\n`,
  );
  // Enough series (about 15 MB of exposition) that the response cannot sit
  // whole in the socket buffers: it stays in progress while the client waits.
  const SERIES = 60_000;
  const pad = 'x'.repeat(200);
  const log = join(dir, 'big.log');
  writeFileSync(log, Array.from({ length: SERIES }, (_, i) => `key k${i}${pad}\n`).join(''));
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--from-start', '--no-prog-label'));
  await d.waitForValue('logmetrics_program_lines_total', { prog: 'big.mtail' }, SERIES, 120_000);

  let received = 0;
  let body = '';
  let ended = false;
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(d.url('/metrics'), { agent: false, headers: { Accept: 'text/plain' } }, resolve);
    req.on('error', reject);
  });
  t.equal(res.statusCode, 200, 'scrape: 200');
  res.setEncoding('utf8');
  const firstChunk = new Promise<void>((resolve) =>
    res.once('data', (c: string) => {
      res.pause();
      body += c;
      received += c.length;
      resolve();
    }),
  );
  await firstChunk;
  const done = new Promise<void>((resolve, reject) => {
    res.on('data', (c: string) => {
      body += c;
      received += c.length;
    });
    res.on('end', () => {
      ended = true;
      resolve();
    });
    res.on('error', reject);
  });

  const from = d.stderr().length;
  d.child.kill('SIGTERM');
  await d.waitForLog(/event=shutting_down signal=SIGTERM/, from);
  // The listener closes once the sources are stopped; the paused scrape is still going then.
  await waitUntil('the exporter to stop accepting connections', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: d.port }, () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    return refused ? true : undefined;
  });
  t.notOk(d.hasExited(), 'the daemon waits for the scrape in progress');
  t.notOk(ended, `the scrape had not finished (${received} bytes read so far)`);

  res.resume();
  await done;
  const exit = await d.waitForExit();
  t.equal(exit.code, 0, 'exit 0 after the scrape finished');
  const lines = body.split('\n');
  t.equal(lines.filter((l) => l.startsWith('big_total{')).length, SERIES, 'the scrape carried every series');
  t.match(lines.at(-2) ?? '', /^process_\w+ \d/, 'and ended with the process metrics');
  t.match(d.stderr(), /event=stopped/, 'logged its stop');
});

// logrotate's `olddir`: the log is moved to another directory while no daemon
// runs, with lines its writer appended after the stop; --rotated-dir names
// that directory, so the next run finds the file by inode and reads it from
// the saved offset before (and beside) the new log.
t.test('a log moved to --rotated-dir while stopped: every line counted once', async (t) => {
  const dir = tempDir(t, 'logmetrics-olddir-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(
    join(dir, 'progs', 'seen.mtail'),
    `counter seen_total by n\ncounter barrier_total by token\n/^data (?P<n>\\d+)$/ {\n  seen_total[$n]++\n}\n/^barrier (?P<token>\\w+)$/ {\n  barrier_total[$token]++\n}\n`,
  );
  const logs = join(dir, 'logs');
  mkdirSync(join(logs, 'old'), { recursive: true });
  const log = join(logs, 'app.log');
  writeFileSync(log, '');
  const args = runArgs(join(dir, 'progs'), [join(logs, '*.log')], '--state-dir', join(dir, 'state'), '--rotated-dir', 'old');
  let n = 0;
  const write = (file: string, lines: number) => appendFileSync(file, Array.from({ length: lines }, () => `data ${++n}\n`).join(''));

  const run1 = await startDaemon(t, args);
  write(log, 200);
  appendFileSync(log, 'barrier one\n');
  await run1.waitForSamples('run 1 read its 200 lines', (s) => valueOf(s, 'barrier_total', { token: 'one' }) === 1);
  t.equal((await run1.stop()).code, 0, 'run 1: exit 0');

  write(log, 150); // after the stop, before the move: only the old file holds them
  renameSync(log, join(logs, 'old', 'app.log.1'));
  write(log, 100); // the new log, created by the writer
  appendFileSync(log, 'barrier two\n');

  const run2 = await startDaemon(t, args);
  const s = await run2.waitForSamples('run 2 read the new log', (x) => valueOf(x, 'barrier_total', { token: 'two' }) === 1);
  const seen = s.filter((x) => x.name === 'seen_total');
  t.equal(seen.length, 250, 'run 2 saw the 150 lines of the moved file and the 100 of the new one');
  t.same(seen.filter((x) => x.value !== 1), [], 'each of them once');
  t.same(
    seen.map((x) => Number(x.labels.n)).sort((a, b) => a - b),
    Array.from({ length: 250 }, (_, i) => 201 + i),
    'exactly the lines run 1 had not read',
  );
  t.match(run2.stderr(), /event=tail\.file_recovered /, 'the recovery is logged');
  t.equal((await run2.stop()).code, 0, 'run 2: exit 0');
});
