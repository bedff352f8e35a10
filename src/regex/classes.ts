// What each RE2 class, literal and dot matches, as a set of code points.
// RE2's Perl and POSIX classes are ASCII-only; under (?i) every positive item
// is case-folded first and negated items are complemented after folding
// (RE2 parse.cc AddUGroup), so (?i)\W does not match U+212A KELVIN SIGN.

import type { ClassItem, Node } from './ast.js';
import {
  ALL_CODE_POINTS, type CodeSet, complement, foldAscii, isAscii, setOf, setOfChars, union,
} from './codeset.js';
import type { SetOracle } from './re2-sets.js';

const DIGIT: CodeSet = [[0x30, 0x39]];
const UPPER: CodeSet = [[0x41, 0x5a]];
const LOWER: CodeSet = [[0x61, 0x7a]];
const ALPHA = union(UPPER, LOWER);
const ALNUM = union(DIGIT, ALPHA);
const WORD = union(ALNUM, setOfChars([0x5f]));

/** RE2's Perl classes: \s is [\t\n\f\r ] (no \v), unlike V8's Unicode \s. */
export const PERL_SETS: Record<'d' | 's' | 'w', CodeSet> = {
  d: DIGIT,
  s: setOfChars([0x09, 0x0a, 0x0c, 0x0d, 0x20]),
  w: WORD,
};

/** RE2's POSIX classes (ASCII only); [:space:] includes \v. */
export const POSIX_SETS: Record<string, CodeSet> = {
  alnum: ALNUM,
  alpha: ALPHA,
  ascii: [[0x00, 0x7f]],
  blank: setOfChars([0x09, 0x20]),
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: LOWER,
  print: [[0x20, 0x7e]],
  punct: setOf([[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]),
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: UPPER,
  word: WORD,
  xdigit: setOf([[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]]),
};

const NO_NEWLINE = complement(setOfChars([0x0a]));

function hex(cp: number): string {
  return cp.toString(16).toUpperCase();
}

/** Case-folds a set of code points the way RE2 does under (?i); null if re2 cannot say. */
function fold(set: CodeSet, oracle: SetOracle): CodeSet | null {
  if (isAscii(set)) return foldAscii(set);
  const ranges = set.map(([lo, hi]) => (lo === hi ? `\\x{${hex(lo)}}` : `\\x{${hex(lo)}}-\\x{${hex(hi)}}`));
  return oracle(`(?i:[${ranges.join('')}])`);
}

function itemSet(item: ClassItem, foldCase: boolean, oracle: SetOracle): CodeSet | null {
  let base: CodeSet | null;
  switch (item.kind) {
    case 'range':
      base = [[item.lo, item.hi]];
      break;
    case 'perl':
      base = PERL_SETS[item.name];
      break;
    case 'posix':
      base = POSIX_SETS[item.name] ?? null;
      break;
    case 'unicode': {
      const name = item.name.length === 1 ? item.name : `{${item.name}}`;
      base = oracle(foldCase ? `(?i:\\p${name})` : `\\p${name}`);
      if (base === null) return null;
      return item.negated ? complement(base) : base;
    }
  }
  if (base === null) return null;
  const folded = foldCase ? fold(base, oracle) : base;
  if (folded === null) return null;
  return item.kind !== 'range' && item.negated ? complement(folded) : folded;
}

/** The code points one class, literal or dot node matches; null when it is not such a node or re2 cannot say. */
export function nodeSet(node: Node, oracle: SetOracle): CodeSet | null {
  switch (node.kind) {
    case 'literal':
      return node.fold ? fold([[node.cp, node.cp]], oracle) : [[node.cp, node.cp]];
    case 'dot':
      return node.dotNL ? ALL_CODE_POINTS : NO_NEWLINE;
    case 'class': {
      const sets: CodeSet[] = [];
      for (const item of node.items) {
        const s = itemSet(item, node.fold, oracle);
        if (s === null) return null;
        sets.push(s);
      }
      const members = union(...sets);
      return node.negated ? complement(members) : members;
    }
    default:
      return null;
  }
}
