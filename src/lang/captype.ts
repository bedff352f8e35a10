/**
 * mtail types a capture group by what it can match (types.InferCaprefType):
 * `(\d+)` is an Int, `(\d+\.\d+)` a Float, anything else a String. The rule
 * works on Go's parsed regexp tree, so this module parses RE2 syntax into a
 * small tree with the same shape-changing simplifications Go's parser makes
 * (single-rune classes become literals, alternations of single runes become
 * classes, common literal prefixes are factored out).
 */
type Node =
  | { op: 'lit'; runes: number[] }
  | { op: 'class'; ranges: [number, number][]; negated: boolean }
  | { op: 'any' | 'empty' | 'other' }
  | { op: 'capture'; index: number; sub: Node }
  | { op: 'star' | 'plus' | 'quest'; sub: Node }
  | { op: 'concat' | 'alt'; subs: Node[] };

export type CapType = 'int' | 'float' | 'string';

class Unsupported extends Error {}

const D: [number, number][] = [[48, 57]];
const S: [number, number][] = [[9, 10], [12, 13], [32, 32]];
const W: [number, number][] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const POSIX: Record<string, [number, number][]> = {
  alnum: [[48, 57], [65, 90], [97, 122]], alpha: [[65, 90], [97, 122]], ascii: [[0, 127]], blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]], digit: D, graph: [[33, 126]], lower: [[97, 122]], print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]], space: [[9, 13], [32, 32]], upper: [[65, 90]], word: W,
  xdigit: [[48, 57], [65, 70], [97, 102]],
};

class RegexParser {
  private i = 0;
  private groups = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.s.length) throw new Unsupported();
    return n;
  }

  private alternation(): Node {
    const subs = [this.concat()];
    while (this.s[this.i] === '|') {
      this.i++;
      subs.push(this.concat());
    }
    return subs.length === 1 ? subs[0] : simplifyAlt(subs);
  }

  private concat(): Node {
    const subs: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') subs.push(this.repeat());
    if (subs.length === 0) return { op: 'empty' };
    return subs.length === 1 ? subs[0] : { op: 'concat', subs };
  }

  private repeat(): Node {
    let n = this.atom();
    for (;;) {
      const c = this.s[this.i];
      if (c === '*' || c === '+' || c === '?') {
        this.i++;
        n = { op: c === '*' ? 'star' : c === '+' ? 'plus' : 'quest', sub: n };
      } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.s.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i))!;
        this.i += m[0].length;
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        n = simplifyRepeat(n, min, max);
      } else {
        return n;
      }
      if (this.s[this.i] === '?') this.i++;
    }
  }

  private atom(): Node {
    const s = this.s;
    const c = s[this.i];
    if (c === '(') {
      this.i++;
      let capture = true;
      if (s[this.i] === '?') {
        const named = /^\?P?<([A-Za-z0-9_]+)>/.exec(s.slice(this.i));
        if (named) {
          this.i += named[0].length;
        } else {
          const flags = /^\?([imsU-]*)(:|\))/.exec(s.slice(this.i));
          if (!flags) throw new Unsupported();
          this.i += flags[0].length;
          if (flags[2] === ')') return { op: 'empty' };
          capture = false;
        }
      }
      const index = capture ? ++this.groups : 0;
      const sub = this.alternation();
      if (s[this.i] !== ')') throw new Unsupported();
      this.i++;
      return capture ? { op: 'capture', index, sub } : sub;
    }
    if (c === '[') return this.charClass();
    if (c === '.') { this.i++; return { op: 'any' }; }
    if (c === '^' || c === '$') { this.i++; return { op: 'empty' }; }
    if (c === '\\') return this.escape(false);
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { op: 'lit', runes: [cp] };
  }

  /** An escape; inside a class only rune-valued and class escapes are allowed. */
  private escape(inClass: boolean): Node {
    const s = this.s;
    this.i++;
    const c = s[this.i++];
    if (c === undefined) throw new Unsupported();
    const cls = (ranges: [number, number][], negated = false): Node => ({ op: 'class', ranges, negated });
    switch (c) {
      case 'd': return cls(D);
      case 'D': return cls(D, true);
      case 's': return cls(S);
      case 'S': return cls(S, true);
      case 'w': return cls(W);
      case 'W': return cls(W, true);
      case 'p': case 'P':
        if (s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1;
        else this.i++;
        return { op: 'other' };
      case 'b': case 'B': case 'A': case 'z':
        if (inClass) throw new Unsupported();
        return { op: 'empty' };
      case 'Q': {
        const end = s.indexOf('\\E', this.i);
        const text = end < 0 ? s.slice(this.i) : s.slice(this.i, end);
        this.i = end < 0 ? s.length : end + 2;
        return { op: 'lit', runes: [...text].map((ch) => ch.codePointAt(0)!) };
      }
      case 'x': {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{2})/.exec(s.slice(this.i));
        if (!m) throw new Unsupported();
        this.i += m[0].length;
        return { op: 'lit', runes: [parseInt(m[1] ?? m[2], 16)] };
      }
      case 'a': return { op: 'lit', runes: [7] };
      case 'f': return { op: 'lit', runes: [12] };
      case 't': return { op: 'lit', runes: [9] };
      case 'n': return { op: 'lit', runes: [10] };
      case 'r': return { op: 'lit', runes: [13] };
      case 'v': return { op: 'lit', runes: [11] };
      default:
        if (c >= '0' && c <= '7') {
          const m = /^[0-7]{0,2}/.exec(s.slice(this.i))!;
          this.i += m[0].length;
          return { op: 'lit', runes: [parseInt(c + m[0], 8)] };
        }
        return { op: 'lit', runes: [c.codePointAt(0)!] };
    }
  }

  private charClass(): Node {
    const s = this.s;
    this.i++;
    let negated = false;
    if (s[this.i] === '^') { negated = true; this.i++; }
    const ranges: [number, number][] = [];
    let first = true;
    let other = false;
    while (s[this.i] !== ']' || first) {
      first = false;
      if (this.i >= s.length) throw new Unsupported();
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(this.i));
      if (posix) {
        this.i += posix[0].length;
        if (posix[1] || !POSIX[posix[2]]) other = true;
        else ranges.push(...POSIX[posix[2]]);
        continue;
      }
      const lo = this.classRune();
      if (lo === undefined) { other = true; continue; }
      if (typeof lo !== 'number') { if (lo.op === 'class' && !lo.negated) ranges.push(...lo.ranges); else other = true; continue; }
      if (s[this.i] === '-' && s[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classRune();
        if (typeof hi !== 'number') throw new Unsupported();
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    this.i++;
    if (other) return { op: 'other' };
    // Go turns a one-rune class into a literal.
    if (!negated && ranges.length === 1 && ranges[0][0] === ranges[0][1]) return { op: 'lit', runes: [ranges[0][0]] };
    return { op: 'class', ranges, negated };
  }

  private classRune(): number | Node | undefined {
    if (this.s[this.i] === '\\') {
      const n = this.escape(true);
      if (n.op === 'lit' && n.runes.length === 1) return n.runes[0];
      return n.op === 'class' ? n : undefined;
    }
    const cp = this.s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
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
    let prefix = leadingLiteral(subs[i]);
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
      return n.ranges.every(([lo, hi]) => hi - lo < 64 && Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).every((r) => allowed.includes(String.fromCodePoint(r))));
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

/** The body of each capture group, by index: the first one in pre-order when a simplification repeated it. */
function collectGroups(n: Node, out: Map<number, Node>): Map<number, Node> {
  if (n.op === 'capture' && !out.has(n.index)) out.set(n.index, n.sub);
  if ('sub' in n) collectGroups(n.sub, out);
  if ('subs' in n) for (const s of n.subs) collectGroups(s, out);
  return out;
}

const lubCap = (a: CapType | 'undef', b: CapType): CapType =>
  a === 'undef' || a === b ? b : a === 'string' || b === 'string' ? 'string' : 'float';

/** Types of capture groups 1..count of an RE2 pattern, by mtail's rule; strings when unsure. */
export function inferCaptureTypes(pattern: string, count: number): CapType[] {
  const out: CapType[] = new Array(count).fill('string');
  let tree: Node;
  try {
    tree = new RegexParser(pattern).parse();
  } catch {
    return out;
  }
  const groups = collectGroups(tree, new Map());
  for (let g = 1; g <= count; g++) {
    const n = groups.get(g);
    if (!n) continue;
    if (n.op === 'alt') out[g - 1] = n.subs.reduce<CapType | 'undef'>((t, s) => lubCap(t, groupType(s)), 'undef') as CapType;
    else out[g - 1] = groupType(n);
  }
  return out;
}
