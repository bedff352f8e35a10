// Capture group types by mtail's rule (types.InferCaprefType): `(\d+)` is an Int,
// `(\d+\.\d+)` a Float, anything else a String. mtail applies the rule to Go's
// regexp/syntax tree after Simplify, so the RE2 tree from parse.ts is first
// reshaped the way Go's parser and Simplify shape theirs: one-rune classes become
// literals, alternations of single runes become classes, common literal prefixes
// of alternatives are factored out and x{n,m} becomes copies of x. The shape
// matters: `(1|2)` is a class, hence a String, and `(\.\d+){3}` holds three dots.

import type { ClassItem, ParsedPattern, Node as Re2Node } from './ast.js';
import { PERL_SETS, POSIX_SETS } from './classes.js';
import { treeOf } from './parse.js';

/** What mtail infers for a capture group. */
export type CapType = 'int' | 'float' | 'string';

/** Go's view of a node, reduced to what the rule looks at; case folding never changes the answer, as `+-.0-9eE` is closed under it. */
type Node =
  | { op: 'lit'; runes: number[] }
  | { op: 'class'; ranges: (readonly [number, number])[]; negated: boolean }
  | { op: 'any' | 'empty' | 'other' }
  | { op: 'capture'; index: number; sub: Node }
  | { op: 'star' | 'plus' | 'quest'; sub: Node }
  | { op: 'concat' | 'alt'; subs: Node[] };

/** The ranges of a class's items; undefined when an item has no ASCII table (Unicode, negated Perl or POSIX). */
function classRanges(items: readonly ClassItem[]): (readonly [number, number])[] | undefined {
  const ranges: (readonly [number, number])[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'range':
        ranges.push([item.lo, item.hi]);
        break;
      case 'perl':
      case 'posix':
        if (item.negated) return undefined;
        ranges.push(...(item.kind === 'perl' ? PERL_SETS[item.name] : POSIX_SETS[item.name]!));
        break;
      case 'unicode':
        return undefined;
    }
  }
  return ranges;
}

/** The RE2 tree in Go's shape. */
function goShape(n: Re2Node): Node {
  switch (n.kind) {
    case 'empty':
    case 'assert':
      return { op: 'empty' };
    case 'literal':
      return { op: 'lit', runes: [n.cp] };
    case 'dot':
      return { op: 'any' };
    case 'anyByte':
      return { op: 'other' };
    case 'class': {
      // `\d` alone is a class of one Perl item; RE2 and Go keep it a class.
      if (n.items.length === 1 && n.items[0]!.kind === 'perl' && !n.negated) {
        const p = n.items[0]!;
        return { op: 'class', ranges: [...PERL_SETS[p.name]], negated: p.negated };
      }
      const ranges = classRanges(n.items);
      if (ranges === undefined) return { op: 'other' };
      // Go turns a one-rune class into a literal.
      if (!n.negated && ranges.length === 1 && ranges[0]![0] === ranges[0]![1]) return { op: 'lit', runes: [ranges[0]![0]] };
      return { op: 'class', ranges, negated: n.negated };
    }
    case 'capture':
      return { op: 'capture', index: n.index, sub: goShape(n.body) };
    case 'concat':
      return { op: 'concat', subs: n.items.map(goShape) };
    case 'alternate':
      return simplifyAlt(n.items.map(goShape));
    case 'repeat': {
      const sub = goShape(n.body);
      if (n.max === -1 && n.min <= 1) return { op: n.min === 0 ? 'star' : 'plus', sub };
      if (n.min === 0 && n.max === 1) return { op: 'quest', sub };
      return simplifyRepeat(sub, n.min, n.max);
    }
  }
}

/** Go's Regexp.Simplify of x{min,max}: copies of x, so `(\.\d+){3}` holds three dots. */
function simplifyRepeat(x: Node, min: number, max: number): Node {
  if (min === 1 && max === 1) return x;
  if (max === 0) return { op: 'empty' };
  if (max === -1) {
    if (min === 0) return { op: 'star', sub: x };
    if (min === 1) return { op: 'plus', sub: x };
    return { op: 'concat', subs: [...Array<Node>(min - 1).fill(x), { op: 'plus', sub: x }] };
  }
  if (min === 0 && max === 1) return { op: 'quest', sub: x };
  const subs: Node[] = Array<Node>(min).fill(x);
  let tail: Node | undefined;
  for (let k = max - min; k > 0; k--) tail = { op: 'quest', sub: tail ? { op: 'concat', subs: [x, tail] } : x };
  if (tail) subs.push(tail);
  return subs.length === 1 ? subs[0] : { op: 'concat', subs };
}

function leadingLiteral(n: Node): number[] {
  if (n.op === 'lit') return n.runes;
  if (n.op === 'concat' && n.subs[0].op === 'lit') return n.subs[0].runes;
  return [];
}

function dropPrefix(n: Node, k: number): Node {
  if (n.op === 'lit') return n.runes.length === k ? { op: 'empty' } : { op: 'lit', runes: n.runes.slice(k) };
  if (n.op === 'concat') {
    const head = dropPrefix(n.subs[0], k);
    const subs = head.op === 'empty' ? n.subs.slice(1) : [head, ...n.subs.slice(1)];
    return subs.length === 1 ? subs[0] : { op: 'concat', subs };
  }
  return n;
}

/** Go's alternation factoring: common literal prefixes, then runs of single runes into a class. */
function simplifyAlt(subs: Node[]): Node {
  const out: Node[] = [];
  let i = 0;
  while (i < subs.length) {
    let prefix = leadingLiteral(subs[i]!);
    let j = i + 1;
    while (j < subs.length && prefix.length > 0) {
      const next = leadingLiteral(subs[j]);
      let k = 0;
      while (k < prefix.length && k < next.length && prefix[k] === next[k]) k++;
      if (k === 0) break;
      prefix = prefix.slice(0, k);
      j++;
    }
    if (j - i >= 2 && prefix.length > 0) {
      const rest = subs.slice(i, j).map((n) => dropPrefix(n, prefix.length));
      out.push({ op: 'concat', subs: [{ op: 'lit', runes: prefix }, simplifyAlt(rest)] });
      i = j;
    } else {
      out.push(subs[i++]);
    }
  }
  const merged: Node[] = [];
  for (const n of out) {
    const single = n.op === 'lit' && n.runes.length === 1 ? { op: 'class' as const, ranges: [[n.runes[0], n.runes[0]] as [number, number]], negated: false } : n;
    const last = merged[merged.length - 1];
    if (single.op === 'class' && !single.negated && last?.op === 'class' && !last.negated) {
      merged[merged.length - 1] = { op: 'class', ranges: [...last.ranges, ...single.ranges], negated: false };
    } else {
      merged.push(single);
    }
  }
  const fixed = merged.map((n) => (n.op === 'class' && !n.negated && n.ranges.length === 1 && n.ranges[0][0] === n.ranges[0][1] ? { op: 'lit' as const, runes: [n.ranges[0][0]] } : n));
  return fixed.length === 1 ? fixed[0] : { op: 'alt', subs: fixed };
}

function onlyMatches(n: Node, allowed: string): boolean {
  switch (n.op) {
    case 'lit': return n.runes.every((r) => allowed.includes(String.fromCodePoint(r)));
    case 'class':
      if (n.negated) return false;
      return n.ranges.every(([lo, hi]) => {
        if (hi - lo >= 64) return false;
        for (let r = lo; r <= hi; r++) if (!allowed.includes(String.fromCodePoint(r))) return false;
        return true;
      });
    case 'star': case 'plus': case 'quest': case 'capture': return onlyMatches(n.sub, allowed);
    case 'concat': case 'alt': return n.subs.every((s) => onlyMatches(s, allowed));
    default: return false;
  }
}

function hasDigit(n: Node): boolean {
  switch (n.op) {
    case 'lit': return n.runes.some((r) => r >= 48 && r <= 57);
    case 'class': return n.ranges.some(([lo, hi]) => (lo >= 48 && lo <= 57) || (hi >= 48 && hi <= 57));
    case 'star': case 'plus': case 'quest': case 'capture': return hasDigit(n.sub);
    case 'concat': case 'alt': return n.subs.some(hasDigit);
    default: return false;
  }
}

function dotCount(n: Node): number {
  switch (n.op) {
    case 'lit': return n.runes.filter((r) => r === 46).length;
    case 'class': return n.ranges.some(([lo, hi]) => lo === 46 || hi === 46) ? 1 : 0;
    case 'star': case 'plus': case 'quest': case 'capture': return dotCount(n.sub);
    case 'concat': case 'alt': return n.subs.reduce((a, s) => a + dotCount(s), 0);
    default: return 1;
  }
}

function groupType(n: Node): CapType {
  if (onlyMatches(n, '+-')) return 'string';
  if (onlyMatches(n, '+-0123456789')) {
    if (!hasDigit(n) || n.op === 'alt' || n.op === 'class') return 'string';
    return 'int';
  }
  if (onlyMatches(n, '+-0123456789.eE')) return dotCount(n) > 1 ? 'string' : 'float';
  return 'string';
}

/**
 * The body of each capture group in Go's shape, by index. Only the bodies are reshaped: a
 * node's shape does not depend on what surrounds it, simplifications repeat a group whole
 * and change nothing inside one, and the only groups they drop are under x{0} (or {0,0}).
 */
function collectGroups(n: Re2Node, out: Map<number, Node>): Map<number, Node> {
  switch (n.kind) {
    case 'capture':
      if (!out.has(n.index)) out.set(n.index, goShape(n.body));
      collectGroups(n.body, out);
      break;
    case 'repeat':
      if (n.max !== 0) collectGroups(n.body, out);
      break;
    case 'concat':
    case 'alternate':
      for (const item of n.items) collectGroups(item, out);
      break;
    default:
      break;
  }
  return out;
}

const lubCap = (a: CapType | 'undef', b: CapType): CapType =>
  a === 'undef' || a === b ? b : a === 'string' || b === 'string' ? 'string' : 'float';

/**
 * Types of capture groups 1..count of an RE2 pattern (or of its parse tree, when the caller
 * has it already), by mtail's rule; strings when the pattern does not parse.
 */
export function inferCaptureTypes(pattern: string | ParsedPattern | undefined, count: number): CapType[] {
  const out: CapType[] = new Array<CapType>(count).fill('string');
  const tree = treeOf(pattern);
  if (tree === undefined) return out;
  if (count === 0) return out;
  const groups = collectGroups(tree.root, new Map());
  for (let g = 1; g <= count; g++) {
    const n = groups.get(g);
    if (!n) continue;
    if (n.op === 'alt') out[g - 1] = n.subs.reduce<CapType | 'undef'>((t, s) => lubCap(t, groupType(s)), 'undef') as CapType;
    else out[g - 1] = groupType(n);
  }
  return out;
}
