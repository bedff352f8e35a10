// Differential test against the real mtail (Debian's 3.0.0~rc50, Go 1.19):
// each case is a one-rule program `strptime($t, LAYOUT); ts = timestamp()`,
// and the exported gauge (or the logged runtime error) must equal ours.
//
// Left out on purpose, where Go changed after 1.19 and we follow current Go:
//   - ".999" followed by more than 9 digits: Go 1.19 "extra text", now accepted;
//   - "Z" for Z070000 / Z07:00:00: Go 1.19 rejects it, now UTC;
//   - offsets above 24 hours ("+2500"): Go 1.19 accepts them, now "time zone offset hour out of range";
//   - the value part of "cannot parse X as Y" after PM/pm/numeric-offset errors: Go 1.19 shows the
//     rest after the element, current Go the element itself (only the message differs).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkStrptimeLayout, loadZone, mtailTimestamp, Strptime } from '../../../src/go/time/index.js';

const INSTALL = 'mtail not found: apt-get install -y mtail';

function mtailAvailable(): boolean {
  const r = spawnSync('mtail', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.error === undefined;
}

const escapeMtailString = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

interface Run { stdout: string; stderr: string }

// mtail listens even in one-shot and compile-only modes: on a free loopback port, so that a
// port 3903 taken by anything else does not make it fail before it reads a line.
function runMtail(dir: string, extra: string[]): Run {
  const r = spawnSync('mtail', ['--one_shot', '--one_shot_format', 'prometheus', '--progs', path.join(dir, 'progs'),
    '--logs', path.join(dir, 'log'), '--logtostderr', '--address', '127.0.0.1', '--port', '0', ...extra], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TZ: 'UTC' } });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// [layout, value]; every layout must pass mtail's compile-time check.
const CASES: [string, string][] = [
  ['02/Jan/2006:15:04:05 -0700', '10/Oct/2000:13:55:36 -0700'],
  ['02/Jan/2006:15:04:05 -0700', '31/Dec/1969:23:59:59 -0000'],
  ['2006-01-02T15:04:05Z07:00', '2024-03-10T12:34:56Z'],
  ['2006-01-02T15:04:05Z07:00', '2024-03-10T12:34:56.5+05:30'],
  ['2006-01-02T15:04:05.999999999Z07:00', '2024-03-10T12:34:56.123456789-08:00'],
  ['2006-01-02 15:04:05', '2024-03-31 02:30:00'],
  ['2006-01-02 15:04:05', '2024-10-27 02:30:00'],
  ['2006-01-02 15:04:05', '2024-03-10 02:30:00'],
  ['2006-01-02 15:04:05', '2024-11-03 01:30:00'],
  ['2006-01-02 15:04:05', '2045-07-01 12:00:00'],
  ['2006-01-02 15:04:05', '1969-12-31 23:59:59.5'],
  ['2006-01-02 15:04:05', '2024-03-10 12:34:56 junk'],
  ['2006-01-02 15:04:05', '2024-13-10 12:34:56'],
  ['2006-01-02 15:04:05', '2024-03-10 1x:34:56'],
  ['2006-01-02', '2023-02-29'],
  ['Jan _2 15:04:05', 'Mar  3 12:00:00'],
  ['Jan _2 15:04:05', 'Feb 29 12:00:00'],
  ['Jan _2 15:04:05', 'Jul  4 02:30:00'],
  ['Jan _2 15:04:05 -0700', 'Jan  1 00:30:00 +0100'],
  ['Jan _2 15:04:05 MST', 'Jan  1 00:30:00 CEST'],
  ['Jan _2 15:04:05 MST', 'Dec 31 23:30:00 GMT+3'],
  ['Mon Jan _2 15:04:05 2006', 'thu MAR  7 09:05:01 2024'],
  ['Mon Jan _2 15:04:05 MST 2006', 'Tue Mar  5 17:08:09 EST 2024'],
  ['Mon, 02 Jan 2006 15:04:05 MST', 'Wed, 10 Jul 2024 12:00:00 CET'],
  ['Mon, 02 Jan 2006 15:04:05 MST', 'Wed, 10 Jan 2024 12:00:00 CEST'],
  ['Mon, 02 Jan 2006 15:04:05 MST', 'Wed, 10 Jul 2024 12:00:00 GMT+5'],
  ['2006-01-02 15:04:05 MST', '2024-07-10 12:00:00 EDT'],
  ['2006-01-02 15:04:05 MST', '2024-07-10 12:00:00 ABCDE'],
  ['2006-01-02 15:04:05 -0700 MST', '2024-07-10 12:00:00 +0200 CEST'],
  ['20060102150405', '20240305170809'],
  ['2006/01/02 15:04:05', '2024/03/05 17:08:09'],
  ['January 2, 2006 3:04:05 PM', 'July 4, 1999 12:00:01 AM'],
  ['06-01-02', '69-01-01'],
  ['06 Jan 02', '-5 Jan 02'],
  ['2006 002 15:04', '2024 060 10:00'],
  ['2006-01-02 002', '2024-03-02 061'],
  ['2006 __2', '2023 366'],
  ['2006-01-02 15:04:05,000', '2024-03-10 12:34:56,999'],
  ['2006-01-02 15:04:05.000', '2024-03-10 12:34:56.99'],
  ['2006-01-02 15:04:05 Z07', '2024-03-10 12:34:56 -03'],
  ['2006-01-02 15:04:05 -07:00:00', '2024-03-10 12:34:56 -00:00:01'],
  ['2006-01-02 15:04', '2024-03-10 24:00'],
  ['2006-1-2 3:4:5', '2024-3-9 7:8:9'],
  ['2006-01-02 15:04', '2024-03-10    15:04'],
  ['2006-01-02 15:04:05', '0001-01-01 00:00:00'],
];

/** Runs every case through mtail in one process; returns gauge seconds or the error message per case. */
function mtailResults(zone: string): (number | string | undefined)[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-time-'));
  try {
    fs.mkdirSync(path.join(dir, 'progs'));
    let log = '';
    CASES.forEach(([layout, value], i) => {
      // One program per case: mtail memoises parses by value string per program.
      fs.writeFileSync(path.join(dir, 'progs', `c${i}.mtail`),
        `gauge ts_c${i}\n/^c${i} (?P<t>.*)$/ {\n  strptime($t, "${escapeMtailString(layout)}")\n  ts_c${i} = timestamp()\n}\n`);
      log += `c${i} ${value}\n`;
    });
    fs.writeFileSync(path.join(dir, 'log'), log);
    const run = runMtail(dir, ['--override_timezone', zone]);
    const results: (number | string | undefined)[] = CASES.map(() => undefined);
    for (const line of run.stdout.split('\n')) {
      const m = /^ts_c(\d+)\{[^}]*\} (\S+)$/.exec(line);
      if (m) results[Number(m[1])] = Number(m[2]);
    }
    for (const line of run.stderr.split('\n')) {
      const m = /c(\d+)\.mtail: Runtime error: strptime \(.*?\) failed: (.*)$/.exec(line);
      if (m) results[Number(m[1])] = m[2];
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const available = mtailAvailable();

t.test('cases use layouts mtail compiles', async (t) => {
  for (const [layout] of CASES) t.equal(checkStrptimeLayout(layout), undefined, layout);
});

for (const zoneName of ['UTC', 'Europe/Berlin', 'America/New_York']) {
  t.test(`same results as mtail, --override_timezone ${zoneName}`, async (t) => {
    if (!available) { t.fail(INSTALL); return; }
    const theirs = mtailResults(zoneName);
    const strptime = new Strptime(loadZone(zoneName));
    CASES.forEach(([layout, value], i) => {
      const now = Date.now();
      let ours: number | string;
      try {
        ours = mtailTimestamp(strptime.parse(value, layout), now);
      } catch (e) {
        ours = (e as Error).message;
      }
      const name = `${layout} | ${value}`;
      if (typeof ours === 'number' && typeof theirs[i] === 'number' && Math.abs(ours - now / 1000) < 120) {
        // Go's zero time: timestamp() is the wall clock of each process.
        t.ok(Math.abs(ours - (theirs[i] as number)) < 120, `${name}: both read the clock`);
      } else {
        t.equal(ours, theirs[i], name);
      }
    });
  });
}

// Layout literals mtail's checker accepts or rejects, against checkStrptimeLayout.
const LAYOUTS_TO_COMPILE = [
  '2006-01-02T15:04:05.000Z', '2006-01-02T15:04:05Z07:00', 'Jan _2 15:04:05', '2006_01', '1136239445',
  '02/Jan/2006:15:04:05 -0700', 'Mon, 02 Jan 2006 15:04:05 MST', '2006-01-02 3:04pm', '__2 2006', '15:04:05Z',
];
t.test('compile-time layout check agrees with mtail', async (t) => {
  if (!available) { t.fail(INSTALL); return; }
  for (const layout of LAYOUTS_TO_COMPILE) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-layout-'));
    try {
      fs.writeFileSync(path.join(dir, 'p.mtail'), `/^(?P<t>.*)$/ {\n  strptime($t, "${escapeMtailString(layout)}")\n}\n`);
      const r = spawnSync('mtail', ['--compile_only', '--progs', dir, '--logtostderr', '--address', '127.0.0.1', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
      const mtailAccepts = !/compile failed/.test(r.stderr ?? '');
      t.equal(checkStrptimeLayout(layout) === undefined, mtailAccepts, `${layout}: mtail ${mtailAccepts ? 'accepts' : 'rejects'}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

// What mtail does when strptime fails: facts the runtime has to reproduce.
t.test('mtail on a failing strptime', async (t) => {
  if (!available) { t.fail(INSTALL); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-time-'));
  try {
    fs.mkdirSync(path.join(dir, 'progs'));
    fs.writeFileSync(path.join(dir, 'progs', 'p.mtail'), [
      'counter lines', 'counter parsed', 'gauge ts',
      '/^(?P<t>.*)$/ {', '  lines++', '  strptime($t, "2006-01-02 15:04:05")', '  parsed++', '  ts = timestamp()', '}', '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'log'), ['2024-03-10 12:00:00', '2024-13-10 12:00:00', '2024-13-10 12:00:00', '2024-14-10 12:00:00', ''].join('\n'));
    const before = Date.now() / 1000;
    const run = runMtail(dir, []);
    const sample = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(run.stdout)?.[1]);
    t.equal(sample('lines'), 4, 'every line reaches the action');
    t.equal(sample('parsed'), 2, 'a first failure ends the line; a repeat of the same bad value does not');
    t.ok(Math.abs(sample('ts') - before) < 120, 'the repeated bad value was memoised as Go\'s zero time, so timestamp() is now');
    t.equal(run.stderr.split('\n').filter((l) => l.includes('Runtime error: strptime')).length, 2, 'two runtime errors logged');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
