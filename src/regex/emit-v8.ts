// Writes V8 RegExp source, without flags, for an RE2 parse tree.
// No `u` and no `i` flag: either one stops V8 from falling back to its
// linear-time engine on excessive backtracking (checked on Node 20 / V8 11.3).
// So V8 sees UTF-16 code units, and every set is written so that it consumes
// whole code points: BMP members as one class that excludes surrogates, astral
// members as high-surrogate/low-surrogate pairs. No emitted piece can match a
// lone surrogate, so matches start and end on code point boundaries as in RE2.
// Case folding is expanded into explicit sets; captures are emitted unnamed
// (callers read captures by index).

import type { Node } from './ast.js';
import { nodeSet } from './classes.js';
import { type CodeSet, type Range, complement, intersect, setOf, union } from './codeset.js';
import type { SetOracle } from './re2-sets.js';

/** How a piece of source may be combined: an atom takes a quantifier as is. */
type Shape = 'atom' | 'sequence' | 'alternation';
interface Piece {
  src: string;
  shape: Shape;
}

/** Thrown when a set cannot be determined; the caller falls back to re2. */
export class UnresolvedSet extends Error {}

const BMP_NON_SURROGATE: CodeSet = [[0, 0xd7ff], [0xe000, 0xffff]];
const ASTRAL: CodeSet = [[0x10000, 0x10ffff]];
const SPECIAL_OUTSIDE = new Set('\\^$.*+?()[]{}|/');
const SPECIAL_INSIDE = new Set('\\]^-[/');

/** One UTF-16 code unit as V8 source, escaped where needed. */
function unit(u: number, inClass: boolean): string {
  if (u >= 0x20 && u <= 0x7e) {
    const ch = String.fromCharCode(u);
    return (inClass ? SPECIAL_INSIDE : SPECIAL_OUTSIDE).has(ch) ? `\\${ch}` : ch;
  }
  const hex = u.toString(16).toUpperCase();
  return u <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

function classBody(ranges: readonly Range[]): string {
  return ranges
    .map(([lo, hi]) => {
      if (lo === hi) return unit(lo, true);
      if (hi === lo + 1) return unit(lo, true) + unit(hi, true);
      return `${unit(lo, true)}-${unit(hi, true)}`;
    })
    .join('');
}

const ALL_UNITS: CodeSet = [[0, 0xffff]];

/** A class of code units, or a single escaped unit; may use the negated form when that is shorter. */
function unitClass(set: CodeSet, mayNegate: boolean): string {
  if (set.length === 1 && set[0][0] === set[0][1]) return unit(set[0][0], false);
  if (mayNegate) {
    const rest = intersect(complement(set), ALL_UNITS); // includes surrogates when set excludes them
    if (rest.length < set.length) return `[^${classBody(rest)}]`;
  }
  return `[${classBody(set)}]`;
}

function toSurrogates(cp: number): [high: number, low: number] {
  const offset = cp - 0x10000;
  return [0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff)];
}

/** Astral code points as (high range, low range) pairs, low ranges merged per high surrogate. */
function surrogatePairs(astral: CodeSet): string[] {
  const byHigh: { hi: Range; lows: Range[] }[] = [];
  const add = (h1: number, h2: number, l1: number, l2: number): void => {
    const last = byHigh[byHigh.length - 1];
    if (last && h1 === h2 && last.hi[0] === h1 && last.hi[1] === h1) last.lows.push([l1, l2]);
    else byHigh.push({ hi: [h1, h2], lows: [[l1, l2]] });
  };
  for (const [a, b] of astral) {
    const [ha, la] = toSurrogates(a);
    const [hb, lb] = toSurrogates(b);
    if (ha === hb) {
      add(ha, ha, la, lb);
      continue;
    }
    // A partial first high surrogate, the full ones between, a partial last one.
    let firstFull = ha;
    let lastFull = hb;
    if (la > 0xdc00) {
      add(ha, ha, la, 0xdfff);
      firstFull++;
    }
    if (lb < 0xdfff) lastFull--;
    if (firstFull <= lastFull) add(firstFull, lastFull, 0xdc00, 0xdfff);
    if (lb < 0xdfff) add(hb, hb, 0xdc00, lb);
  }
  return byHigh.map(({ hi, lows }) => unitClass([hi], false) + unitClass(setOf(lows), false));
}

/** Source matching exactly one code point of the set. */
export function emitSet(set: CodeSet): Piece {
  const bmp = intersect(set, BMP_NON_SURROGATE);
  const parts: string[] = [];
  if (bmp.length > 0) parts.push(unitClass(bmp, true));
  parts.push(...surrogatePairs(intersect(set, ASTRAL)));
  if (parts.length === 0) return { src: '[]', shape: 'atom' }; // matches nothing
  if (parts.length === 1) return { src: parts[0], shape: bmp.length > 0 ? 'atom' : 'sequence' };
  return { src: `(?:${parts.join('|')})`, shape: 'atom' };
}

function quantifier(min: number, max: number, greedy: boolean): string {
  let q: string;
  if (min === 0 && max === -1) q = '*';
  else if (min === 1 && max === -1) q = '+';
  else if (min === 0 && max === 1) q = '?';
  else if (max === -1) q = `{${min},}`;
  else if (min === max) q = `{${min}}`;
  else q = `{${min},${max}}`;
  return greedy ? q : `${q}?`;
}

const ASSERTIONS: Record<string, string> = {
  beginText: '^',
  endText: '$',
  wordBoundary: '\\b',
  notWordBoundary: '\\B',
};

const SURROGATES: CodeSet = [[0xd800, 0xdfff]];
const NO_UNIT_REPEATS: ReadonlySet<Node> = new Set();

/**
 * Emits V8 source for a tree already known to be translatable; throws UnresolvedSet when a set
 * is unknown. Repeats in `unitRepeats` (see units.ts) repeat a plain class of UTF-16 units.
 */
export function emitNode(node: Node, oracle: SetOracle, unitRepeats: ReadonlySet<Node> = NO_UNIT_REPEATS): Piece {
  const emit = (n: Node) => emitNode(n, oracle, unitRepeats);
  switch (node.kind) {
    case 'empty':
      return { src: '', shape: 'sequence' };
    case 'literal':
    case 'class':
    case 'dot': {
      if (node.kind === 'literal' && !node.fold && node.cp <= 0xffff) {
        // A surrogate code point never occurs in UTF-8 text, so it matches nothing.
        if (node.cp >= 0xd800 && node.cp <= 0xdfff) return { src: '[]', shape: 'atom' };
        return { src: unit(node.cp, false), shape: 'atom' };
      }
      const set = nodeSet(node, oracle);
      if (set === null) throw new UnresolvedSet(`re2 could not resolve a character class`);
      return emitSet(set);
    }
    case 'assert': {
      const src = ASSERTIONS[node.assertion];
      if (src === undefined) throw new Error(`assertion ${node.assertion} has no V8 form`);
      return { src, shape: 'sequence' }; // V8 without `u` refuses a quantifier on ^ $ \b \B
    }
    case 'capture':
      return { src: `(${emit(node.body).src})`, shape: 'atom' };
    case 'concat': {
      const src = node.items
        .map((item) => {
          const piece = emit(item);
          return piece.shape === 'alternation' ? `(?:${piece.src})` : piece.src;
        })
        .join('');
      return { src, shape: 'sequence' };
    }
    case 'alternate':
      return { src: node.items.map((item) => emit(item).src).join('|'), shape: 'alternation' };
    case 'repeat': {
      if (unitRepeats.has(node)) {
        const set = nodeSet(node.body, oracle);
        if (set === null) throw new UnresolvedSet(`re2 could not resolve a character class`);
        const units = union(intersect(set, BMP_NON_SURROGATE), SURROGATES);
        return { src: unitClass(units, true) + quantifier(node.min, node.max, node.greedy), shape: 'sequence' };
      }
      const body = emit(node.body);
      const operand = body.shape === 'atom' ? body.src : `(?:${body.src})`;
      // A quantified piece cannot take a second quantifier in V8, so it is a sequence.
      return { src: operand + quantifier(node.min, node.max, node.greedy), shape: 'sequence' };
    }
    case 'anyByte':
      throw new Error('\\C has no V8 form');
  }
}
