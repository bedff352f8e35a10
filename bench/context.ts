// What every scenario is given: settings, the tools, a temp dir, the shared access log.

import type { GeneratedLog } from './loggen.js';
import { type Command, type Measurement, measure, median, type RssMethod } from './measure.js';
import type { Tools } from './tools.js';

export interface BenchContext {
  /** Runs per figure; each figure is the median. */
  runs: number;
  /** Lines of the access log (BENCH_LINES). */
  lines: number;
  /** BENCH_FULL=1: also run mtail where it is skipped by default to save time. */
  full: boolean;
  rss: RssMethod;
  tools: Tools;
  /** A private temp dir, removed when the benchmark ends. */
  tmp: string;
  accessLog: GeneratedLog;
  /** The first lines of the access log (same seed), on which the tools' outputs are compared. */
  sampleLog: GeneratedLog;
  /** A progress note on stderr. */
  progress(message: string): void;
}

/** Median wall time and peak RSS of each tool over the same input. */
export interface Pair {
  ours: Measurement;
  mtail?: Measurement;
}

/**
 * Runs our command and mtail's `ctx.runs` times each, alternating between them so that
 * load from other processes on the machine falls on both alike; returns the medians.
 */
export async function measurePair(ctx: BenchContext, label: string, ours: Command, mtail: Command | undefined): Promise<Pair> {
  const o: Measurement[] = [];
  const m: Measurement[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    ctx.progress(`${label}: logmetrics run ${i + 1}/${ctx.runs}`);
    o.push(await measure(ours, ctx.rss, ctx.tmp));
    if (mtail) {
      ctx.progress(`${label}: mtail run ${i + 1}/${ctx.runs}`);
      m.push(await measure(mtail, ctx.rss, ctx.tmp));
    }
  }
  return { ours: medianOf(o), mtail: mtail ? medianOf(m) : undefined };
}

function medianOf(ms: Measurement[]): Measurement {
  return { seconds: median(ms.map((x) => x.seconds)), peakRssBytes: median(ms.map((x) => x.peakRssBytes)) };
}

/** Why a figure has no mtail value when mtail is not installed. */
export const MTAIL_ABSENT = 'not installed';
