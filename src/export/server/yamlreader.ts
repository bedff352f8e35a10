// Typed reads from a parsed YAML document whose errors carry `file:line:col`,
// for the web config and its TLS section.

import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A web config file that cannot be used; the message starts with `file:line:col:` or `file:`. */
export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

/** A map field: its key node (for error positions) and its value node (null when empty). */
export interface Field {
  key: Node;
  value: Node | null;
}

/** Typed reads from the parsed YAML, failing with `file:line:col: message`. */
export class YamlReader {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** `file:line:col` of `node`, or just the file when the node has no position. */
  where(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    if (offset === undefined) return this.file;
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new WebConfigError(`${this.where(node)}: ${message}`);
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
        this.fail(key, `${what}: unknown field "${name}" (known: ${allowed.join(', ')})`);
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

  /** A list of strings, or undefined when the value is empty. */
  strings(node: Node | null, what: string): { text: string; node: Node }[] | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node.items.map((item) => ({ text: this.string(item as Node, `${what} entry`) ?? '', node: item as Node }));
  }
}

/** A mapping key as written: YAML 1.1 would read a user called `yes` or `123` as a boolean or number. */
function scalarText(key: Node): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return typeof key.source === 'string' ? key.source : undefined;
}
