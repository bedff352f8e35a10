// A small reader for the Prometheus text exposition format (0.0.4), for tests
// that compare the numbers two exporters print rather than their exact text:
// mtail prints 1.234567e+06 where another writer prints 1234567, and the
// order of samples and labels is not significant.

import { type Sample as ParsedSample } from '../../src/export/textparse.js';

// The reader itself is the one `logmetrics test` uses (tested in test/differential/promtext.test.ts).
export { ExpositionSyntaxError, parseExposition, parseSampleLine, parseValue } from '../../src/export/textparse.js';

/** One sample line: metric name, label pairs and value. */
export type Sample = Pick<ParsedSample, 'name' | 'labels' | 'value'>;

/** Samples that differ between two expositions, keyed by sampleKey(). */
export interface SampleDiff {
  /** In `expected` but not in `actual`. */
  missing: Sample[];
  /** In `actual` but not in `expected`. */
  unexpected: Sample[];
  /** In both, with different values. */
  changed: Array<{ key: string; actual: number; expected: number }>;
}

/** A canonical identity for a sample: its name and its labels sorted by label name. */
export function sampleKey(s: Pick<Sample, 'name' | 'labels'>): string {
  const pairs = Object.keys(s.labels)
    .sort()
    .map((k) => `${k}="${escapeLabelValue(s.labels[k])}"`);
  return pairs.length === 0 ? s.name : `${s.name}{${pairs.join(',')}}`;
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Formats a value the way the diff shows it; NaN and infinities as in the exposition format. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** True when two sample values are the same number (NaN equals NaN). */
export function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Indexes samples by sampleKey(); a key seen twice is reported in `duplicates`. */
export function indexSamples(samples: Sample[]): { byKey: Map<string, Sample>; duplicates: string[] } {
  const byKey = new Map<string, Sample>();
  const duplicates: string[] = [];
  for (const s of samples) {
    const key = sampleKey(s);
    if (byKey.has(key)) duplicates.push(key);
    byKey.set(key, s);
  }
  return { byKey, duplicates };
}

/** Compares two sample sets by key and value. */
export function diffSamples(actual: Sample[], expected: Sample[]): SampleDiff {
  const a = indexSamples(actual).byKey;
  const e = indexSamples(expected).byKey;
  const diff: SampleDiff = { missing: [], unexpected: [], changed: [] };
  for (const [key, want] of e) {
    const got = a.get(key);
    if (got === undefined) diff.missing.push(want);
    else if (!sameValue(got.value, want.value)) diff.changed.push({ key, actual: got.value, expected: want.value });
  }
  for (const [key, got] of a) if (!e.has(key)) diff.unexpected.push(got);
  const byKey = (x: Sample, y: Sample): number => (sampleKey(x) < sampleKey(y) ? -1 : 1);
  diff.missing.sort(byKey);
  diff.unexpected.sort(byKey);
  diff.changed.sort((x, y) => (x.key < y.key ? -1 : 1));
  return diff;
}

/** True when the diff has nothing in it. */
export function isEmptyDiff(d: SampleDiff): boolean {
  return d.missing.length === 0 && d.unexpected.length === 0 && d.changed.length === 0;
}

/** Renders a diff as lines a person can read, naming the two sides. */
export function formatDiff(d: SampleDiff, actualName = 'actual', expectedName = 'expected'): string {
  const out: string[] = [];
  for (const s of d.missing) out.push(`- only in ${expectedName}: ${sampleKey(s)} ${formatValue(s.value)}`);
  for (const s of d.unexpected) out.push(`+ only in ${actualName}: ${sampleKey(s)} ${formatValue(s.value)}`);
  for (const c of d.changed) {
    out.push(`~ ${c.key}: ${actualName} ${formatValue(c.actual)}, ${expectedName} ${formatValue(c.expected)}`);
  }
  return out.join('\n');
}
