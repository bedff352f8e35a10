// Scenario 1: one program (apache_combined) over one big combined-format access log.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgreement } from './agree.js';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { writeAccessLog } from './loggen.js';
import { type Figure, formatCount, formatFigures, formatValue } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '1. one program, one big file';
/** The reference program; a directory, as mtail requires. */
export const APACHE_PROGS_DIR = join(REPO_ROOT, 'bench', 'programs');
const GROWTH_FACTOR = 5;

/** Throughput and peak RSS at N lines, then ours at 5×N to show memory does not follow file size. */
export async function oneProgram(ctx: BenchContext): Promise<Figure[]> {
  const { tools } = ctx;
  const log = ctx.accessLog;
  const n = log.lines;

  const small = ctx.sampleLog;
  ctx.progress(`${SCENARIO}: agreement check on ${small.lines} lines`);
  const agreement = await checkAgreement(ctx, tools.ours(APACHE_PROGS_DIR, [small.path]), tools.mtail?.(APACHE_PROGS_DIR, [small.path]));

  const base = await measurePair(ctx, `${SCENARIO} (${n} lines)`, tools.ours(APACHE_PROGS_DIR, [log.path]), tools.mtail?.(APACHE_PROGS_DIR, [log.path]));

  const bigLines = n * GROWTH_FACTOR;
  ctx.progress(`${SCENARIO}: writing ${bigLines} lines`);
  const big = writeAccessLog(join(ctx.tmp, 'access-big.log'), bigLines);
  const withMtail = ctx.full ? tools.mtail : undefined;
  const grown = await measurePair(ctx, `${SCENARIO} (${bigLines} lines)`, tools.ours(APACHE_PROGS_DIR, [big.path]), withMtail?.(APACHE_PROGS_DIR, [big.path]));
  rmSync(big.path);

  const skipped = tools.mtail ? 'skipped (BENCH_FULL=1)' : MTAIL_ABSENT;
  const absent = tools.mtail ? undefined : MTAIL_ABSENT;
  const label = (k: number) => `${formatCount(k)} lines`;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `throughput, ${label(n)}`, unit: 'lines/s', better: 'higher', ours: n / base.ours.seconds, mtail: base.mtail && n / base.mtail.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `wall time, ${label(n)}`, unit: 'seconds', better: 'lower', ours: base.ours.seconds, mtail: base.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `peak RSS, ${label(n)}`, unit: 'bytes', better: 'lower', ours: base.ours.peakRssBytes, mtail: base.mtail?.peakRssBytes, mtailNote: absent },
    { scenario: SCENARIO, what: `throughput, ${label(bigLines)}`, unit: 'lines/s', better: 'higher', ours: bigLines / grown.ours.seconds, mtail: grown.mtail && bigLines / grown.mtail.seconds, mtailNote: skipped },
    { scenario: SCENARIO, what: `peak RSS, ${label(bigLines)}`, unit: 'bytes', better: 'lower', ours: grown.ours.peakRssBytes, mtail: grown.mtail?.peakRssBytes, mtailNote: skipped },
  ];
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  const title = `${SCENARIO}: bench/programs/apache_combined.mtail over ${n.toLocaleString('en')} lines (${mb(log.bytes)}) and ${bigLines.toLocaleString('en')} lines (${mb(big.bytes)}); median of ${ctx.runs}`;
  const growth = grown.ours.peakRssBytes / base.ours.peakRssBytes;
  const notes = [
    `logmetrics peak RSS: ${formatValue(base.ours.peakRssBytes, 'bytes')} at ${label(n)}, ${formatValue(grown.ours.peakRssBytes, 'bytes')} at ${label(bigLines)} (×${growth.toFixed(2)} for ${GROWTH_FACTOR}× the file)`,
    agreement ?? 'outputs not compared: mtail is not installed',
  ];
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
