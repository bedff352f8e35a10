// A reader for the Prometheus text exposition format (0.0.4; OpenMetrics'
// `# EOF` and sample lines read too), for `logmetrics test`: expected files
// are compared sample by sample, so only names, labels and values matter.
// HELP, TYPE and other comments are skipped; timestamps are read and dropped.

/** One sample line: metric name, label pairs and value, and where it was written. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** 1-based line number in the text it was read from. */
  line: number;
}

/** A line that is neither blank, a comment nor a valid sample. */
export class ExpositionSyntaxError extends Error {
  override name = 'ExpositionSyntaxError';
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
    readonly text: string,
  ) {
    super(`line ${lineNumber}: ${reason}: ${JSON.stringify(text.length > 120 ? text.slice(0, 120) + '…' : text)}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/** Parses a text exposition into its samples; throws ExpositionSyntaxError at the first bad line. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    samples.push(parseSampleLine(line, i + 1));
  }
  return samples;
}

/** Parses one `name{label="value",...} value [timestamp]` line. */
export function parseSampleLine(line: string, lineNumber = 1): Sample {
  const fail = (reason: string): never => {
    throw new ExpositionSyntaxError(lineNumber, reason, line);
  };
  let pos = 0;
  const skipSpaces = (): void => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  };
  skipSpaces();
  const nameStart = pos;
  if (!NAME_START.test(line[pos] ?? '')) fail('expected a metric name');
  while (pos < line.length && NAME_CHAR.test(line[pos]!)) pos++;
  const name = line.slice(nameStart, pos);

  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      skipSpaces();
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelStart = pos;
      if (!LABEL_START.test(line[pos] ?? '')) fail('expected a label name or "}"');
      while (pos < line.length && LABEL_CHAR.test(line[pos]!)) pos++;
      const label = line.slice(labelStart, pos);
      skipSpaces();
      if (line[pos] !== '=') fail(`expected "=" after label ${label}`);
      pos++;
      skipSpaces();
      if (line[pos] !== '"') fail(`expected a quoted value for label ${label}`);
      pos++;
      let value = '';
      for (;;) {
        if (pos >= line.length) fail(`unterminated value of label ${label}`);
        const c = line[pos++]!;
        if (c === '"') break;
        if (c !== '\\') {
          value += c;
          continue;
        }
        const e = line[pos++];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else fail(`bad escape \\${e ?? ''} in the value of label ${label}`);
      }
      if (Object.prototype.hasOwnProperty.call(labels, label)) fail(`label ${label} given twice`);
      labels[label] = value;
      skipSpaces();
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected "," or "}" after a label value');
    }
  }
  if (pos < line.length && line[pos] !== ' ' && line[pos] !== '\t') fail('expected a space before the value');
  const fields = line.slice(pos).trim().split(/[ \t]+/);
  if (fields[0] === '' || fields.length > 2) fail('expected a value and an optional timestamp');
  const value = parseValue(fields[0]!);
  if (value === undefined) fail(`bad value ${fields[0]}`);
  if (fields.length === 2 && parseValue(fields[1]!) === undefined) fail(`bad timestamp ${fields[1]}`);
  return { name, labels, value: value!, line: lineNumber };
}

/** Parses a sample value as the Prometheus parsers do: decimal or exponent floats, ±Inf, NaN. */
export function parseValue(text: string): number | undefined {
  switch (text.toLowerCase()) {
    case '+inf':
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
      return NaN;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
