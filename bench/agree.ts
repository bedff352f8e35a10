// A guard for the figures: both tools must have counted the same things, or a fast time
// could just mean a program that matched nothing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { measure, type Command } from './measure.js';

/** Samples of a Prometheus text exposition, keyed by name and sorted labels. */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = [...(m[2] ?? '').matchAll(/([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}=${JSON.stringify(l[2])}`).sort();
    samples.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]));
  }
  return samples;
}

/** Differences between two sample sets, at most `max` described. */
export function sampleDifferences(ours: Map<string, number>, theirs: Map<string, number>, max = 5): string[] {
  const diffs: string[] = [];
  for (const [k, v] of ours) {
    const w = theirs.get(k);
    if (w === undefined) diffs.push(`only logmetrics: ${k} ${v}`);
    else if (w !== v) diffs.push(`${k}: logmetrics ${v}, mtail ${w}`);
  }
  for (const [k, w] of theirs) if (!ours.has(k)) diffs.push(`only mtail: ${k} ${w}`);
  return diffs.slice(0, max).concat(diffs.length > max ? [`… and ${diffs.length - max} more`] : []);
}

/**
 * Runs both commands once, keeps their outputs, and says whether the samples agree
 * (a line for the report), or null when mtail is absent.
 */
export async function checkAgreement(ctx: BenchContext, ours: Command, mtail: Command | undefined): Promise<string | null> {
  if (!mtail) return null;
  const dir = mkdtempSync(join(ctx.tmp, 'agree-'));
  try {
    const a = join(dir, 'ours.prom');
    const b = join(dir, 'mtail.prom');
    await measure({ ...ours, stdout: a }, ctx.rss, ctx.tmp);
    await measure({ ...mtail, stdout: b }, ctx.rss, ctx.tmp);
    const sa = parseSamples(readFileSync(a, 'utf8'));
    const sb = parseSamples(readFileSync(b, 'utf8'));
    const diffs = sampleDifferences(sa, sb);
    if (diffs.length === 0) return `outputs agree: ${sa.size} samples identical in both tools`;
    return `WARNING: outputs differ (${sa.size} samples ours, ${sb.size} mtail):\n  ${diffs.join('\n  ')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
