// Scenario 2: the same access log through every shipped program plus apache_combined at once.

import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgreement } from './agree.js';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { APACHE_PROGS_DIR } from './one-program.js';
import { type Figure, formatFigures } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '2. many programs';

/** Copies programs/*.mtail and the bench's apache_combined.mtail into one directory for both tools. */
export function allProgramsDir(ctx: BenchContext): { dir: string; names: string[] } {
  const dir = join(ctx.tmp, 'all-programs');
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (const from of [join(REPO_ROOT, 'programs'), APACHE_PROGS_DIR]) {
    for (const f of readdirSync(from).filter((x) => x.endsWith('.mtail')).sort()) {
      copyFileSync(join(from, f), join(dir, f));
      names.push(f);
    }
  }
  return { dir, names };
}

/** Throughput and peak RSS with every program loaded, each line offered to all of them. */
export async function manyPrograms(ctx: BenchContext): Promise<Figure[]> {
  const { tools } = ctx;
  const { dir, names } = allProgramsDir(ctx);
  const log = ctx.accessLog;
  const n = log.lines;
  const small = ctx.sampleLog;
  ctx.progress(`${SCENARIO}: agreement check on ${small.lines} lines`);
  const agreement = await checkAgreement(ctx, tools.ours(dir, [small.path]), tools.mtail?.(dir, [small.path]));

  const pair = await measurePair(ctx, `${SCENARIO} (${names.length} programs)`, tools.ours(dir, [log.path]), tools.mtail?.(dir, [log.path]));
  const absent = tools.mtail ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `throughput, ${names.length} programs`, unit: 'lines/s', better: 'higher', ours: n / pair.ours.seconds, mtail: pair.mtail && n / pair.mtail.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `wall time, ${names.length} programs`, unit: 'seconds', better: 'lower', ours: pair.ours.seconds, mtail: pair.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `peak RSS, ${names.length} programs`, unit: 'bytes', better: 'lower', ours: pair.ours.peakRssBytes, mtail: pair.mtail?.peakRssBytes, mtailNote: absent },
  ];
  const title = `${SCENARIO}: ${names.join(', ')} over ${n.toLocaleString('en')} access-log lines; median of ${ctx.runs}`;
  const notes = [agreement ?? 'outputs not compared: mtail is not installed'];
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
