// Typed reads from a parsed YAML document whose errors carry `file:line:col`: the web config
// (export/) and logmetrics.yml (config/) both read their files through it. The bottom floor:
// it imports nothing of ours.

import { createRequire as requireFrom } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';

// The yaml package costs about 50 ms to load, a sixth of a one-shot run's start-up, and
// most runs read no YAML at all (no --config, no web config): it is loaded on first use.
type YamlLibrary = typeof import('yaml');
let library: YamlLibrary | undefined;
const yaml = (): YamlLibrary => (library ??= requireFrom(import.meta.url)('yaml') as YamlLibrary);
const isMap = ((node: unknown) => yaml().isMap(node)) as YamlLibrary['isMap'];
const isScalar = ((node: unknown) => yaml().isScalar(node)) as YamlLibrary['isScalar'];
const isSeq = ((node: unknown) => yaml().isSeq(node)) as YamlLibrary['isSeq'];

/** A YAML file that cannot be used; the message starts with `file:line:col:` or `file:`. */
export class YamlError extends Error {
  override name = 'YamlError';
}

/** A map field: its key node (for error positions) and its value node (null when empty). */
export interface Field {
  key: Node;
  value: Node | null;
}

/** How a reader's errors are made: the web config throws its own class. */
export type ErrorFactory = (message: string) => Error;

/**
 * Parses `text` (the contents of `file`) into a document and a reader of it; a syntax error
 * (duplicate keys included) throws at its position. `version` '1.1' reads `yes` as a boolean,
 * as Go's YAML decoder does; our own files use YAML 1.2.
 */
export function parseYaml(text: string, file: string, opts: { version?: '1.1' | '1.2'; error?: ErrorFactory } = {}): { doc: Document; reader: YamlReader } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: opts.version ?? '1.2', uniqueKeys: true, prettyErrors: true });
  const reader = new YamlReader(file, lineCounter, opts.error);
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const pos = firstError.linePos?.[0];
    const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
    // The message repeats the position and quotes the source; the first line is what matters.
    throw reader.error(`${where}: not valid YAML: ${firstError.message.split(' at line ')[0]}`);
  }
  return { doc, reader };
}

/** Typed reads from the parsed YAML, failing with `file:line:col: message`. */
export class YamlReader {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly makeError: ErrorFactory = (m) => new YamlError(m),
  ) {}

  /** An error of this reader's class with `message` (which should start with a position). */
  error(message: string): Error {
    return this.makeError(message);
  }

  /** `file:line:col` of `node`, or just the file when the node has no position. */
  where(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    if (offset === undefined) return this.file;
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  fail(node: Node | null | undefined, message: string): never {
    throw this.makeError(`${this.where(node)}: ${message}`);
  }

  /** The fields of a mapping (null/empty counts as no fields); `allowed` undefined means any name. */
  fields(node: Node | null, what: string, allowed: readonly string[] | undefined): Map<string, Field> {
    const out = new Map<string, Field>();
    if (node === null || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    for (const pair of node.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? scalarText(key) : undefined;
      if (name === undefined) this.fail(key, `${what}: field names must be plain strings`);
      if (allowed !== undefined && !allowed.includes(name)) {
        const near = didYouMean(name, allowed);
        this.fail(key, `${what}: unknown field "${name}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${allowed.join(', ')})`);
      }
      out.set(name, { key, value: (pair.value as Node | null) ?? null });
    }
    return out;
  }

  /** A string scalar, or undefined when the value is empty. */
  string(node: Node | null, what: string): string | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(node, `${what} must be a string`);
    return node.value;
  }

  /** A boolean scalar, or undefined when the value is empty. */
  bool(node: Node | null, what: string): boolean | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, `${what} must be true or false`);
    return node.value;
  }

  /** A string, number or boolean scalar as written (`0750` stays "0750"), or undefined when the value is empty. */
  text(node: Node | null, what: string): string | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isScalar(node) || typeof node.value === 'object') this.fail(node, `${what} must be a single value, not ${isSeq(node) ? 'a list' : 'a mapping'}`);
    if (typeof node.value === 'string') return node.value;
    return typeof node.source === 'string' ? node.source : String(node.value);
  }

  /** A list of strings, or undefined when the value is empty. */
  strings(node: Node | null, what: string): { text: string; node: Node }[] | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node.items.map((item) => ({ text: this.string(item as Node, `${what} entry`) ?? '', node: item as Node }));
  }

  /** The entries of a sequence. */
  list(node: Node | null, what: string): Node[] {
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node.items as Node[];
  }

  /** A list of scalars, or one scalar as a list of one; undefined when the value is empty. */
  texts(node: Node | null, what: string): { text: string; node: Node }[] | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isSeq(node)) return [{ text: this.text(node, what)!, node }];
    return node.items.map((item) => {
      const text = this.text(item as Node, `${what} entry`);
      if (text === undefined) this.fail(item as Node, `${what}: empty entry`);
      return { text, node: item as Node };
    });
  }
}

/** The known name closest to `name` when it is a plausible typo (edit distance at most a third of its length, at least 2) or the only one it begins. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  // A name cut short (`web.config` for `web.config.file`).
  const longer = name.length >= 4 ? known.filter((k) => k.startsWith(name)) : [];
  if (longer.length === 1) return longer[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]![j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** A mapping key as written: YAML 1.1 would read a user called `yes` or `123` as a boolean or number. */
function scalarText(key: Node): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return typeof key.source === 'string' ? key.source : undefined;
}
