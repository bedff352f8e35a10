// Scenario 7: lines that fail at run time. One line in 20 has "-" as its size, so the
// program's int() fails on it; the same log without the dashes is measured beside it.
// A failing line should cost about what a succeeding line costs.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgreement } from './agree.js';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { writeAccessLog } from './loggen.js';
import { type Figure, formatCount, formatFigures } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '7. failing lines';
const PROGS_DIR = join(REPO_ROOT, 'bench', 'programs-failing');
/** Every 20th line fails: 5 %. */
const DASH_EVERY = 20;

export async function failingLines(ctx: BenchContext): Promise<Figure[]> {
  const { tools } = ctx;
  const n = ctx.lines;
  ctx.progress(`${SCENARIO}: writing ${n} lines, every ${DASH_EVERY}th with size "-"`);
  const failing = writeAccessLog(join(ctx.tmp, 'access-dash.log'), n, undefined, DASH_EVERY);
  const sample = writeAccessLog(join(ctx.tmp, 'access-dash-sample.log'), Math.min(n, 50_000), undefined, DASH_EVERY);
  const agreement = await checkAgreement(ctx, tools.ours(PROGS_DIR, [sample.path]), tools.mtail?.(PROGS_DIR, [sample.path]));
  rmSync(sample.path);

  // The clean log is the shared access log: same seed, so the same lines but for the dashes.
  const clean = await measurePair(ctx, `${SCENARIO} (none failing)`, tools.ours(PROGS_DIR, [ctx.accessLog.path]), tools.mtail?.(PROGS_DIR, [ctx.accessLog.path]));
  const bad = await measurePair(ctx, `${SCENARIO} (5 % failing)`, tools.ours(PROGS_DIR, [failing.path]), tools.mtail?.(PROGS_DIR, [failing.path]));
  rmSync(failing.path);

  const absent = tools.mtail ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `throughput, no line failing`, unit: 'lines/s', better: 'higher', ours: n / clean.ours.seconds, mtail: clean.mtail && n / clean.mtail.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `throughput, 5 % failing`, unit: 'lines/s', better: 'higher', ours: n / bad.ours.seconds, mtail: bad.mtail && n / bad.mtail.seconds, mtailNote: absent },
    {
      scenario: SCENARIO,
      what: 'throughput with 5 % failing ÷ without (target ≥ 0.90)',
      unit: 'ratio',
      better: 'higher',
      ours: clean.ours.seconds / bad.ours.seconds,
      mtail: clean.mtail && bad.mtail && clean.mtail.seconds / bad.mtail.seconds,
      mtailNote: absent,
    },
  ];
  const title = `${SCENARIO}: bench/programs-failing/size.mtail over ${formatCount(n)} lines, int("-") failing on every ${DASH_EVERY}th; median of ${ctx.runs}`;
  const notes = [agreement ?? 'outputs not compared: mtail is not installed'];
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
