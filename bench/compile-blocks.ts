// Scenario 9: compile time of a program of 10,000 blocks (issue 11: it grew with the
// square of the number of blocks, 182 s for 10,000). The target: under a second, and
// linear. Three figures: the compile alone, in this process (CPU seconds, median of the runs), for
// 1,000 and 10,000 blocks and their ratio per block (1.0 is linear); and `logmetrics
// check` against `mtail --compile_only` on the 10,000-block program, whole processes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../src/lang/compile.js';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { type Figure, formatFigures } from './report.js';
import { REPO_ROOT } from './tools.js';

const SCENARIO = '9. compile 10,000 blocks';
const BLOCKS = 10_000;
const SMALL = 1_000;

/** A program of `n` blocks, each its own pattern and its own labelled increment, as generated programs look. */
export function manyBlocks(n: number): string {
  const out = ['counter requests_total by path, status'];
  for (let i = 0; i < n; i++) {
    out.push(`/^GET \\/page${i} HTTP\\/1\\.1" (?P<status>\\d{3}) / {\n  requests_total["/page${i}", $status]++\n}`);
  }
  return out.join('\n') + '\n';
}

/** One block of `n` updates of one metric: a block's statements must cost linear time too. */
export function oneBlock(n: number): string {
  return `counter requests_total by status\n/" (?P<status>\\d{3}) / {\n${'  requests_total[$status]++\n'.repeat(n)}}\n`;
}

function compileSeconds(text: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // CPU time of this thread: on a shared machine, wall time measures the neighbours too.
    const started = process.cpuUsage();
    const r = compile('blocks.mtail', text);
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1e6);
    if (r.generated === undefined) throw new Error(`the ${SCENARIO} program does not compile: ${r.diagnostics[0]?.message}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function compileBlocks(ctx: BenchContext): Promise<Figure[]> {
  const dir = join(ctx.tmp, 'blocks');
  mkdirSync(dir, { recursive: true });
  const text = manyBlocks(BLOCKS);
  const file = join(dir, 'blocks.mtail');
  writeFileSync(file, text);
  ctx.progress(`${SCENARIO}: compiling in process`);
  compileSeconds(manyBlocks(SMALL), 1); // warm the compiler up once
  const small = compileSeconds(manyBlocks(SMALL), ctx.runs);
  const large = compileSeconds(text, ctx.runs);
  const perBlockRatio = large / BLOCKS / (small / SMALL);
  const statements = compileSeconds(oneBlock(BLOCKS), ctx.runs);
  const ours = { file: `${REPO_ROOT}bin/logmetrics.js`, args: ['check', file], env: { ...process.env, TZ: 'UTC' } };
  const mtail = ctx.tools.mtail && { file: 'mtail', args: ['--compile_only', '--progs', dir, '--logtostderr', '--address', '127.0.0.1', '--port', '0'], env: { ...process.env, TZ: 'UTC' } };
  const pair = await measurePair(ctx, SCENARIO, ours, mtail);
  const absent = ctx.tools.mtail ? undefined : MTAIL_ABSENT;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `compile ${SMALL.toLocaleString('en')} blocks, in process, CPU`, unit: 'seconds', better: 'lower', ours: small, mtailNote: 'whole process below' },
    { scenario: SCENARIO, what: `compile ${BLOCKS.toLocaleString('en')} blocks, in process, CPU (target < 1 s)`, unit: 'seconds', better: 'lower', ours: large, mtailNote: 'whole process below' },
    { scenario: SCENARIO, what: `time per block, ${BLOCKS.toLocaleString('en')} ÷ ${SMALL.toLocaleString('en')} blocks (1.0: linear)`, unit: 'ratio', better: 'lower', ours: perBlockRatio, mtailNote: 'not measured' },
    { scenario: SCENARIO, what: `compile one block of ${BLOCKS.toLocaleString('en')} statements, in process, CPU`, unit: 'seconds', better: 'lower', ours: statements, mtailNote: 'not measured' },
    { scenario: SCENARIO, what: `check / --compile_only, ${BLOCKS.toLocaleString('en')} blocks, start to exit`, unit: 'seconds', better: 'lower', ours: pair.ours.seconds, mtail: pair.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `peak RSS, ${BLOCKS.toLocaleString('en')} blocks`, unit: 'bytes', better: 'lower', ours: pair.ours.peakRssBytes, mtail: pair.mtail?.peakRssBytes, mtailNote: absent },
  ];
  const title = `${SCENARIO}: one program of ${BLOCKS.toLocaleString('en')} pattern blocks; compile in process (median of ${ctx.runs}), then logmetrics check and mtail --compile_only as processes`;
  process.stdout.write(formatFigures(title, figures));
  return figures;
}
