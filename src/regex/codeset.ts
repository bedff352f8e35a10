// Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges.
// RE2 classes are sets of runes; V8 without the `u` flag sees UTF-16 code units,
// so the emitter needs the set itself, not its syntax.

/** A code point range, inclusive at both ends. */
export type Range = readonly [lo: number, hi: number];

/** An immutable set of code points. */
export type CodeSet = readonly Range[];

export const MAX_CODE_POINT = 0x10ffff;
export const EMPTY_SET: CodeSet = [];
export const ALL_CODE_POINTS: CodeSet = [[0, MAX_CODE_POINT]];

/** Normalises arbitrary ranges into a CodeSet (sorted, merged). */
export function setOf(ranges: Iterable<Range>): CodeSet {
  const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

/** The set of the given code points. */
export function setOfChars(codePoints: Iterable<number>): CodeSet {
  return setOf([...codePoints].map((c): Range => [c, c]));
}

/** Union of sets. */
export function union(...sets: CodeSet[]): CodeSet {
  return setOf(sets.flat());
}

/** Complement within 0..U+10FFFF. */
export function complement(set: CodeSet): CodeSet {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Intersection of two sets: one merge of the two sorted range lists. */
export function intersect(a: CodeSet, b: CodeSet): CodeSet {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    const lo = alo > blo ? alo : blo;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}

/** Whether the set contains the code point. */
export function has(set: CodeSet, cp: number): boolean {
  return set.some(([lo, hi]) => lo <= cp && cp <= hi);
}

/** Whether every member is ASCII. */
export function isAscii(set: CodeSet): boolean {
  return set.length === 0 || set[set.length - 1][1] < 0x80;
}

/** Number of code points in the set. */
export function size(set: CodeSet): number {
  return set.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
}

const KELVIN_SIGN = 0x212a; // folds with k and K
const LONG_S = 0x17f; // folds with s and S

/**
 * Adds the simple case-fold orbits of an ASCII-only set, as RE2 does under (?i):
 * the only non-ASCII members of orbits of ASCII letters are U+212A (k) and U+017F (s).
 */
export function foldAscii(set: CodeSet): CodeSet {
  const extra: Range[] = [];
  for (const [lo, hi] of set) {
    for (let c = lo; c <= hi; c++) {
      const lower = c | 0x20;
      if (lower < 0x61 || lower > 0x7a) continue;
      extra.push([lower, lower], [lower - 0x20, lower - 0x20]);
      if (lower === 0x6b) extra.push([KELVIN_SIGN, KELVIN_SIGN]);
      if (lower === 0x73) extra.push([LONG_S, LONG_S]);
    }
  }
  return union(set, extra);
}
