// Scenario 10: many followed files — a daemon follows a glob matching 500 files that stay
// idle: the CPU it spends doing nothing, and how long 250 new files take to be picked up.

import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MTAIL_ABSENT, type BenchContext } from './context.js';
import { type FollowDaemon, type FollowTool, startFollowDaemon } from './follow-daemon.js';
import { median } from './measure.js';
import { type Figure, formatFigures, formatValue } from './report.js';

const SCENARIO = '10. many followed files';
/** lines_total for the warm-up; a count per file (mtail's getfilename()) shows which new files are followed. */
const LINES_PROGRAM = 'counter lines_total\ncounter file_lines_total by file\n\n/./ {\n  lines_total++\n  file_lines_total[getfilename()]++\n}\n';
/** New files get a line this often until counted: a tool that opens a new file at its end counts the next one. */
const APPEND_MS = 50;
const FILE_SERIES = /^file_lines_total\{[^}]*file="([^"]*)"[^}]*\} /gm;
const TARGET_IDLE_CPU = 0.05;
const TARGET_PICKUP_S = 1;
/** Each scrape of 750 files is a few hundred KiB of self-metrics: scraping more often would measure the scrapes. */
const SCRAPE_MS = 100;
/** Generous: a tool that misses a file shows as NOT counted, not as a hang. */
const COUNT_DEADLINE_MS = 60_000;
/** Let start-up work (opening the files, first scans) finish before CPU is measured. */
const SETTLE_MS = 2_000;

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** Waits until lines_total reaches want; the time it did (performance.now()), or NaN past the deadline. */
async function countReached(d: FollowDaemon, want: number): Promise<{ at: number; count: number }> {
  const deadline = performance.now() + COUNT_DEADLINE_MS;
  let count = 0;
  while (performance.now() < deadline) {
    count = await d.linesTotal();
    if (count >= want) return { at: performance.now(), count };
    await sleep(SCRAPE_MS);
  }
  return { at: NaN, count };
}

interface ToolRun {
  /** Share of one core while every file is idle. */
  idleCpu: number;
  /** From the creation of the last new file to the first scrape with a count for each (NaN: not all counted). */
  pickupS: number;
  picked: number;
  warmed: number;
}

async function runTool(ctx: BenchContext, tool: FollowTool, progsDir: string, files: number, added: number, idleSeconds: number): Promise<ToolRun> {
  const dir = mkdtempSync(join(ctx.tmp, `many-${tool}-`));
  const name = (i: number) => join(dir, `app-${String(i).padStart(4, '0')}.log`);
  for (let i = 0; i < files; i++) writeFileSync(name(i), 'existing line\n');
  let daemon: FollowDaemon | undefined;
  try {
    daemon = await startFollowDaemon(tool, progsDir, join(dir, '*.log'));
    // Both tools start existing files at their end: one line appended to each proves it is followed.
    await sleep(SETTLE_MS);
    for (let i = 0; i < files; i++) appendFileSync(name(i), 'warm-up line\n');
    const warm = await countReached(daemon, files);
    await sleep(SETTLE_MS);
    ctx.progress(`${SCENARIO}: ${tool}: idle CPU over ${idleSeconds} s`);
    const c0 = cpuSeconds(daemon.pid);
    const t0 = performance.now();
    await sleep(idleSeconds * 1000);
    const idleCpu = (cpuSeconds(daemon.pid) - c0) / ((performance.now() - t0) / 1000);
    ctx.progress(`${SCENARIO}: ${tool}: ${added} new files`);
    const fresh = new Set<string>();
    for (let i = files; i < files + added; i++) {
      writeFileSync(name(i), 'new file line\n');
      fresh.add(name(i));
    }
    const created = performance.now();
    const appender = setInterval(() => {
      for (const f of fresh) appendFileSync(f, 'new file line\n');
    }, APPEND_MS);
    try {
      const deadline = created + COUNT_DEADLINE_MS;
      let pickedAt = NaN;
      while (performance.now() < deadline) {
        const text = await daemon.metrics();
        for (const m of text.matchAll(FILE_SERIES)) fresh.delete(m[1]!);
        if (fresh.size === 0) {
          pickedAt = performance.now();
          break;
        }
        await sleep(SCRAPE_MS);
      }
      return { idleCpu, pickupS: (pickedAt - created) / 1000, picked: added - fresh.size, warmed: warm.count };
    } finally {
      clearInterval(appender);
    }
  } finally {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Idle CPU and new-file pickup of each daemon following a glob of `files` files. */
export async function manyFiles(ctx: BenchContext, files: number, added: number, idleSeconds: number): Promise<Figure[]> {
  const progsDir = join(ctx.tmp, 'many-files-programs');
  mkdirSync(progsDir, { recursive: true });
  writeFileSync(join(progsDir, 'lines.mtail'), LINES_PROGRAM);
  const tools: FollowTool[] = ctx.tools.mtail ? ['logmetrics', 'mtail'] : ['logmetrics'];
  const results = new Map<FollowTool, ToolRun[]>(tools.map((t) => [t, []]));
  for (let i = 0; i < ctx.runs; i++) {
    for (const tool of tools) {
      ctx.progress(`${SCENARIO}: ${tool} run ${i + 1}/${ctx.runs}`);
      results.get(tool)!.push(await runTool(ctx, tool, progsDir, files, added, idleSeconds));
    }
  }
  const ours = results.get('logmetrics')!;
  const theirs = results.get('mtail');
  const med = (rs: ToolRun[] | undefined, f: (r: ToolRun) => number) => (rs ? median(rs.map(f)) : undefined);
  const absent = theirs ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `CPU with ${files} idle files (share of one core, target ≤ ${TARGET_IDLE_CPU * 100}%)`, unit: 'core', better: 'lower', ours: med(ours, (r) => r.idleCpu)!, mtail: med(theirs, (r) => r.idleCpu), mtailNote: absent },
    { scenario: SCENARIO, what: `${added} new files: creation of the last → all counted (target ≤ ${TARGET_PICKUP_S} s)`, unit: 'seconds', better: 'lower', ours: med(ours, (r) => r.pickupS)!, mtail: med(theirs, (r) => r.pickupS), mtailNote: absent },
  ];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const notes = [
    `targets for logmetrics: idle CPU ≤ ${pct(TARGET_IDLE_CPU)}: ${pct(figures[0].ours)} ${verdict(figures[0].ours <= TARGET_IDLE_CPU)}; pickup ≤ ${TARGET_PICKUP_S} s: ${formatValue(figures[1].ours, 'seconds')} ${verdict(figures[1].ours <= TARGET_PICKUP_S)}`,
    `both daemons: default settings, one glob over ${files} files of one line each, a line appended to each (all counted before measuring), then ${idleSeconds} s without writes: CPU = utime + stime from /proc/<pid>/stat ÷ wall time; then ${added} new files of one line each created in a loop and appended a line every ${APPEND_MS} ms; pickup = from the last creation to the first scrape (every ${SCRAPE_MS} ms) with a file_lines_total{file} series for each`,
  ];
  for (const [tool, rs] of results) {
    notes.push(`${tool} runs: ${rs.map((r) => `idle ${pct(r.idleCpu)}, pickup ${Number.isNaN(r.pickupS) ? `NOT all counted (${r.picked} of ${added})` : formatValue(r.pickupS, 'seconds')}${r.warmed < files ? `, only ${r.warmed} of ${files} warm-up lines counted` : ''}`).join(' | ')}`);
    if (tool === 'logmetrics' && rs.some((r) => Number.isNaN(r.pickupS) || r.warmed < files)) {
      process.stderr.write(`bench: LOSS: logmetrics did not count a line of every file\n`);
      process.exitCode = 1;
    }
  }
  const title = `${SCENARIO}: a daemon follows a glob of ${files} idle files, then ${added} new ones appear; median of ${ctx.runs}`;
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
