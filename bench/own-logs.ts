// Scenario 8: each shipped program over a log in its own format, beside mtail and beside its
// floor: the time V8 takes to run only that program's regexes over the same lines
// (floor-child.ts). Targets (issue 9): every program at least 15× mtail's throughput, and our
// whole run (process start to exit) within 2.5× the floor. Beside the floor, the same run with
// the groups read the plain way (numbers parsed, label values looked up): where the regexes and
// their groups alone already stand against that target.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { type GeneratedLog, writeAccessLog, writeHaproxyHttpLog, writeHaproxyTcpLog, writeNginxLog, writePostfixLog, writeSyslogLog } from './loggen.js';
import { median } from './measure.js';
import { type Figure, formatValue } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '8. shipped programs, own logs';
const MTAIL_TARGET = 15;
const FLOOR_TARGET = 2.5;

interface Case {
  name: string;
  program: string;
  write(path: string, lines: number): GeneratedLog;
}

const CASES: Case[] = [
  { name: 'nginx', program: 'nginx.mtail', write: writeNginxLog },
  { name: 'haproxy http', program: 'haproxy.mtail', write: writeHaproxyHttpLog },
  { name: 'haproxy tcp', program: 'haproxy.mtail', write: writeHaproxyTcpLog },
  { name: 'apache', program: 'apache.mtail', write: (p, n) => writeAccessLog(p, n) },
  { name: 'syslog', program: 'syslog.mtail', write: writeSyslogLog },
  { name: 'postfix', program: 'postfix.mtail', write: writePostfixLog },
];

/**
 * Median milliseconds of the program's regexes alone over the log, in a fresh process each run;
 * with `captures`, plus the plain reading of the groups the program reads.
 */
function floorMs(ctx: BenchContext, program: string, log: string, captures = false): { ms: number; patterns: number } {
  const child = join(REPO_ROOT, 'dist', 'bench', 'floor-child.js');
  const runs: number[] = [];
  let patterns = 0;
  for (let i = 0; i < ctx.runs; i++) {
    const r = spawnSync(process.execPath, [child, program, log, ...(captures ? ['captures'] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`floor of ${program}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { ms: number; patterns: number };
    runs.push(out.ms);
    patterns = out.patterns;
  }
  return { ms: median(runs), patterns };
}

export async function ownLogs(ctx: BenchContext): Promise<Figure[]> {
  const { tools } = ctx;
  const n = ctx.lines;
  const figures: Figure[] = [];
  const rows: string[][] = [['program', 'logmetrics', 'mtail', '× mtail', 'floor (regexes only)', 'ours ÷ floor', 'floor + captures', 'targets']];
  for (const c of CASES) {
    const dir = join(ctx.tmp, `own-${c.name.replace(/\W/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'programs', c.program), join(dir, c.program));
    ctx.progress(`${SCENARIO}: writing ${n} ${c.name} lines`);
    const log = c.write(join(ctx.tmp, `${c.name.replace(/\W/g, '-')}.log`), n);
    const pair = await measurePair(ctx, `${SCENARIO}: ${c.name}`, tools.ours(dir, [log.path]), tools.mtail?.(dir, [log.path]));
    ctx.progress(`${SCENARIO}: ${c.name}: floor, ${ctx.runs} runs`);
    const floor = floorMs(ctx, join(dir, c.program), log.path);
    const withCaptures = floorMs(ctx, join(dir, c.program), log.path, true);
    rmSync(log.path);
    const ours = pair.ours.seconds;
    const vsMtail = pair.mtail ? pair.mtail.seconds / ours : undefined;
    const vsFloor = ours / (floor.ms / 1000);
    const met = [vsMtail === undefined ? '' : vsMtail >= MTAIL_TARGET ? `≥${MTAIL_TARGET}× mtail: yes` : `≥${MTAIL_TARGET}× mtail: NO`, vsFloor <= FLOOR_TARGET ? `≤${FLOOR_TARGET}× floor: yes` : `≤${FLOOR_TARGET}× floor: NO`];
    rows.push([
      `${c.name} (${c.program}, ${floor.patterns} patterns)`,
      `${formatValue(ours, 'seconds')} (${formatValue(n / ours, 'lines/s')})`,
      pair.mtail ? formatValue(pair.mtail.seconds, 'seconds') : MTAIL_ABSENT,
      vsMtail === undefined ? '-' : `${vsMtail.toFixed(1)}×`,
      formatValue(floor.ms / 1000, 'seconds'),
      `${vsFloor.toFixed(2)}×`,
      `${formatValue(withCaptures.ms / 1000, 'seconds')} (${(withCaptures.ms / floor.ms).toFixed(2)}× floor)`,
      met.filter((s) => s !== '').join(', '),
    ]);
    figures.push(
      { scenario: SCENARIO, what: `${c.name}: throughput`, unit: 'lines/s', better: 'higher', ours: n / ours, mtail: pair.mtail && n / pair.mtail.seconds, mtailNote: tools.mtail ? undefined : MTAIL_ABSENT },
      { scenario: SCENARIO, what: `${c.name}: wall time ÷ regex floor`, unit: 'ratio', better: 'lower', ours: vsFloor, mtailNote: 'n/a' },
      { scenario: SCENARIO, what: `${c.name}: regexes and captures ÷ regex floor`, unit: 'ratio', better: 'lower', ours: withCaptures.ms / floor.ms, mtailNote: 'n/a' },
    );
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  const title = `${SCENARIO}: each program over ${n.toLocaleString('en')} lines of its own format (bench/loggen.ts); median of ${ctx.runs}`;
  const notes = [
    'logmetrics and mtail: wall time of the real CLI, process start to exit (--one-shot)',
    'floor: V8 running only the program\'s own matchers over the lines already in memory (bench/floor-child.ts), no reading, no actions',
    'floor + captures: the same, and each match\'s numeric groups parsed and label groups looked up once in a Map: no process start, no reading, no metric',
  ];
  process.stdout.write(`\n${title}\n${'-'.repeat(title.length)}\n${table}\n${notes.map((s) => `note: ${s}\n`).join('')}`);
  return figures;
}
