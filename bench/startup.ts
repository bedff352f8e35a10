// Scenario 4: start-up cost — every shipped program loaded, one line read, metrics printed.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { type Figure, formatFigures } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '4. start-up';
const ONE_LINE = '192.0.2.7 - - [22/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/7.88.1"\n';

/** Wall time of a one-shot run over a one-line log: process start, compile, first line, output, exit. */
export async function startup(ctx: BenchContext): Promise<Figure[]> {
  const { tools } = ctx;
  const progs = join(REPO_ROOT, 'programs');
  const log = join(ctx.tmp, 'one-line.log');
  writeFileSync(log, ONE_LINE);
  const pair = await measurePair(ctx, SCENARIO, tools.ours(progs, [log]), tools.mtail?.(progs, [log]));
  const absent = tools.mtail ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: 'start to exit, 1 line', unit: 'seconds', better: 'lower', ours: pair.ours.seconds, mtail: pair.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: 'peak RSS, 1 line', unit: 'bytes', better: 'lower', ours: pair.ours.peakRssBytes, mtail: pair.mtail?.peakRssBytes, mtailNote: absent },
  ];
  const title = `${SCENARIO}: all programs/*.mtail, a one-line log, one-shot (whole process life: start, compile, first line, print, exit); median of ${ctx.runs}`;
  process.stdout.write(formatFigures(title, figures));
  return figures;
}
