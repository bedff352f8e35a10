// A --state-dir the daemon cannot write (the Kubernetes hostPath created
// root-owned for a pod running as nobody) loses the read positions at every
// restart. The daemon goes on reading, and logmetrics_state_save_failures_total
// counts each failed save so the shipped alert can fire; once the obstacle is
// gone the next save succeeds. Built from obstacles that stop root too (tests
// run as root in CI, where chmod stops nobody).
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runArgs, startDaemon, tempDir, valueOf } from './helpers.js';

const PROGRAM = 'counter lines_total\n/./ {\n  lines_total++\n}\n';

interface Case {
  name: string;
  /** Makes the obstacle under `dir`; returns the --state-dir to pass and the function that removes the obstacle. */
  block(dir: string): { stateDir: string; clear(): void };
  /** The error code the daemon logs. */
  code: string;
}

const CASES: Case[] = [
  {
    name: 'the state dir path runs through a regular file',
    block: (dir) => {
      const file = join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      return { stateDir: join(file, 'state'), clear: () => rmSync(file) };
    },
    code: 'ENOTDIR',
  },
  {
    name: 'a non-empty directory occupies the state file',
    block: (dir) => {
      const stateDir = join(dir, 'state');
      mkdirSync(join(stateDir, 'tail-positions.json', 'in-the-way'), { recursive: true });
      return { stateDir, clear: () => rmSync(join(stateDir, 'tail-positions.json'), { recursive: true }) };
    },
    code: 'E',
  },
];

t.test('an unwritable --state-dir is counted in logmetrics_state_save_failures_total', async (t) => {
  for (const c of CASES) {
    await t.test(c.name, async (t) => {
      const dir = tempDir(t, 'logmetrics-state-save-');
      mkdirSync(join(dir, 'progs'));
      writeFileSync(join(dir, 'progs', 'lines.mtail'), PROGRAM);
      const log = join(dir, 'app.log');
      writeFileSync(log, ''); // a log present at start is read from its end, as mtail does
      const { stateDir, clear } = c.block(dir);
      const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--state-dir', stateDir));
      const first = await d.waitForSamples('a failed state save', (s) => (valueOf(s, 'logmetrics_state_save_failures_total') ?? 0) >= 1);
      t.ok(valueOf(first, 'logmetrics_state_save_failures_total')! >= 1, 'the failed save is counted');
      const logged = await d.waitForLog(/tail\.state_save_failed/);
      t.match(logged, new RegExp(`code=${c.code}`), `and logged with its error code (${c.code}…)`);
      // The daemon keeps reading: a line written now is counted.
      appendFileSync(log, 'one\ntwo\n');
      await d.waitForValue('lines_total', {}, 2);
      t.pass('lines are still read');

      // The obstacle removed, the next save writes the positions and the count stops.
      clear();
      appendFileSync(log, 'three\n');
      await d.waitForValue('lines_total', {}, 3);
      const file = join(stateDir, 'tail-positions.json');
      const deadline = Date.now() + 30_000;
      while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      t.ok(existsSync(file), 'the positions are saved once the directory is writable');
      t.match(readFileSync(file, 'utf8'), '"offset"', 'with the read offsets');
      const settled = (await d.value('logmetrics_state_save_failures_total'))!;
      await new Promise((r) => setTimeout(r, 2500)); // more than two save periods (1 s)
      t.equal(await d.value('logmetrics_state_save_failures_total'), settled, 'no further failure is counted');
      t.equal((await d.stop()).code, 0, 'exit 0');
    });
  }
});

t.test('a writable --state-dir counts no failure', async (t) => {
  const dir = tempDir(t, 'logmetrics-state-save-ok-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'lines.mtail'), PROGRAM);
  const log = join(dir, 'app.log');
  writeFileSync(log, ''); // a log present at start is read from its end, as mtail does
  const stateDir = join(dir, 'state');
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--state-dir', stateDir));
  appendFileSync(log, 'one\n');
  await d.waitForValue('lines_total', {}, 1);
  const deadline = Date.now() + 30_000;
  while (!existsSync(join(stateDir, 'tail-positions.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  t.ok(existsSync(join(stateDir, 'tail-positions.json')), 'positions saved');
  t.equal(await d.value('logmetrics_state_save_failures_total'), 0, 'logmetrics_state_save_failures_total is exported as 0');
  t.equal((await d.stop()).code, 0, 'exit 0');
});
