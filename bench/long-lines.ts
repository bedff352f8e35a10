// Scenario 6: hostile long lines. Every shipped program, and one-pattern programs made of the
// classic catastrophic patterns, each fed lines of about 1 MB shaped to hurt it; per case the
// slowest line's time (and that time per pattern of the program) and the peak RSS. The bound
// the README promises: at most 50 ms per pattern and 64 MiB above the loaded program's RSS for
// any line up to --max-line-bytes.

import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.js';
import { median } from './measure.js';
import type { LongLinesResult } from './long-lines-child.js';
import { type Figure, formatFigures, formatValue } from './report.js';
import { REPO_ROOT } from './tools.js';
import { LONG_SUBJECT } from '../src/regex/index.js';
import { DEFAULT_MAX_LINE_BYTES } from '../src/tail/lineSplitter.js';

const SCENARIO = '6. hostile long lines';
const CHILD = fileURLToPath(new URL('./long-lines-child.js', import.meta.url));
/** Lines as long as --max-line-bytes allows (its default, or BENCH_LONG_LINE_BYTES, e.g. 1048576). */
const MAX_LINE_BYTES = Number(process.env.BENCH_LONG_LINE_BYTES ?? '') || DEFAULT_MAX_LINE_BYTES;
const LINE_BYTES = MAX_LINE_BYTES;
const LINES_PER_CASE = 2;
/** The bound, per pattern and line. */
const BOUND_MS = 50;
const BOUND_EXTRA_BYTES = 64 * 1024 * 1024;

/** A line of about `bytes` bytes: `head`, then `unit` repeated, then `tail`. */
function shaped(head: string, unit: string, tail: string, bytes = LINE_BYTES): string {
  return head + unit.repeat(Math.max(0, Math.floor((bytes - head.length - tail.length) / unit.length))) + tail;
}

/**
 * Classic catastrophic patterns, each with the line that makes a backtracking engine suffer:
 * as long as allowed (matched by re2) and of LONG_SUBJECT characters (the longest V8 matches).
 */
const CLASSIC: { pattern: string; line: string; bytes: number }[] = [
  { pattern: '(a+)+$', unit: 'a', tail: '!' },
  { pattern: '(x+x+)+y', unit: 'x', tail: '' },
  { pattern: '(a|aa)+b', unit: 'a', tail: '' },
  { pattern: 'x+y', unit: 'x', tail: '' },
  { pattern: '.*.*=.*', unit: 'a', tail: '' },
].flatMap(({ pattern, unit, tail }) => [LINE_BYTES, LONG_SUBJECT].map((bytes) => ({ pattern, line: shaped('', unit, tail, bytes), bytes })));

const NGINX_HEAD = '127.0.0.1 - - [22/Nov/2026:02:26:42 +0000] "GET /';
/** Lines aimed at the shipped programs' patterns: near misses, escapes, long fields, repetition. */
const SHAPES: { name: string; line: string }[] = [
  { name: 'one letter', line: shaped('', 'x', '') },
  { name: 'spaces', line: shaped('', ' ', '') },
  { name: 'escaped quotes', line: shaped(NGINX_HEAD, '\\"', '') },
  { name: 'huge URL, valid line', line: shaped(NGINX_HEAD, 'a', ' HTTP/1.1" 200 163 "-" "curl/7.88.1"') },
  {
    name: 'timed, huge uct list',
    line: shaped(`${NGINX_HEAD}ping HTTP/1.1" 200 163 "-" "curl/7.88.1" host="a" rt=0.001 uct="`, '0.001, ', '0.001" urt="0.001" ua="-" us="502, 200" bs=1 rl=1'),
  },
  { name: 'syslog prefix, key=value', line: shaped('Nov 22 00:00:00 host sshd[1]: Failed password for ', 'k=v ; ', ' from 1.2.3.4 port') },
  { name: 'postfix, long to=', line: shaped('Nov 22 00:00:00 mx postfix/smtp[1]: ABC: to=<', 'a', '>, delay=1, status=sent') },
  { name: 'haproxy, long fields', line: shaped('Nov 22 00:00:00 lb haproxy[1]: 1.2.3.4:5 [22/Nov/2026:00:00:00.000] fe be/', 's', ' 0/0/0/1/1 200 1 - - ----') },
];

interface Case {
  name: string;
  program: string;
  log: string;
}

function runChild(c: Case): LongLinesResult {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=2', CHILD, c.program, c.log, String(MAX_LINE_BYTES)], {
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`long-lines child for ${c.name} failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as LongLinesResult;
}

export async function longLines(ctx: BenchContext): Promise<Figure[]> {
  const cases: Case[] = [];
  CLASSIC.forEach(({ pattern, line, bytes }, i) => {
    const program = join(ctx.tmp, `classic-${i}.mtail`);
    writeFileSync(program, `counter hits\n\n/${pattern}/ {\n  hits++\n}\n`);
    const log = join(ctx.tmp, `classic-${i}.log`);
    writeFileSync(log, `${line}\n`.repeat(LINES_PER_CASE));
    cases.push({ name: `/${pattern}/, ${bytes.toLocaleString('en')} bytes`, program, log });
  });
  const shapeLogs = SHAPES.map(({ name, line }, i) => {
    const log = join(ctx.tmp, `shape-${i}.log`);
    writeFileSync(log, `${line}\n`.repeat(LINES_PER_CASE));
    return { name, log };
  });
  const shipped = readdirSync(join(REPO_ROOT, 'programs')).filter((f) => f.endsWith('.mtail')).sort();
  for (const file of shipped) {
    for (const shape of shapeLogs) cases.push({ name: `${file}, ${shape.name}`, program: join(REPO_ROOT, 'programs', file), log: shape.log });
  }

  const rows: string[] = [];
  const figures: Figure[] = [];
  let worstPerPattern = 0;
  let worstExtra = 0;
  for (const c of cases) {
    ctx.progress(`${SCENARIO}: ${c.name}`);
    const results: LongLinesResult[] = [];
    for (let i = 0; i < ctx.runs; i++) results.push(runChild(c));
    const r = results[0]!;
    if (r.lines !== LINES_PER_CASE) throw new Error(`${c.name}: ${r.lines} lines read, expected ${LINES_PER_CASE}`);
    const ms = median(results.map((x) => x.maxMs));
    const perPattern = ms / Math.max(1, r.patterns);
    const peak = median(results.map((x) => x.peakRssBytes));
    const extra = median(results.map((x) => x.peakRssBytes - x.baseRssBytes));
    worstPerPattern = Math.max(worstPerPattern, perPattern);
    worstExtra = Math.max(worstExtra, extra);
    rows.push(
      `${c.name.padEnd(48)} ${String(r.patterns).padStart(8)} ${ms.toFixed(1).padStart(9)} ${perPattern.toFixed(2).padStart(12)} ` +
        `${formatValue(peak, 'bytes').padStart(10)} ${formatValue(extra, 'bytes').padStart(10)}`,
    );
  }
  figures.push(
    { scenario: SCENARIO, what: 'slowest line, per pattern', unit: 'seconds', better: 'lower', ours: worstPerPattern / 1000, mtailNote: 'not measured' },
    { scenario: SCENARIO, what: 'largest RSS above the loaded program', unit: 'bytes', better: 'lower', ours: worstExtra, mtailNote: 'not measured' },
  );
  const out = [
    `\n${SCENARIO}: lines of ${LINE_BYTES.toLocaleString('en')} bytes (--max-line-bytes ${MAX_LINE_BYTES}), ${LINES_PER_CASE} per case, read through the line splitter; one process per case; median of ${ctx.runs}`,
    `${'case'.padEnd(48)} ${'patterns'.padStart(8)} ${'ms/line'.padStart(9)} ${'ms/line/pat'.padStart(12)} ${'peak RSS'.padStart(10)} ${'above base'.padStart(10)}`,
    ...rows,
    `bound: ${BOUND_MS} ms per pattern and ${formatValue(BOUND_EXTRA_BYTES, 'bytes')} above the loaded program; worst here ${worstPerPattern.toFixed(2)} ms per pattern, ${formatValue(worstExtra, 'bytes')}` +
      (worstPerPattern <= BOUND_MS && worstExtra <= BOUND_EXTRA_BYTES ? ' (within)' : ' (EXCEEDED)'),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  process.stdout.write(formatFigures(`${SCENARIO}: summary`, figures));
  return figures;
}
