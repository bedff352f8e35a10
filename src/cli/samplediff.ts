// Order-independent comparison of two sets of exposition samples, and its
// rendering for people: what `logmetrics test` prints when a program's output
// differs from the expected file.

import { formatGoFloat } from '../go/strconv.js';
import { formatValue } from '../export/textformat.js';
import type { Sample } from '../export/textparse.js';

/** A sample identity: the name and its labels, printed in canonical form. */
export interface KeyedSample {
  key: string;
  value: number;
}

/** What differs between the samples a program produced and the expected ones. */
export interface SampleDiff {
  /** Expected but not produced. */
  missing: KeyedSample[];
  /** Produced but not expected. */
  unexpected: KeyedSample[];
  /** In both, with different values. */
  changed: Array<{ key: string; expected: number; actual: number }>;
  /** Expected samples that matched. */
  matched: number;
}

/**
 * The canonical identity of a sample: labels sorted by name; a label with an
 * empty value left out, since Prometheus treats `host=""` as no label at all;
 * `le` and `quantile` values spelt as numbers, so a hand-written `le="1.0"`
 * names the same bucket as `le="1"`.
 */
export function sampleKey(s: Pick<Sample, 'name' | 'labels'>): string {
  const pairs: string[] = [];
  for (const k of Object.keys(s.labels).sort()) {
    let v = s.labels[k]!;
    if (v === '') continue;
    if (k === 'le' || k === 'quantile') v = canonicalNumber(v);
    pairs.push(`${k}="${v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c))}"`);
  }
  return pairs.length === 0 ? s.name : `${s.name}{${pairs.join(',')}}`;
}

function canonicalNumber(v: string): string {
  const n = v === '+Inf' || v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
  return v.trim() === '' || Number.isNaN(n) ? v : formatGoFloat(n);
}

/**
 * True when two sample values are the same number. NaN equals NaN. Finite values
 * may differ by a relative 1e-12, so a sum written by hand as 0.3 matches the
 * 0.30000000000000004 that adding 0.1 and 0.2 gives.
 */
export function sameValue(a: number, b: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** Samples whose canonical key appears more than once (a mistake in an expected file). */
export function duplicateSamples(samples: readonly Sample[]): Sample[] {
  const seen = new Set<string>();
  return samples.filter((s) => {
    const key = sampleKey(s);
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

/** Compares produced samples with expected ones by canonical key and value. */
export function diffSamples(actual: readonly Sample[], expected: readonly Sample[]): SampleDiff {
  const got = new Map(actual.map((s) => [sampleKey(s), s.value]));
  const want = new Map(expected.map((s) => [sampleKey(s), s.value]));
  const diff: SampleDiff = { missing: [], unexpected: [], changed: [], matched: 0 };
  for (const [key, value] of want) {
    const a = got.get(key);
    if (a === undefined) diff.missing.push({ key, value });
    else if (sameValue(a, value)) diff.matched++;
    else diff.changed.push({ key, expected: value, actual: a });
  }
  for (const [key, value] of got) if (!want.has(key)) diff.unexpected.push({ key, value });
  const byKey = (x: { key: string }, y: { key: string }): number => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  diff.missing.sort(byKey);
  diff.unexpected.sort(byKey);
  diff.changed.sort(byKey);
  return diff;
}

/** True when nothing differs. */
export function isEmptyDiff(d: SampleDiff): boolean {
  return d.missing.length === 0 && d.unexpected.length === 0 && d.changed.length === 0;
}

/** ANSI styling, or none: colours only help on a terminal. */
export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string): string => s;

/** ANSI colours when `color` is true, plain text otherwise. */
export function paint(color: boolean): Paint {
  return color
    ? { red: ansi(31), green: ansi(32), yellow: ansi(33), bold: ansi(1), dim: ansi(2) }
    : { red: plain, green: plain, yellow: plain, bold: plain, dim: plain };
}

/** Lines shown per section; the rest is counted, so a wholly wrong program does not flood the terminal. */
const MAX_LINES_PER_SECTION = 50;

/** The diff as indented lines: missing (-), unexpected (+), changed (~), then a count line. */
export function formatDiff(d: SampleDiff, p: Paint, indent = '  '): string {
  const out: string[] = [];
  const section = <T>(title: string, items: T[], line: (item: T) => string): void => {
    if (items.length === 0) return;
    out.push(indent + p.bold(title));
    for (const item of items.slice(0, MAX_LINES_PER_SECTION)) out.push(indent + '  ' + line(item));
    if (items.length > MAX_LINES_PER_SECTION) out.push(indent + p.dim(`  … and ${items.length - MAX_LINES_PER_SECTION} more`));
  };
  section('missing (expected, not produced):', d.missing, (s) => p.red(`- ${s.key} ${formatValue(s.value)}`));
  section('unexpected (produced, not expected):', d.unexpected, (s) => p.green(`+ ${s.key} ${formatValue(s.value)}`));
  section('changed (expected → produced):', d.changed, (c) =>
    p.yellow(`~ ${c.key} ${formatValue(c.expected)} → ${formatValue(c.actual)}`),
  );
  const total = d.matched + d.missing.length + d.changed.length;
  out.push(
    indent +
      `${d.missing.length} missing, ${d.unexpected.length} unexpected, ${d.changed.length} changed; ` +
      `${d.matched} of ${total} expected samples match`,
  );
  return out.join('\n');
}
