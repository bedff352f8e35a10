// When RE2 need not be asked. Our parser (parse.ts) follows RE2's syntax rules and agrees
// with RE2 on what is valid (test/regex/fuzz.test.ts), except for what it does not check:
// Unicode class names, capture group names and their uniqueness, the product of nested
// repetition counts (at most 1,000), the size of the compiled program (`\pL{1000}` alone is
// too large) and nesting. A pattern that steers clear of all of these, as log patterns do,
// is valid exactly when our parser accepts it, so the compiler skips RE2 for it (building an
// RE2 object costs about 10 µs: a tenth of a second for a program of 10,000 patterns).
// test/regex/certain.test.ts holds RE2 to every verdict given here.

import type { Node, ParsedPattern } from './ast.js';
import { PERL_SETS, POSIX_SETS } from './classes.js';

/** Far below what RE2 compiles (more than 500,000 instructions): each estimate below is an upper bound. */
const MAX_ESTIMATED_INSTRUCTIONS = 20_000;
const MAX_NESTING = 100;
/** RE2's kMaxRepeat: the product of nested repetition counts. */
const MAX_REPEAT_PRODUCT = 1000;
const PLAIN_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Whether RE2 certainly accepts the pattern that parsed into tree: no Unicode class, plain and
 * distinct group names, nested repetition counts within RE2's bound, a small program, shallow
 * nesting, no surrogate in the text.
 */
export function re2Certain(pattern: string, tree: ParsedPattern): boolean {
  if (/[\uD800-\uDFFF]/.test(pattern)) return false;
  const names = new Set<string>();
  for (const name of tree.groupNames) {
    if (name === undefined) continue;
    if (!PLAIN_NAME.test(name) || names.has(name)) return false;
    names.add(name);
  }
  return estimate(tree.root, 1, 0) <= MAX_ESTIMATED_INSTRUCTIONS;
}

/** An upper bound on the RE2 instructions of node; Infinity where there is no certainty. */
function estimate(node: Node, product: number, depth: number): number {
  if (depth > MAX_NESTING) return Infinity;
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return 1;
    case 'literal':
      // A UTF-8 sequence of up to 4 bytes; folded, a few such sequences.
      return node.fold ? 16 : 4;
    case 'dot':
      return 32;
    case 'anyByte':
      return Infinity;
    case 'class': {
      let ranges = 0;
      for (const item of node.items) {
        switch (item.kind) {
          case 'range':
            // Beyond ASCII a range splits into UTF-8 pieces; folded, into many more.
            if (item.hi >= 0x80) {
              if (node.fold) return Infinity;
              ranges += 16;
            } else ranges += 1;
            break;
          case 'perl':
            ranges += PERL_SETS[item.name].length;
            break;
          case 'posix':
            ranges += POSIX_SETS[item.name]!.length;
            break;
          case 'unicode':
            return Infinity;
        }
      }
      // Negation adds the ranges between and the multi-byte tail.
      return 16 * (ranges + 2) * (node.fold ? 2 : 1) + 32;
    }
    case 'capture':
      return estimate(node.body, product, depth + 1) + 2;
    case 'concat':
    case 'alternate': {
      let sum = node.items.length;
      for (const item of node.items) sum += estimate(item, product, depth + 1);
      return sum;
    }
    case 'repeat': {
      // RE2's count of a repetition: its maximum, or its minimum when unbounded (`*` and `+` count 0 and 1).
      const count = node.max >= 0 ? node.max : node.min;
      const nested = count > 0 ? product * count : product;
      if (nested > MAX_REPEAT_PRODUCT) return Infinity;
      return estimate(node.body, nested, depth + 1) * (Math.max(node.min, node.max, 1) + 1) + 2;
    }
  }
}
