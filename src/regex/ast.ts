// The parse tree of an RE2 pattern, with inline flags already applied to each
// node (fold, dot-matches-newline, multi-line anchors, greediness), so later
// stages never track flag scopes.

/** A member of a character class, before case folding is applied. */
export type ClassItem =
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'perl'; name: 'd' | 's' | 'w'; negated: boolean }
  | { kind: 'posix'; name: string; negated: boolean }
  | { kind: 'unicode'; name: string; negated: boolean };

export type Assertion =
  | 'beginText' // ^ without (?m), \A
  | 'endText' // $ without (?m), \z
  | 'beginLine' // ^ with (?m)
  | 'endLine' // $ with (?m)
  | 'wordBoundary' // \b
  | 'notWordBoundary'; // \B

export type Node =
  | { kind: 'empty' }
  | { kind: 'literal'; cp: number; fold: boolean }
  | { kind: 'class'; items: ClassItem[]; negated: boolean; fold: boolean }
  | { kind: 'dot'; dotNL: boolean }
  | { kind: 'anyByte' } // \C
  | { kind: 'assert'; assertion: Assertion }
  | { kind: 'capture'; index: number; name?: string; body: Node }
  | { kind: 'concat'; items: Node[] }
  | { kind: 'alternate'; items: Node[] }
  | { kind: 'repeat'; min: number; max: number; greedy: boolean; body: Node }; // max -1 = unbounded

/** A parsed pattern and its capture groups (index 0 is the whole match). */
export interface ParsedPattern {
  root: Node;
  groupCount: number;
  groupNames: (string | undefined)[];
}

/** Whether the node can match the empty string. */
export function isNullable(node: Node): boolean {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return true;
    case 'literal':
    case 'class':
    case 'dot':
    case 'anyByte':
      return false;
    case 'capture':
      return isNullable(node.body);
    case 'concat':
      return node.items.every(isNullable);
    case 'alternate':
      return node.items.some(isNullable);
    case 'repeat':
      return node.min === 0 || isNullable(node.body);
  }
}

/**
 * The tree with every capture whose index is not in `keep` turned into its bare body. Groups
 * affect no match, only what a match reports, so the tree matches exactly the same text.
 */
export function dropCaptures(node: Node, keep: ReadonlySet<number>): Node {
  switch (node.kind) {
    case 'capture': {
      const body = dropCaptures(node.body, keep);
      return keep.has(node.index) ? { ...node, body } : body;
    }
    case 'repeat':
      return { ...node, body: dropCaptures(node.body, keep) };
    case 'concat':
    case 'alternate':
      return { ...node, items: node.items.map((item) => dropCaptures(item, keep)) };
    default:
      return node;
  }
}

/** Calls visit on the node and every node below it. */
export function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  switch (node.kind) {
    case 'capture':
    case 'repeat':
      walk(node.body, visit);
      break;
    case 'concat':
    case 'alternate':
      for (const item of node.items) walk(item, visit);
      break;
    default:
      break;
  }
}
