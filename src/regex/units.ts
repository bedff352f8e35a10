// Whole-unit repeats: a faster V8 form for `\S+`, `[^"]*` and `.*` in anchored patterns.
//
// The emitter writes each set so that it consumes whole code points, so `\S` becomes
// (?:[^\t\n\f\r \uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]): an alternation that V8 tries
// character by character, slowly, and more slowly still when it backtracks. When the set holds
// every astral code point, a greedy unbounded repeat of it covers exactly the same runs of text
// as the plain unit class [^\t\n\f\r ]* with the surrogates left in, on text without lone
// surrogates (lines decoded from UTF-8 never have one). The unit form can also stop between the
// two halves of a pair, which RE2 cannot; such a stop changes nothing when
//
// 1. the pattern starts with ^, so every attempt starts at offset 0, a code point boundary;
// 2. the repeat is greedy, takes 0 or 1 iterations at least and has no upper bound, and no
//    enclosing repeat iterates it again, so it starts where whole code points ended and its
//    candidate ends are tried longest first, in the same order as the whole-code-point form;
// 3. what follows it either cannot match at a low surrogate (it starts with a literal or a set,
//    both emitted to consume whole code points, or with ^, $ or \b, none of which holds between
//    the two halves of a pair), or always succeeds at once (the end of the pattern, perhaps after
//    optional parts), so the longest candidate, which ends on a boundary, is accepted.
//
// Then a candidate that stops inside a pair fails at the very next step, and the first success
// is the one the whole-code-point form finds, with the same groups.

import type { Node } from './ast.js';
import { nodeSet } from './classes.js';
import { type CodeSet, intersect } from './codeset.js';
import type { SetOracle } from './re2-sets.js';

const ASTRAL: CodeSet = [[0x10000, 0x10ffff]];

function holdsEveryAstral(set: CodeSet | null): boolean {
  if (set === null) return false;
  const astral = intersect(set, ASTRAL);
  return astral.length === 1 && astral[0]![0] === 0x10000 && astral[0]![1] === 0x10ffff;
}

/** The repeats of `root` that may be emitted as a repeat of a plain unit class (see above). */
export function unitRepeats(root: Node, oracle: SetOracle): Set<Node> {
  const units = new Set<Node>();
  if (!startsAnchored(root)) return units;

  /**
   * What can follow a node: `refuses` when every match of it and what comes after it fails if
   * started at a low surrogate, `end` when it always succeeds at once (the end of the pattern,
   * possibly after optional parts), `unknown` otherwise.
   */
  const follow = (node: Node, after: Follow): Follow => {
    switch (node.kind) {
      case 'literal':
      case 'class':
      case 'dot':
        return 'refuses';
      case 'assert':
        if (node.assertion === 'beginText' || node.assertion === 'endText' || node.assertion === 'wordBoundary') return 'refuses';
        // \B holds between the halves of a pair, and may fail where a longer candidate ends.
        return after === 'refuses' ? 'refuses' : 'unknown';
      case 'empty':
        return after;
      case 'capture':
        return follow(node.body, after);
      case 'concat':
        return node.items.reduceRight((acc: Follow, item) => follow(item, acc), after);
      case 'alternate': {
        const branches = node.items.map((item) => follow(item, after));
        if (branches.every((b) => b === 'refuses')) return 'refuses';
        return branches.every((b) => b === 'end') ? 'end' : 'unknown';
      }
      case 'repeat': {
        if (units.has(node)) return 'unknown';
        const bodyRefuses = follow(node.body, 'unknown') === 'refuses';
        if (node.min >= 1) return bodyRefuses ? 'refuses' : 'unknown';
        if (after === 'end') return 'end';
        return bodyRefuses && after === 'refuses' ? 'refuses' : 'unknown';
      }
      case 'anyByte':
        return 'unknown';
    }
  };

  const mark = (node: Node, after: Follow, iterated: boolean): void => {
    switch (node.kind) {
      case 'capture':
        mark(node.body, after, iterated);
        return;
      case 'alternate':
        for (const item of node.items) mark(item, after, iterated);
        return;
      case 'concat': {
        let acc = after;
        for (let i = node.items.length - 1; i >= 0; i--) {
          const item = node.items[i]!;
          mark(item, acc, iterated);
          acc = follow(item, acc);
        }
        return;
      }
      case 'repeat': {
        const loops = node.max === -1 || node.max > 1;
        // Inside a loop the body is followed by another iteration: nothing is known.
        mark(node.body, loops ? 'unknown' : after, iterated || loops);
        const eligible = !iterated && node.greedy && node.max === -1 && node.min <= 1 && after !== 'unknown';
        if (eligible && (node.body.kind === 'class' || node.body.kind === 'dot') && holdsEveryAstral(nodeSet(node.body, oracle))) {
          units.add(node);
        }
        return;
      }
      default:
        return;
    }
  };

  mark(root, 'end', false);
  return units;
}

type Follow = 'refuses' | 'end' | 'unknown';

function startsAnchored(root: Node): boolean {
  if (root.kind === 'assert') return root.assertion === 'beginText';
  if (root.kind === 'concat') return root.items.length > 0 && startsAnchored(root.items[0]!);
  return false;
}
