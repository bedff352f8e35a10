// ProgramSet, the one place where lines enter the runtime: every program runs on every line,
// a program that fails on a line is counted and logged once per position, and processLine never throws.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Level, Logger } from '../../src/log/index.js';
import { Store } from '../../src/metrics/index.js';
import { ProgramSet } from '../../src/runtime/programs.js';

function setup(t: { teardown(fn: () => unknown): void }, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'lm-programs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const events: [Level, string, Record<string, unknown>][] = [];
  const logger: Logger = { log: (level, event, fields = {}) => void events.push([level, event, fields]) };
  const store = new Store();
  const set = new ProgramSet({ store, logger, progs: dir });
  return { dir, events, store, set };
}

const COUNT = 'counter lines\n/./ {\n  lines++\n}\n';
// Division by zero on "x 0": a run-time error at line 3.
const DIVIDE = 'gauge q\n/^x (\\d+)$/ {\n  q = 10 / $1\n}\n';

t.test('every loaded program sees every line, in load order', async (t) => {
  const { set, store } = setup(t, { 'a.mtail': COUNT, 'b.mtail': COUNT });
  t.equal(set.reloadAll(), true, 'the directory was read');
  for (const line of ['one', 'two', 'three']) set.processLine(line, '/var/log/x.log');
  t.same(
    set.list().map((p) => [p.name, p.state, p.lines]),
    [
      ['a.mtail', 'loaded', 3],
      ['b.mtail', 'loaded', 3],
    ],
  );
  t.equal(store.find('a.mtail', 'lines')?.scalar().value, 3, 'a counted');
  t.equal(store.find('b.mtail', 'lines')?.scalar().value, 3, 'b counted');
});

t.test('a run-time error stops one program on one line, is counted, and logged once per position', async (t) => {
  const { set, events, store } = setup(t, { 'count.mtail': COUNT, 'divide.mtail': DIVIDE });
  set.reloadAll();
  for (const line of ['x 2', 'x 0', 'x 0', 'x 5']) t.doesNotThrow(() => set.processLine(line, 'f'), `${line}: processLine does not throw`);
  const divide = set.list().find((p) => p.name === 'divide.mtail')!;
  t.equal(divide.runtimeErrors, 2, 'both failing lines counted');
  t.equal(divide.lines, 4, 'every line ran');
  const logged = events.filter(([, e]) => e === 'runtime_error');
  t.equal(logged.length, 1, 'logged once for the position');
  t.match(logged[0]?.[2], { prog: 'divide.mtail', pos: /divide\.mtail:3:/, line: 'x 0' });
  t.equal(store.find('divide.mtail', 'q')?.scalar().value, 2, 'the line after the errors ran');
  t.equal(store.find('count.mtail', 'lines')?.scalar().value, 4, 'the other program saw every line');
});

t.test('runOnly limits the programs of this thread', async (t) => {
  const { set, dir, store } = setup(t, { 'a.mtail': COUNT, 'b.mtail': COUNT });
  set.reloadAll();
  set.runOnly([join(dir, 'b.mtail')]);
  set.processLine('one', 'f');
  set.runOnly(undefined);
  set.processLine('two', 'f');
  t.equal(store.find('a.mtail', 'lines')?.scalar().value, 1, 'a ran only once all ran');
  t.equal(store.find('b.mtail', 'lines')?.scalar().value, 2, 'b ran both times');
});

t.test('a failed reload keeps the previous version running; compile output goes to diagnostics when given', async (t) => {
  const { dir, events } = setup(t, {});
  const file = join(dir, 'p.mtail');
  writeFileSync(file, COUNT);
  const frames: string[] = [];
  const store = new Store();
  const logger: Logger = { log: (level, event, fields = {}) => void events.push([level, event, fields]) };
  const set = new ProgramSet({ store, logger, diagnostics: (text) => frames.push(text) });
  t.equal(set.load(file), true, 'loads');
  writeFileSync(file, 'counter lines\n/./ {\n  nosuch++\n}\n');
  t.equal(set.load(file), false, 'the broken version does not load');
  set.processLine('one', 'f');
  t.equal(store.find('p.mtail', 'lines')?.scalar().value, 1, 'the previous version still counts');
  t.match(set.list()[0], { state: 'failed', loadErrors: 1, lines: 1 });
  t.equal(frames.length, 1, 'the code frames went to diagnostics');
  t.match(frames[0], /nosuch/);
  t.match(events.find(([, e]) => e === 'program_load_failed')?.[2], { prog: 'p.mtail', error: 'compile failed', still_running: 'previous version' });
});

t.test('bindings: a line goes only to the programs bound to its source', async (t) => {
  const { set, dir, store, events } = setup(t, {});
  for (const sub of ['web', 'sys']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'web', 'a.mtail'), COUNT);
  writeFileSync(join(dir, 'web', 'b.mtail'), COUNT.replace('lines', 'b_lines').replace('lines++', 'b_lines++'));
  writeFileSync(join(dir, 'sys', 'c.mtail'), COUNT);
  const count = (prog: string, name = 'lines') => store.find(prog, name)?.scalar().value ?? 0;
  t.equal(
    set.bind([
      { logs: ['/logs/access*.log'], programs: [join(dir, 'web')] },
      { logs: ['/logs/syslog', 'udp://127.0.0.1:514'], programs: [join(dir, 'sys', 'c.mtail')] },
      // A log in two pipelines: its lines go to the programs of both, each once.
      { logs: ['/logs/access.log'], programs: [join(dir, 'web', 'a.mtail'), join(dir, 'sys', 'c.mtail')] },
    ]),
    true,
  );
  t.same(set.list().map((p) => p.name), ['a.mtail', 'b.mtail', 'c.mtail'], 'every bound program is loaded once');
  const cases: [string, string, Record<string, number>][] = [
    ['an access log of the glob only', '/logs/access-2.log', { 'a.mtail': 1, 'b.mtail': 1, 'c.mtail': 0 }],
    ['the log of two pipelines', '/logs/access.log', { 'a.mtail': 2, 'b.mtail': 2, 'c.mtail': 1 }],
    ['syslog', '/logs/syslog', { 'a.mtail': 2, 'b.mtail': 2, 'c.mtail': 2 }],
    ['the UDP socket by its name', '127.0.0.1:514', { 'a.mtail': 2, 'b.mtail': 2, 'c.mtail': 3 }],
    ['a source no pipeline names', '/logs/other.log', { 'a.mtail': 2, 'b.mtail': 2, 'c.mtail': 3 }],
  ];
  for (const [name, source, want] of cases) {
    set.processLine('x', source);
    t.same({ 'a.mtail': count('a.mtail'), 'b.mtail': count('b.mtail', 'b_lines'), 'c.mtail': count('c.mtail') }, want, name);
  }

  // Rebinding: b.mtail is no longer named (unloaded with its metrics), c.mtail now reads the access logs.
  set.bind([{ logs: ['/logs/access*.log'], programs: [join(dir, 'web', 'a.mtail'), join(dir, 'sys')] }]);
  t.same(set.list().map((p) => p.name), ['a.mtail', 'c.mtail'], 'b.mtail unloaded');
  t.equal(store.find('b.mtail', 'b_lines'), undefined, "b.mtail's metrics left the store");
  t.equal(events.filter(([, e]) => e === 'program_reloaded').length, 0, 'programs still bound are not recompiled');
  set.processLine('x', '/logs/access.log');
  set.processLine('x', '/logs/syslog');
  t.same([count('a.mtail'), count('c.mtail')], [3, 4], 'the access log reaches a and c; syslog reaches nothing');

  // Back to no bindings: every program takes every line.
  set.bind(undefined);
  set.processLine('x', '/logs/syslog');
  t.same([count('a.mtail'), count('c.mtail')], [4, 5], 'unbound: every line to every program');
});
