// A small reader for the Prometheus text exposition format (0.0.4), for tests
// that compare the numbers two exporters print rather than their exact text:
// mtail prints 1.234567e+06 where another writer prints 1234567, and the
// order of samples and labels is not significant.

/** One sample line: metric name, label pairs and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples that differ between two expositions, keyed by sampleKey(). */
export interface SampleDiff {
  /** In `expected` but not in `actual`. */
  missing: Sample[];
  /** In `actual` but not in `expected`. */
  unexpected: Sample[];
  /** In both, with different values. */
  changed: Array<{ key: string; actual: number; expected: number }>;
}

/** Thrown for a line that is neither a comment, blank nor a valid sample. */
export class ExpositionSyntaxError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly line: string,
    reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}: ${JSON.stringify(line)}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/** Parses a text exposition into samples; HELP, TYPE, other comments and blank lines are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    samples.push(parseSampleLine(line, i + 1));
  }
  return samples;
}

/** Parses one `name{label="value",...} value [timestamp]` line. */
export function parseSampleLine(line: string, lineNumber = 1): Sample {
  const fail = (reason: string): never => {
    throw new ExpositionSyntaxError(lineNumber, line, reason);
  };
  let pos = 0;
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  const nameStart = pos;
  if (!NAME_START.test(line[pos] ?? '')) fail('expected a metric name');
  while (pos < line.length && NAME_CHAR.test(line[pos])) pos++;
  const name = line.slice(nameStart, pos);

  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      while (line[pos] === ' ') pos++;
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelStart = pos;
      if (!LABEL_START.test(line[pos] ?? '')) fail('expected a label name');
      while (pos < line.length && LABEL_CHAR.test(line[pos])) pos++;
      const label = line.slice(labelStart, pos);
      while (line[pos] === ' ') pos++;
      if (line[pos] !== '=') fail(`expected "=" after label ${label}`);
      pos++;
      while (line[pos] === ' ') pos++;
      if (line[pos] !== '"') fail(`expected a quoted value for label ${label}`);
      pos++;
      let value = '';
      for (;;) {
        if (pos >= line.length) fail(`unterminated value for label ${label}`);
        const c = line[pos++];
        if (c === '"') break;
        if (c !== '\\') {
          value += c;
          continue;
        }
        const e = line[pos++];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else fail(`bad escape \\${e ?? ''} in label ${label}`);
      }
      if (label in labels) fail(`label ${label} repeated`);
      labels[label] = value;
      while (line[pos] === ' ') pos++;
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected "," or "}" after a label value');
    }
  }
  const rest = line.slice(pos).trim().split(/[ \t]+/);
  if (pos < line.length && line[pos] !== ' ' && line[pos] !== '\t') fail('expected a space before the value');
  if (rest.length < 1 || rest[0] === '' || rest.length > 2) fail('expected a value and an optional timestamp');
  const value = parseValue(rest[0]);
  if (value === undefined) fail(`bad value ${rest[0]}`);
  if (rest.length === 2 && !/^-?\d+$/.test(rest[1])) fail(`bad timestamp ${rest[1]}`);
  return { name, labels, value: value as number };
}

/** Parses a sample value as Go's and the Prometheus parsers do: floats, +Inf, -Inf, NaN. */
export function parseValue(text: string): number | undefined {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
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
