// Scenario 3: cardinality — memory per label set, and the cost of rendering many series.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARDINALITY_PROGRAM, type CardinalityResult } from './cardinality-child.js';
import { type BenchContext, MTAIL_ABSENT, measurePair } from './context.js';
import { writeIdLog } from './loggen.js';
import { median } from './measure.js';
import { type Figure, formatCount, formatFigures } from './report.js';

const SCENARIO = '3. cardinality';
const CHILD = fileURLToPath(new URL('./cardinality-child.js', import.meta.url));
const CHILD_TIMEOUT_MS = 5 * 60 * 1000;
/** The `limit` of the second program: haproxy.mtail's for Host values. */
const LIMIT = 10_000;

/** Runs the in-process measurement in a fresh `node --expose-gc`, so nothing else is on its heap. */
function runChild(series: number, renderSeries: number, runs: number): CardinalityResult {
  const r = spawnSync(process.execPath, ['--expose-gc', CHILD, String(series), String(renderSeries), String(runs)], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`cardinality child failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as CardinalityResult;
}

/**
 * In-process: heap bytes per series with `series` label sets, time to render `renderSeries`.
 * Through the CLIs, for mtail too: (peak RSS with `series` series − peak RSS with one) / series.
 */
export async function cardinality(ctx: BenchContext, series: number, renderSeries: number): Promise<Figure[]> {
  const { tools } = ctx;
  const heap: number[] = [];
  const rate: number[] = [];
  const render: number[] = [];
  let renderBytes = 0;
  for (let i = 0; i < ctx.runs; i++) {
    ctx.progress(`${SCENARIO}: in-process run ${i + 1}/${ctx.runs} (${series} series, render ${renderSeries})`);
    const r = runChild(series, renderSeries, ctx.runs);
    heap.push(r.heapBytesPerSeries);
    rate.push(r.seriesPerSecond);
    render.push(median(r.renderSeconds));
    renderBytes = r.renderBytes;
  }

  const dir = join(ctx.tmp, 'cardinality');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cardinality.mtail'), CARDINALITY_PROGRAM);
  const many = writeIdLog(join(ctx.tmp, 'ids.log'), series);
  const one = writeIdLog(join(ctx.tmp, 'id.log'), 1);
  const big = await measurePair(ctx, `${SCENARIO} (CLI, ${series} series)`, tools.ours(dir, [many.path]), tools.mtail?.(dir, [many.path]));
  const base = await measurePair(ctx, `${SCENARIO} (CLI, 1 series)`, tools.ours(dir, [one.path]), tools.mtail?.(dir, [one.path]));
  const perSeries = (b: number, a: number) => (b - a) / (series - 1);
  // The same lines through `limit`: beyond it every line drops the oldest series for a new one.
  const limitedDir = join(ctx.tmp, 'cardinality-limit');
  mkdirSync(limitedDir, { recursive: true });
  writeFileSync(join(limitedDir, 'cardinality.mtail'), CARDINALITY_PROGRAM.replace('by id', `by id limit ${LIMIT}`));
  const limited = await measurePair(ctx, `${SCENARIO} (CLI, limit ${LIMIT})`, tools.ours(limitedDir, [many.path]), tools.mtail?.(limitedDir, [many.path]));

  const absent = tools.mtail ? undefined : MTAIL_ABSENT;
  const inProcess = 'in-process only';
  const k = formatCount;
  const figures: Figure[] = [
    { scenario: SCENARIO, what: `heap per series, ${k(series)} series`, unit: 'bytes/series', better: 'lower', ours: median(heap), mtailNote: inProcess },
    { scenario: SCENARIO, what: `render /metrics, ${k(renderSeries)} series`, unit: 'seconds', better: 'lower', ours: median(render), mtailNote: inProcess },
    { scenario: SCENARIO, what: `RSS per series (CLI), ${k(series)} series`, unit: 'bytes/series', better: 'lower', ours: perSeries(big.ours.peakRssBytes, base.ours.peakRssBytes), mtail: big.mtail && base.mtail && perSeries(big.mtail.peakRssBytes, base.mtail.peakRssBytes), mtailNote: absent },
    { scenario: SCENARIO, what: `peak RSS (CLI), ${k(series)} series`, unit: 'bytes', better: 'lower', ours: big.ours.peakRssBytes, mtail: big.mtail?.peakRssBytes, mtailNote: absent },
    { scenario: SCENARIO, what: `wall time (CLI), ${k(series)} series`, unit: 'seconds', better: 'lower', ours: big.ours.seconds, mtail: big.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `wall time (CLI), ${k(series)} ids, limit ${k(LIMIT)}`, unit: 'seconds', better: 'lower', ours: limited.ours.seconds, mtail: limited.mtail?.seconds, mtailNote: absent },
    { scenario: SCENARIO, what: `peak RSS (CLI), ${k(series)} ids, limit ${k(LIMIT)}`, unit: 'bytes', better: 'lower', ours: limited.ours.peakRssBytes, mtail: limited.mtail?.peakRssBytes, mtailNote: absent },
  ];
  const title = `${SCENARIO}: one counter \`by id\`, one new label set per line; median of ${ctx.runs}`;
  const notes = [
    `heap per series = (heapUsed after the lines − heapUsed before) / series, each after two gc() calls, in a fresh node --expose-gc (store, label keys and datums; the program is compiled and loaded before the first reading)`,
    `series created in-process: ${(median(rate) / 1e3).toFixed(0)} k/s`,
    `render = renderPrometheus over ${k(renderSeries)} series into a writer that only counts (${(renderBytes / 1e6).toFixed(1)} MB of text), after one untimed warm-up render; median of ${ctx.runs} renders, median over runs`,
    `limit ${k(LIMIT)}: the same program declared \`limit ${LIMIT}\` over the same log, so each line beyond the limit drops the oldest series (mtail applies limits in its hourly collection, which a one-shot run never reaches: it keeps every series)`,
    `RSS per series (CLI) = (peak RSS over a ${k(series)}-line log − peak RSS over a 1-line log) / (series − 1), one-shot, exposition to /dev/null (so it includes what each tool holds while printing that many samples)`,
  ];
  process.stdout.write(formatFigures(title, figures) + notes.map((s) => `note: ${s}\n`).join(''));
  return figures;
}
