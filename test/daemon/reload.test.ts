// Programs stay live while lines flow: an edited program is reloaded on its
// own (counters whose declaration did not change keep their values, a changed
// declaration starts that metric afresh), a program that does not compile is
// shown as failed (status page, logmetrics_program_loaded 0, an error log
// line with its code frame) while the others, and its own previous version,
// go on counting; SIGHUP reloads everything; a removed program takes its
// metrics with it.
//
// Counts are exact: a writer appends `data` lines all along; before each check
// it is paused and a `barrier` line is written, and every program has run over
// every earlier line once the barrier is counted (the daemon runs each line
// through all programs before the next).
import { appendFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Sample } from '../helpers/promtext.js';
import { get, LineWriter, runArgs, startDaemon, tempDir, valueOf, type Daemon } from './helpers.js';

const BARRIER = `counter barrier_total by token
/^barrier (?P<token>\\w+)$/ {
  barrier_total[$token]++
}
`;

const OTHER = `counter other_total
/^data / {
  other_total++
}
${BARRIER}`;

const EDIT_V1 = `counter kept_total
counter changed_total
/^data / {
  kept_total++
  changed_total++
}
`;

// kept_total: same declaration; changed_total: gains a key; added_total: new.
const EDIT_V2 = `counter kept_total
counter changed_total by kind
counter added_total
/^data / {
  kept_total++
  changed_total["x"]++
  added_total++
}
`;

const BROKEN = `counter x
/^data / {
  x = = 1
}
`;

const FIXED = `counter fixed_total
/^data / {
  fixed_total++
}
`;

let barriers = 0;

/** Pauses the writer, writes a barrier and waits for it; returns the scrape and the lines written. */
async function settle(d: Daemon, log: string, w: LineWriter): Promise<{ samples: Sample[]; written: number }> {
  const written = w.pause();
  const token = `b${++barriers}`;
  appendFileSync(log, `barrier ${token}\n`);
  const samples = await d.waitForSamples(`barrier ${token}`, (s) => valueOf(s, 'barrier_total', { token }) === 1);
  return { samples, written };
}

/** Waits until the writer has added at least `n` more lines and the daemon has counted them (as other_total). */
async function flowMore(d: Daemon, w: LineWriter, n: number): Promise<void> {
  const target = w.written + n;
  await d.waitForSamples(`other_total >= ${target}`, (s) => (valueOf(s, 'other_total') ?? 0) >= target);
}

t.test('programs reloaded while lines flow', async (t) => {
  const dir = tempDir(t, 'logmetrics-reload-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'other.mtail'), OTHER);
  writeFileSync(join(progs, 'edit.mtail'), EDIT_V1);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(progs, [log]));
  const w = new LineWriter(t, log, (i) => `data ${i}`);
  await flowMore(d, w, 200);

  await t.test('an edited program', async (t) => {
    const from = d.stderr().length;
    writeFileSync(join(progs, 'edit.mtail'), EDIT_V2);
    await d.waitForLog(/event=program_reloaded prog=edit\.mtail\b/, from);
    await d.waitForSamples('added_total >= 200', (s) => (valueOf(s, 'added_total') ?? 0) >= 200);
    const { samples, written } = await settle(d, log, w);
    const added = valueOf(samples, 'added_total')!;
    t.equal(valueOf(samples, 'kept_total'), written, 'unchanged declaration: the count goes on across the reload');
    t.equal(valueOf(samples, 'other_total'), written, 'the other program counted every line');
    t.ok(added > 0 && added < written, `the new metric counts from the reload on (${added} of ${written})`);
    t.equal(valueOf(samples, 'changed_total', { kind: 'x' }), added, 'changed declaration: counts from the reload on, like the new metric');
    t.same(
      samples.filter((s) => s.name === 'changed_total').map((s) => s.labels),
      [{ prog: 'edit.mtail', kind: 'x' }],
      'the series of the old declaration is gone',
    );
    const reloads = d.stderr().slice(from).split('\n').filter((l) => /event=program_(re)?loaded/.test(l));
    t.same(reloads.map((l) => /prog=(\S+)/.exec(l)![1]), ['edit.mtail'], 'only the edited program was reloaded');
    w.resume();
  });

  await t.test('a program with a syntax error is added', async (t) => {
    const from = d.stderr().length;
    writeFileSync(join(progs, 'bad.mtail'), BROKEN);
    const logged = await d.waitForLog(/event=program_load_failed prog=bad\.mtail\b/, from);
    t.match(logged, /level=error/, 'logged as an error');
    t.match(logged, /x = = 1/, 'the log line quotes the faulty source line');
    t.match(logged, /bad\.mtail:3:/, 'the log line names file and line');
    t.match(logged, /still_running=nothing/, 'nothing of it runs');
    await flowMore(d, w, 100);
    const { samples, written } = await settle(d, log, w);
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'bad.mtail' }), 0, 'logmetrics_program_loaded{prog="bad.mtail"} 0');
    t.equal(valueOf(samples, 'logmetrics_program_load_errors_total', { prog: 'bad.mtail' }), 1, 'one load error counted');
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'other.mtail' }), 1, 'the good programs stay loaded');
    t.equal(valueOf(samples, 'other_total'), written, 'the good programs keep counting every line');
    t.equal(valueOf(samples, 'kept_total'), written, 'the edited program keeps counting every line');
    const page = await get(d.url('/'));
    t.equal(page.status, 200, 'status page: 200');
    t.match(page.body, /bad\.mtail/, 'status page names the program');
    t.match(page.body, /badge failed/, 'status page marks it failed');
    // The code frame: the source line, then a caret under the second `=`.
    t.match(page.body, /3 \|   x = = 1\n\s*\| {7}\^/, 'status page shows the code frame with its caret');
  });

  await t.test('the broken program is fixed', async (t) => {
    // Paused: every line after the fix is one the fixed program must count.
    const from = d.stderr().length;
    writeFileSync(join(progs, 'bad.mtail'), FIXED);
    await d.waitForLog(/event=program_reloaded prog=bad\.mtail\b/, from);
    const before = w.written;
    w.resume();
    await flowMore(d, w, 100);
    const { samples, written } = await settle(d, log, w);
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'bad.mtail' }), 1, 'loaded again');
    t.equal(valueOf(samples, 'fixed_total'), written - before, 'counts exactly the lines written since it loaded');
    t.equal(valueOf(samples, 'other_total'), written, 'others unaffected');
  });

  await t.test('a running program is broken by an edit', async (t) => {
    const from = d.stderr().length;
    w.resume();
    writeFileSync(join(progs, 'edit.mtail'), EDIT_V2.replace('added_total++', 'added_total++ +'));
    const logged = await d.waitForLog(/event=program_load_failed prog=edit\.mtail\b/, from);
    t.match(logged, /still_running="previous version"/, 'the log says the previous version still runs');
    await flowMore(d, w, 100);
    const { samples, written } = await settle(d, log, w);
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'edit.mtail' }), 0, 'shown as not loaded');
    t.equal(valueOf(samples, 'kept_total'), written, 'its previous version still counts every line');
    const page = await get(d.url('/'));
    t.match(page.body, /edit\.mtail:[78]:/, 'status page shows the new error');
  });

  await t.test('SIGHUP reloads every program', async (t) => {
    const from = d.stderr().length;
    // Restore edit.mtail while the watcher is running too; SIGHUP must then load it anyway.
    w.resume();
    writeFileSync(join(progs, 'edit.mtail'), EDIT_V2);
    await d.waitForLog(/event=program_reloaded prog=edit\.mtail\b/, from);
    const hup = d.stderr().length;
    d.child.kill('SIGHUP');
    await d.waitForLog(/event=sighup/, hup);
    for (const prog of ['bad.mtail', 'edit.mtail', 'other.mtail']) {
      await d.waitForLog(new RegExp(`event=program_reloaded prog=${prog.replace('.', '\\.')}\\b`), hup);
    }
    await flowMore(d, w, 100);
    const { samples, written } = await settle(d, log, w);
    t.same(
      samples
        .filter((s) => s.name === 'logmetrics_program_loaded')
        .map((s) => [s.labels.prog, s.value])
        .sort(),
      [
        ['bad.mtail', 1],
        ['edit.mtail', 1],
        ['other.mtail', 1],
      ],
      'all loaded',
    );
    t.equal(valueOf(samples, 'kept_total'), written, 'counters survive SIGHUP');
    t.equal(valueOf(samples, 'other_total'), written, 'every line counted across SIGHUP');
    t.notOk(d.hasExited(), 'SIGHUP does not stop the daemon');
  });

  await t.test('a removed program takes its metrics with it', async (t) => {
    const from = d.stderr().length;
    unlinkSync(join(progs, 'bad.mtail'));
    await d.waitForLog(/event=program_unloaded prog=bad\.mtail\b/, from);
    w.resume();
    await flowMore(d, w, 50);
    const { samples, written } = await settle(d, log, w);
    t.equal(valueOf(samples, 'fixed_total'), undefined, 'its metric is gone');
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'bad.mtail' }), undefined, 'its self-metrics are gone');
    t.equal(valueOf(samples, 'other_total'), written, 'others unaffected');
  });

  await w.stop();
  t.equal((await d.stop()).code, 0, 'exit 0');
});

t.test('a reload refused for a name clash leaves the running version intact', async (t) => {
  // b.mtail's new version declares a gauge under the exported name of a.mtail's
  // counter: the store refuses it (as mtail refuses such a program), and the
  // previous version of b.mtail must go on counting into metrics that /metrics shows.
  const dir = tempDir(t, 'logmetrics-clash-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'a.mtail'), `counter shared_name\n/^data / {\n  shared_name++\n}\n${BARRIER}`);
  const B_V1 = `counter b_total by phase
counter b_lines_total
/^data (?P<phase>[a-z0-9]+) / {
  b_total[$phase]++
  b_lines_total++
}
`;
  writeFileSync(join(progs, 'b.mtail'), B_V1);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(progs, [log]));
  let phase = 'before';
  const w = new LineWriter(t, log, (i) => `data ${phase} ${i}`);
  await d.waitForSamples('a few lines', (s) => (valueOf(s, 'shared_name') ?? 0) >= 100);
  const before = w.pause();

  const cases: { name: string; source: string }[] = [
    { name: 'declarations kept, clash added last', source: B_V1 + 'gauge shared_name\n' },
    { name: 'a declaration changed, clash added last', source: B_V1.replace('counter b_lines_total', 'gauge b_lines_total') + 'gauge shared_name\n' },
    { name: 'a metric added, clash added last', source: B_V1 + 'counter b_new_total\ngauge shared_name\n' },
  ];
  let expectedErrors = 0;
  for (const c of cases) {
    const from = d.stderr().length;
    writeFileSync(join(progs, 'b.mtail'), c.source);
    const logged = await d.waitForLog(/event=program_load_failed prog=b\.mtail\b/, from);
    expectedErrors++;
    t.match(logged, /shared_name/, `${c.name}: the error names the clashing metric`);
    phase = `phase${expectedErrors}`;
    const start = w.written;
    w.resume();
    await d.waitForSamples('more lines', (s) => (valueOf(s, 'shared_name') ?? 0) >= start + 100);
    const written = w.pause();
    const token = `clash${expectedErrors}`;
    appendFileSync(log, `barrier ${token}\n`);
    const samples = await d.waitForSamples(`barrier ${token}`, (s) => valueOf(s, 'barrier_total', { token }) === 1);
    t.equal(valueOf(samples, 'logmetrics_program_loaded', { prog: 'b.mtail' }), 0, `${c.name}: shown as not loaded`);
    t.equal(valueOf(samples, 'shared_name'), written, `${c.name}: a.mtail counts on`);
    t.equal(valueOf(samples, 'b_lines_total'), written, `${c.name}: b_lines_total of the running version counts every line`);
    t.equal(valueOf(samples, 'b_total', { phase }), written - start, `${c.name}: new series of the running version are exported`);
    t.equal(valueOf(samples, 'b_total', { phase: 'before' }), before, `${c.name}: old series keep their values`);
    t.equal(valueOf(samples, 'b_new_total'), undefined, `${c.name}: nothing of the refused version is exported`);
  }
  await w.stop();
  t.equal((await d.stop()).code, 0, 'exit 0');
});
