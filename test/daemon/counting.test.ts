// The daemon counts every line exactly once, whatever the source: appends to
// followed files (one line per write, bulk writes, lines split across writes,
// CRLF ends), files rotated by rename while a writer keeps writing, stdin,
// and syslog datagrams over UDP; and mtail's own command line starts it.
//
// Exactness without sleeping: after the data, each case writes a `barrier`
// line to the same source. Lines of one source are handled in order, so once
// the barrier is counted every line before it has been too, and the data
// count must then be exactly what was written (neither less nor more).
import dgram from 'node:dgram';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { freePort, runArgs, startDaemon, tempDir, valueOf, type Daemon } from './helpers.js';

const PROGRAM = `# Data lines and barriers, by the case that wrote them.
counter data_lines_total by case
counter barrier_total by case

/^data (?P<case>[\\w-]+) \\d+$/ {
  data_lines_total[$case]++
}
/^barrier (?P<case>[\\w-]+)$/ {
  barrier_total[$case]++
}
`;

const SYSLOG_PROGRAM = `# Syslog lines as they arrive over the network: <PRI>, timestamp, host, tag.
counter syslog_lines_total by tag

/^<\\d{1,3}>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ (?P<tag>[\\w-]+)(?:\\[\\d+\\])?: / {
  syslog_lines_total[$tag]++
}
`;

function setup(t: Test, name: string): { dir: string; progs: string } {
  const dir = tempDir(t, `logmetrics-${name}-`);
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'count.mtail'), PROGRAM);
  writeFileSync(join(progs, 'syslog.mtail'), SYSLOG_PROGRAM);
  mkdirSync(join(dir, 'logs'));
  return { dir, progs };
}

/** Deterministic chunk sizes (a small LCG), so a failure can be replayed. */
function* chunkSizes(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield 1 + (x % 37);
  }
}

/** Waits for the barrier of `kase`, then checks the data count and that the barrier came exactly once. */
async function expectCounted(t: Test, d: Daemon, kase: string, lines: number, labels: Record<string, string> = {}): Promise<void> {
  const samples = await d.waitForSamples(`the barrier of ${kase}`, (s) => valueOf(s, 'barrier_total', { case: kase }) !== undefined);
  t.equal(valueOf(samples, 'barrier_total', { case: kase, ...labels }), 1, `${kase}: barrier counted once`);
  t.equal(valueOf(samples, 'data_lines_total', { case: kase, ...labels }), lines, `${kase}: ${lines} data lines counted`);
}

t.test('appends to followed files are counted exactly', async (t) => {
  const { dir, progs } = setup(t, 'appends');
  interface Case {
    name: string;
    lines: number;
    /** Appends the data lines to `file` in this case's way. */
    write(file: string, lines: string[]): void;
  }
  const cases: Case[] = [
    { name: 'one-line-per-write', lines: 300, write: (f, ls) => ls.forEach((l) => appendFileSync(f, l + '\n')) },
    { name: 'one-bulk-write', lines: 20_000, write: (f, ls) => appendFileSync(f, ls.join('\n') + '\n') },
    {
      name: 'lines-split-across-writes',
      lines: 500,
      write: (f, ls) => {
        const text = ls.join('\n') + '\n';
        const sizes = chunkSizes(7);
        for (let i = 0; i < text.length; ) {
          const n = sizes.next().value as number;
          appendFileSync(f, text.slice(i, i + n));
          i += n;
        }
      },
    },
    { name: 'crlf-line-ends', lines: 250, write: (f, ls) => appendFileSync(f, ls.join('\r\n') + '\r\n') },
  ];
  // Files that exist at start-up are followed from their end: empty now, so every line below counts.
  for (const c of cases) writeFileSync(join(dir, 'logs', `${c.name}.log`), '');
  const d = await startDaemon(t, runArgs(progs, [join(dir, 'logs', '*.log')]));
  for (const c of cases) {
    const file = join(dir, 'logs', `${c.name}.log`);
    c.write(
      file,
      Array.from({ length: c.lines }, (_, i) => `data ${c.name} ${i}`),
    );
    appendFileSync(file, `barrier ${c.name}\n`);
  }
  for (const c of cases) await expectCounted(t, d, c.name, c.lines, { prog: 'count.mtail' });

  // A file created after start-up is read from its start.
  const late = join(dir, 'logs', 'created-later.log');
  writeFileSync(late, Array.from({ length: 40 }, (_, i) => `data created-later ${i}\n`).join('') + 'barrier created-later\n');
  await expectCounted(t, d, 'created-later', 40);

  const samples = await d.samples();
  t.equal(
    valueOf(samples, 'logmetrics_log_lines_total', { source: join(dir, 'logs', 'one-bulk-write.log') }),
    20_001,
    'self-metric: lines read from the bulk file (data and barrier)',
  );
  t.equal(valueOf(samples, 'logmetrics_program_lines_total', { prog: 'count.mtail' }), 300 + 20_000 + 500 + 250 + 40 + 5, 'self-metric: lines run through the program');
  const { code } = await d.stop('SIGINT');
  t.equal(code, 0, 'SIGINT: exit 0');
});

t.test('rotation by rename while the writer keeps writing', async (t) => {
  const { dir, progs } = setup(t, 'rotation');
  const path = join(dir, 'logs', 'app.log');
  writeFileSync(path, '');
  const d = await startDaemon(t, runArgs(progs, [path]));

  // Like a logger that reopens its file only some time after logrotate renamed it:
  // lines go on into the renamed file for a while, then into the new one.
  let fd = openSync(path, 'a');
  let written = 0;
  const GENERATIONS = 4;
  const PER_GENERATION = 400;
  const AFTER_RENAME = 60;
  const tick = () => new Promise((r) => setTimeout(r, 5));
  for (let g = 0; g < GENERATIONS; g++) {
    for (let i = 0; i < PER_GENERATION; i++) {
      writeSync(fd, `data rotation ${written++}\n`);
      if (i % 20 === 19) await tick();
    }
    if (g === GENERATIONS - 1) break;
    // app.log.1 → app.log.2 ..., then app.log → app.log.1, as logrotate does.
    for (let k = g; k >= 1; k--) renameSync(`${path}.${k}`, `${path}.${k + 1}`);
    renameSync(path, `${path}.1`);
    for (let i = 0; i < AFTER_RENAME; i++) {
      writeSync(fd, `data rotation ${written++}\n`);
      if (i % 20 === 19) await tick();
    }
    closeSync(fd);
    fd = openSync(path, 'a');
  }
  writeSync(fd, 'barrier rotation\n');
  closeSync(fd);
  t.equal(written, GENERATIONS * PER_GENERATION + (GENERATIONS - 1) * AFTER_RENAME, 'lines written');
  await expectCounted(t, d, 'rotation', written);
  const rotations = await d.value('logmetrics_log_rotations_total', { source: path });
  t.equal(rotations, GENERATIONS - 1, 'self-metric: every rename seen as a rotation');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('stdin (--logs -)', async (t) => {
  const { progs } = setup(t, 'stdin');
  const d = await startDaemon(t, runArgs(progs, ['-']), { stdin: true });
  const stdin = d.child.stdin!;
  const LINES = 3000;
  const text = Array.from({ length: LINES }, (_, i) => `data stdin ${i}\n`).join('') + 'barrier stdin\n';
  // In uneven pieces, one of them ending mid-line.
  for (let i = 0; i < text.length; i += 4093) stdin.write(text.slice(i, i + 4093));
  await expectCounted(t, d, 'stdin', LINES);
  // The end of stdin is not the end of the daemon: it keeps serving until signalled.
  stdin.end();
  t.equal(await d.value('data_lines_total', { case: 'stdin' }), LINES, 'still serving after stdin ended');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('syslog datagrams over UDP', async (t) => {
  const { progs } = setup(t, 'udp');
  const port = await freePort('udp');
  const d = await startDaemon(t, runArgs(progs, [`udp://127.0.0.1:${port}`]));
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  const send = (msg: string) =>
    new Promise<void>((resolve, reject) => socket.send(Buffer.from(msg), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  const line = (tag: string, i: number) => `<134>Nov  2 03:0${i % 10}:1${i % 10} host1 ${tag}[${100 + i}]: message ${i}`;

  interface Case {
    name: string;
    datagrams: string[];
    lines: number;
  }
  const cases: Case[] = [
    { name: 'one-line-with-newline', datagrams: Array.from({ length: 60 }, (_, i) => line('withnl', i) + '\n'), lines: 60 },
    { name: 'one-line-without-newline', datagrams: Array.from({ length: 60 }, (_, i) => line('nonl', i)), lines: 60 },
    {
      name: 'three-lines-per-datagram',
      datagrams: Array.from({ length: 20 }, (_, i) => [0, 1, 2].map((k) => line('multi', 3 * i + k)).join('\n')),
      lines: 60,
    },
  ];
  for (const c of cases) {
    const tag = c.datagrams[0].match(/ (\w+)\[/)![1];
    // Paced, in batches the receive buffer holds even on a busy machine: UDP drops what does not fit.
    for (let i = 0; i < c.datagrams.length; i += 10) {
      for (const msg of c.datagrams.slice(i, i + 10)) await send(msg);
      const sent = Math.min(c.datagrams.length, i + 10) * (c.lines / c.datagrams.length);
      await d.waitForValue('syslog_lines_total', { tag }, sent);
    }
    t.equal(await d.value('syslog_lines_total', { tag }), c.lines, `${c.name}: ${c.lines} lines`);
  }
  // A socket source is named by its address, as mtail's getfilename() names it.
  t.equal(await d.value('logmetrics_log_lines_total', { source: `127.0.0.1:${port}`, kind: 'udp' }), 180, 'self-metric: lines from the UDP source');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

// UDP has no flow control: a burst beyond the receive buffer is dropped by
// the kernel. The drops are not silent: the kernel's count for the socket is
// a self-metric, and with it every datagram sent is accounted for.
t.test('a UDP burst beyond a small receive buffer: lines read + kernel drops = datagrams sent', async (t) => {
  if (process.platform !== 'linux') {
    t.fail('the kernel reports per-socket UDP drops in /proc/net/udp on Linux only; run this test on Linux');
    return;
  }
  const { progs } = setup(t, 'udp-burst');
  const port = await freePort('udp');
  const BUFFER = 16 * 1024;
  const d = await startDaemon(t, runArgs(progs, [`udp://127.0.0.1:${port}`], '--udp-receive-buffer-bytes', String(BUFFER)));
  const source = { source: `127.0.0.1:${port}`, kind: 'udp' };
  t.equal(await d.value('logmetrics_log_receive_drops_total', source), 0, 'no drops before the burst');
  t.ok((await d.value('logmetrics_log_receive_buffer_bytes', source))! >= BUFFER, 'the buffer asked for is granted (well under net.core.rmem_max)');
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  const BURST = 30_000;
  let sent = 0;
  await new Promise<void>((resolve) => {
    let done = 0;
    for (let i = 0; i < BURST; i++) {
      socket.send(Buffer.from(`<134>Nov  2 03:04:05 host1 burst[1]: message ${i} ${'x'.repeat(200)}`), port, '127.0.0.1', (err) => {
        if (!err) sent++;
        if (++done === BURST) resolve();
      });
    }
  });
  const settled = await d.waitForSamples('lines read + drops to reach the datagrams sent', (s) => {
    const got = (valueOf(s, 'logmetrics_log_lines_total', source) ?? 0) + (valueOf(s, 'logmetrics_log_receive_drops_total', source) ?? 0);
    return got >= sent;
  });
  const lines = valueOf(settled, 'logmetrics_log_lines_total', source)!;
  const drops = valueOf(settled, 'logmetrics_log_receive_drops_total', source)!;
  t.ok(sent > BURST / 2, `most datagrams left the sender (${sent} of ${BURST})`);
  t.ok(drops > 0, `the burst overflowed the ${BUFFER}-byte buffer: ${drops} dropped`);
  t.ok(lines > 0, `${lines} read`);
  t.equal(lines + drops, sent, 'every datagram sent is either read or counted as dropped');
  t.equal(valueOf(settled, 'syslog_lines_total', { tag: 'burst' }), lines, 'the programs saw every line read');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('a receive buffer above net.core.rmem_max is reported as capped', async (t) => {
  const { progs } = setup(t, 'udp-capped');
  const port = await freePort('udp');
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  const d = await startDaemon(t, runArgs(progs, [`udp://127.0.0.1:${port}`], '--udp-receive-buffer-bytes', String(rmemMax * 2)));
  const warning = await d.waitForLog(/event=tail\.udp_receive_buffer_capped /);
  t.match(warning, new RegExp(`wanted=${rmemMax * 2} got=${rmemMax} `), 'names what was asked and what the kernel granted');
  t.match(warning, /net\.core\.rmem_max/, 'and the sysctl to raise');
  t.equal(await d.value('logmetrics_log_receive_buffer_bytes', { source: `127.0.0.1:${port}`, kind: 'udp' }), rmemMax, 'the granted size is a self-metric');
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test("mtail's command line", async (t) => {
  const { dir, progs } = setup(t, 'mtailflags');
  const log = join(dir, 'logs', 'm.log');
  writeFileSync(log, '');
  const port = await freePort();
  const d = await startDaemon(
    t,
    ['-progs', progs, '-logs', log, '-port', String(port), '-address', '127.0.0.1', '--emit_prog_label=false', '-logtostderr', '-v=2', '-poll_interval', '100ms'],
    { port },
  );
  t.equal(d.port, port, 'listens on the -port given');
  appendFileSync(log, Array.from({ length: 123 }, (_, i) => `data mtail ${i}\n`).join('') + 'barrier mtail\n');
  await expectCounted(t, d, 'mtail', 123);
  const samples = (await d.samples()).filter((s) => s.name === 'data_lines_total');
  t.same(
    samples.map((s) => s.labels),
    [{ case: 'mtail' }],
    '--emit_prog_label=false: no prog label on program samples',
  );
  t.equal((await d.stop()).code, 0, 'exit 0');
});
