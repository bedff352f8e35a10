// Hostile programs through hot reload: a running daemon is given, one file each, the
// deepest and longest program of every construct one step beyond its limit
// (test/helpers/deepprograms.ts) and then, edited in place, the same at its limit. Each
// beyond-limit file fails to load with its file:line:col in the log, the daemon keeps
// running, and the program already loaded counts every line throughout; each at-limit
// file loads (and is removed again).
import { appendFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEEP_CASES } from '../helpers/deepprograms.js';
import { get, runArgs, startDaemon, tempDir } from './helpers.js';

const GOOD = `counter lines_total
/^line / {
  lines_total++
}
`;

t.test('programs beyond every limit are refused by a running daemon, which goes on', async (t) => {
  const dir = tempDir(t, 'logmetrics-hostile-progs-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'good.mtail'), GOOD);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(progs, [log]));
  let lines = 0;
  const more = async (): Promise<void> => {
    appendFileSync(log, 'line x\n'.repeat(10));
    lines += 10;
    await d.waitForValue('lines_total', { prog: 'good.mtail' }, lines);
  };
  await more();

  const limited = DEEP_CASES.filter((c) => c.code !== undefined);
  for (const [i, c] of limited.entries()) {
    const name = `h${String(i).padStart(2, '0')}.mtail`;
    const from = d.stderr().length;
    writeFileSync(join(progs, name), c.program(c.at + 1));
    const logged = await d.waitForLog(new RegExp(`event=program_load_failed prog=${name.replace('.', '\\.')}\\b`), from);
    t.match(logged, new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+: error\\[${c.code}\\]`), `${c.name}: refused with ${c.code} at file:line:col`);
    t.notOk(d.hasExited(), `${c.name}: the daemon is still running`);
    await more();
    const from2 = d.stderr().length;
    writeFileSync(join(progs, name), c.program(c.at));
    await d.waitForLog(new RegExp(`event=program_(re)?loaded prog=${name.replace('.', '\\.')}\\b`), from2);
    t.pass(`${c.name}: size ${c.at} loads`);
    // Removed again: the cases reuse metric names of different kinds, which may not coexist.
    const from3 = d.stderr().length;
    unlinkSync(join(progs, name));
    await d.waitForLog(new RegExp(`event=program_unloaded prog=${name.replace('.', '\\.')}\\b`), from3);
  }
  await more();
  const health = await get(d.url('/healthz'));
  t.equal(health.status, 200, '/healthz answers');
  t.equal(await d.value('lines_total', { prog: 'good.mtail' }), lines, `the good program counted all ${lines} lines`);
  t.notMatch(d.stderr(), /RangeError|Maximum call stack/, 'no stack overflow anywhere');
});
