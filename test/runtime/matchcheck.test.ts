// No silent failure: what counts as a program matching a line, its counts per log, and the
// match check that warns once when a program does not (or stops to) match a log.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import type { Level, Logger } from '../../src/log/index.js';
import { Store } from '../../src/metrics/index.js';
import { FIRST_LINES, instantiate, LogCounts, WINDOW_LINES, type LoadedProgram } from '../../src/runtime/program.js';
import { ProgramSet } from '../../src/runtime/programs.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';

const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);

type Event = [Level, string, Record<string, unknown>];

function load(text: string, name = 'prog.mtail'): { program: LoadedProgram; events: Event[] } {
  const result = compile(name, text);
  if (!result.generated) throw new Error(`did not compile: ${result.diagnostics.map((d) => d.format(result.source)).join('\n')}`);
  const events: Event[] = [];
  const logger: Logger = { log: (level, event, fields = {}) => events.push([level, event, fields]) };
  return { program: instantiate(name, result, new Store(), new Strptime(UTC_ZONE, () => NOW), logger), events };
}

t.test('a line is matched when a top-level pattern block ran', async (t) => {
  const cases: { name: string; prog: string; lines: [string, boolean][] }[] = [
    {
      name: 'plain pattern blocks',
      prog: 'counter a\ncounter b\n/^a/ { a++ }\n/^b/ { b++ }\n',
      lines: [['a1', true], ['b1', true], ['c1', false], ['', false]],
    },
    {
      name: 'a nested block that does not match leaves the outer one matched',
      prog: 'counter x\n/^GET (\\d+)/ {\n  $1 == 500 { x++ }\n}\n',
      lines: [['GET 200', true], ['GET 500', true], ['POST 200', false]],
    },
    {
      name: 'a filter on the file name is transparent: the pattern blocks inside it count',
      prog: 'counter x\ngetfilename() =~ /a\\.log$/ {\n  /^ok/ { x++ }\n}\n',
      lines: [['ok', true], ['nope', false]],
    },
    {
      name: 'else branches and otherwise do not count, pattern blocks inside else do',
      prog: 'counter x\ncounter y\n/^a/ { x++ } else {\n  /^b/ { y++ }\n}\n/^z/ { x++ }\notherwise { y++ }\n',
      lines: [['a', true], ['b', true], ['c', false], ['z', true]],
    },
    {
      name: 'a decorator is a top-level pattern block',
      prog: 'counter x\ndef syslog {\n  /^(?P<host>\\w+): / { next }\n}\n@syslog {\n  /sshd/ { x++ }\n}\n',
      lines: [['web1: sshd', true], ['web1: cron', true], ['no prefix', false]],
    },
    {
      name: 'stop inside a matched block still reports the match',
      prog: 'counter x\n/^a/ {\n  stop\n}\n/^a/ { x++ }\n',
      lines: [['a', true], ['b', false]],
    },
  ];
  for (const c of cases) {
    const { program } = load(c.prog);
    for (const [line, want] of c.lines) {
      const log = "/var/log/a.log";
      const before = program.logs.get(log)?.matched ?? 0;
      program.run(line, log, NOW);
      t.equal(program.logs.get(log)!.matched - before, want ? 1 : 0, `${c.name}: ${JSON.stringify(line)} ${want ? 'matched' : 'not matched'}`);
    }
  }
});

t.test('a program without a top-level pattern block has no matched count and no check', async (t) => {
  const { program, events } = load('counter x\ngetfilename() =~ /x/ { x++ }\n');
  for (let i = 0; i < FIRST_LINES * 3; i++) program.run('line', '/var/log/x', NOW);
  const c = program.logs.get('/var/log/x')!;
  t.equal(c.state, 'unknown');
  t.equal(c.lines, FIRST_LINES * 3);
  t.same(events, [], 'no warning');
});

t.test('counts per log for a known mix', async (t) => {
  const { program } = load('counter a\n/^a/ { a++ }\n/^(\\d+)$/ { a = 10 / $1 }\n');
  const mix: [string, string, number][] = [
    // log, line, times
    ['/l/one', 'a', 7],
    ['/l/one', 'x', 3],
    ['/l/two', 'a', 2],
    ['/l/one', '0', 4], // division by zero: a run-time error, not counted as matched
    ['/l/two', 'y', 5],
    ['/l/one', 'a', 1],
    ['-', '5', 6],
  ];
  for (const [log, line, n] of mix) for (let i = 0; i < n; i++) program.run(line, log, NOW + i);
  const got = Object.fromEntries([...program.logs].map(([log, c]) => [log, [c.lines, c.matched, c.runtimeErrors]]));
  t.same(got, { '/l/one': [15, 8, 4], '/l/two': [7, 2, 0], '-': [6, 6, 0] }, 'lines, matched, errors per log');
  t.equal(program.lines, 28, 'lines of the program: the sum');
  t.equal(program.runtimeErrors, 4);
  t.equal(program.logs.get('-')!.lastLineAt, NOW + 5, 'time of the last line');
});

t.test('one warning for a program that matches none of the first lines of a log', async (t) => {
  const { program, events } = load('counter hits\n/^GET /\n{ hits++ }\n', 'nginx.mtail');
  for (let i = 0; i < FIRST_LINES - 1; i++) program.run(`other log line ${i}`, '/var/log/syslog', NOW);
  t.equal(events.length, 0, 'nothing before the first lines are seen');
  for (let i = 0; i < FIRST_LINES * 30; i++) program.run(`other log line "${i}"\u0007`, '/var/log/syslog', NOW);
  for (let i = 0; i < FIRST_LINES * 3; i++) program.run('GET /', '/var/log/nginx.log', NOW);
  t.equal(events.length, 1, 'exactly one warning');
  const [level, event, fields] = events[0]!;
  t.equal(level, 'warn');
  t.equal(event, 'program_not_matching');
  t.equal(fields.prog, 'nginx.mtail');
  t.equal(fields.log, '/var/log/syslog');
  t.equal(fields.reason, `matched none of the first ${FIRST_LINES} lines`);
  t.equal(fields.sample, 'other log line "0"\u0007', 'the line at which the check was made');
  const c = program.logs.get('/var/log/syslog')!;
  t.equal(c.state, 'not matching');
  t.same(c.notMatching, { at: NOW, message: `matched none of the first ${FIRST_LINES} lines`, sample: 'other log line "0"\u0007' });
  t.equal(program.logs.get('/var/log/nginx.log')!.state, 'matching');
});

t.test('a long sample line is cut', async (t) => {
  const { program, events } = load('counter hits\n/^GET /\n{ hits++ }\n');
  const long = 'x'.repeat(5000);
  for (let i = 0; i < FIRST_LINES; i++) program.run(long, 'f', NOW);
  t.equal(events.length, 1);
  t.equal(events[0]![2].sample, 'x'.repeat(200) + '…');
});

t.test('the match check over windows', async (t) => {
  // Each case feeds runs of [lines, matched] to LogCounts as LoadedProgram does, and lists the warnings.
  const feed = (runs: [number, number][]): { warnings: string[]; state: string } => {
    const c = new LogCounts();
    const warnings: string[] = [];
    for (const [lines, matched] of runs) {
      // Matched lines are spread evenly through the run.
      for (let i = 0; i < lines; i++) {
        c.lines++;
        const hit = matched > 0 && i % Math.floor(lines / matched) === 0 && Math.floor(i / Math.floor(lines / matched)) < matched;
        if (hit) c.matched++;
        if (c.lines >= c.nextReview) {
          const why = c.review(hit);
          if (why !== undefined) warnings.push(why);
        }
      }
    }
    return { warnings, state: c.state };
  };
  const W = WINDOW_LINES;
  const cases: { name: string; runs: [number, number][]; warnings: string[]; state: string }[] = [
    { name: 'never matching', runs: [[FIRST_LINES + 5 * W, 0]], warnings: [`matched none of the first ${FIRST_LINES} lines`], state: 'not matching' },
    { name: 'matching all along', runs: [[FIRST_LINES + 5 * W, FIRST_LINES + 5 * W]], warnings: [], state: 'matching' },
    { name: 'half the lines', runs: [[FIRST_LINES + 5 * W, (FIRST_LINES + 5 * W) / 2]], warnings: [], state: 'matching' },
    { name: 'a rare-event program (one line in 500) is not warned', runs: [[FIRST_LINES + 5 * W, (FIRST_LINES + 5 * W) / 500]], warnings: [], state: 'rare' },
    { name: 'fewer lines than the first check', runs: [[FIRST_LINES - 1, 0]], warnings: [], state: 'new' },
    {
      name: 'matching, then the format changed: one warning',
      runs: [[FIRST_LINES + 2 * W, FIRST_LINES + 2 * W], [5 * W, 0]],
      warnings: [`matched 0 of the last ${W} lines (under 1%)`],
      state: 'not matching',
    },
    {
      name: 'stopped, recovered, stopped again: one warning each time',
      runs: [[FIRST_LINES, FIRST_LINES], [3 * W, 0], [3 * W, 3 * W], [3 * W, 0]],
      warnings: [`matched 0 of the last ${W} lines (under 1%)`, `matched 0 of the last ${W} lines (under 1%)`],
      state: 'not matching',
    },
    {
      name: 'none of the first lines, then matching: the warning is cleared',
      runs: [[FIRST_LINES, 0], [3 * W, 3 * W]],
      warnings: [`matched none of the first ${FIRST_LINES} lines`],
      state: 'matching',
    },
  ];
  for (const c of cases) {
    const got = feed(c.runs);
    t.same(got.warnings, c.warnings, `${c.name}: warnings`);
    t.equal(got.state, c.state, `${c.name}: state`);
  }
});

t.test('with bindings, counts and warnings are per program and the logs bound to it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logmetrics-matchcheck-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'web.mtail'), 'counter hits\n/^GET /\n{ hits++ }\n');
  writeFileSync(join(dir, 'sys.mtail'), 'counter hits\n/ cron\\[/\n{ hits++ }\n');
  const events: Event[] = [];
  const logger: Logger = { log: (level, event, fields = {}) => events.push([level, event, fields]) };
  const set = new ProgramSet({ store: new Store(), logger });
  t.equal(
    set.bind([
      { logs: ['/logs/access.log'], programs: [join(dir, 'web.mtail')] },
      { logs: ['/logs/syslog'], programs: [join(dir, 'sys.mtail')] },
    ]),
    true,
  );
  for (let i = 0; i < 1500; i++) set.processLine(i % 3 === 0 ? 'POST /x' : 'GET /x', '/logs/access.log');
  for (let i = 0; i < 1200; i++) set.processLine(`Dec  2 host cron[${i}]: job`, '/logs/syslog');
  for (let i = 0; i < 2000; i++) set.processLine('unrouted', '/logs/other.log');
  const counts = Object.fromEntries(set.list().map((p) => [p.name, p.logs.map((l) => [l.log, l.lines, l.matched])]));
  t.same(counts, { 'web.mtail': [['/logs/access.log', 1500, 1000]], 'sys.mtail': [['/logs/syslog', 1200, 1200]] }, 'only bound pairs are counted');
  t.same(events.filter(([, e]) => e === 'program_not_matching'), [], 'no warning: each program matches its own log');
});
