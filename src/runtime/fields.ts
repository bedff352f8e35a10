// Fields of structured lines for the json() and logfmt() builtins, a
// logmetrics extension to the mtail language. Each reader parses a line at
// most once: the parse of the most recent line is kept, so several calls on
// one line (conditions, labels, values) cost one parse. A line that is not
// JSON, or a field that is absent, reads as "" — never a run-time error.

/** The value of a field as a string: strings as they are, numbers and booleans as JSON writes them, objects as JSON, null as "". */
function asString(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export class JsonFields {
  private line: string | undefined;
  private value: unknown;
  private readonly paths = new Map<string, string[]>();

  /** The field at a dotted path ("a.b.0.c": object keys, array indices) of a JSON line. */
  get(line: string, path: string): string {
    if (line !== this.line) {
      this.line = line;
      this.value = undefined;
      // Only an object or an array can hold fields; skip the parse of anything else.
      const first = line.trimStart()[0];
      if (first === '{' || first === '[') {
        try {
          this.value = JSON.parse(line);
        } catch {
          this.value = undefined;
        }
      }
    }
    let keys = this.paths.get(path);
    if (!keys) {
      keys = path === '' ? [] : path.split('.');
      if (this.paths.size < 1024) this.paths.set(path, keys);
    }
    let v = this.value;
    for (const k of keys) {
      if (v === null || typeof v !== 'object') return '';
      v = Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    }
    return asString(v);
  }
}

/**
 * logfmt lines: `key=value` pairs separated by blanks; a value may be
 * double-quoted with \" \\ \n \t \r escapes; a key without "=" has the value "".
 * The first occurrence of a key wins.
 */
export class LogfmtFields {
  private line: string | undefined;
  private fields = new Map<string, string>();

  get(line: string, key: string): string {
    if (line !== this.line) {
      this.line = line;
      this.fields = parseLogfmt(line);
    }
    return this.fields.get(key) ?? '';
  }
}

export function parseLogfmt(line: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    const keyStart = i;
    while (i < n && line.charCodeAt(i) > 32 && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    let value = '';
    if (line[i] === '=') {
      i++;
      if (line[i] === '"') {
        i++;
        let v = '';
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n) {
            const e = line[++i]!;
            v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          } else v += line[i];
          i++;
        }
        i++;
        value = v;
      } else {
        const start = i;
        while (i < n && line.charCodeAt(i) > 32) i++;
        value = line.slice(start, i);
      }
    } else if (key === '') {
      // A stray quote or "=": skip one character and go on.
      i++;
      continue;
    }
    if (key !== '' && !out.has(key)) out.set(key, value);
  }
  return out;
}
