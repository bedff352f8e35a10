// A parser for RE2 syntax (the Perl-like flavour RE2 and Go's regexp accept),
// written from RE2's parse.cc rules: which escapes exist, when `{` is a literal,
// how `-` and `]` behave in classes, and that inline flags last until the end
// of the enclosing group (across `|`). re2 itself stays the judge of validity;
// this parser exists so the translator knows what every piece means.

import type { Assertion, ClassItem, Node, ParsedPattern } from './ast.js';
import { POSIX_SETS } from './classes.js';

export type ParseResult =
  | { ok: true; pattern: ParsedPattern }
  | { ok: false; message: string; offset: number };

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
  ungreedy: boolean;
}

const MAX_REPEAT = 1000;
const MAX_RUNE = 0x10ffff;
const PERL_CLASSES: Record<string, { name: 'd' | 's' | 'w'; negated: boolean }> = {
  d: { name: 'd', negated: false },
  D: { name: 'd', negated: true },
  s: { name: 's', negated: false },
  S: { name: 's', negated: true },
  w: { name: 'w', negated: false },
  W: { name: 'w', negated: true },
};
interface Bounds {
  min: number;
  max: number; // -1: unbounded
  end: number; // offset just after the operator
}
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

class SyntaxFault {
  constructor(readonly message: string, readonly offset: number) {}
}

// The prefilter, the translator and the tests parse the same pattern in turn; trees are never
// modified, so one parse serves all. Bounded, as reloads bring new patterns over a daemon's life.
const parsed = new Map<string, ParseResult>();
const MAX_REMEMBERED = 1024;

/** Parses an RE2 pattern into a tree (not to be modified), or reports the first syntax error with its offset. */
export function parseRe2(pattern: string): ParseResult {
  let result = parsed.get(pattern);
  if (result === undefined) {
    result = parseUncached(pattern);
    if (parsed.size >= MAX_REMEMBERED) parsed.clear();
    parsed.set(pattern, result);
  }
  return result;
}

/** The tree of a pattern given as source (parsed, through the cache) or already parsed; undefined when it does not parse. */
export function treeOf(pattern: string | ParsedPattern | undefined): ParsedPattern | undefined {
  if (typeof pattern !== 'string') return pattern;
  const parsed = parseRe2(pattern);
  return parsed.ok ? parsed.pattern : undefined;
}

/**
 * The tree of a pattern, parsed now without going through the cache: for a caller that keeps
 * only what it learns from the tree (a large program's patterns would flush the cache).
 */
export function parseTree(pattern: string): ParsedPattern | undefined {
  const parsed = parseUncached(pattern);
  return parsed.ok ? parsed.pattern : undefined;
}

function parseUncached(pattern: string): ParseResult {
  try {
    return { ok: true, pattern: new Parser(pattern).parse() };
  } catch (e) {
    if (e instanceof SyntaxFault) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

function isAsciiAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

class Parser {
  private pos = 0;
  private flags: Flags = { fold: false, multiLine: false, dotNL: false, ungreedy: false };
  private groupNames: (string | undefined)[] = [undefined];
  private depth = 0;

  constructor(private readonly src: string) {}

  parse(): ParsedPattern {
    const root = this.parseAlternation();
    if (this.pos < this.src.length) throw new SyntaxFault('unexpected )', this.pos);
    return { root, groupCount: this.groupNames.length - 1, groupNames: this.groupNames };
  }

  private fail(message: string, offset: number): never {
    throw new SyntaxFault(message, offset);
  }

  private peek(offset = 0): string | undefined {
    const i = this.pos + offset;
    return i < this.src.length ? this.src[i] : undefined;
  }

  /** Reads one code point (a surrogate pair counts as one). */
  private nextCodePoint(): number {
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private parseAlternation(): Node {
    const branches: Node[] = [this.parseConcat()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseConcat());
    }
    return branches.length === 1 ? branches[0] : { kind: 'alternate', items: branches };
  }

  private parseConcat(): Node {
    const items: Node[] = [];
    let lastWasRepeat = -1; // offset of the previous repetition operator, for `a**`
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const start = this.pos;
      const bounds = c === '{' ? this.tryRepeatBounds() : this.simpleBounds(c);
      if (bounds !== null) {
        this.pos = bounds.end;
        let greedy = true;
        if (this.peek() === '?') {
          greedy = false;
          this.pos++;
        }
        if (lastWasRepeat >= 0) this.fail('bad repetition operator', lastWasRepeat);
        const { min, max } = bounds;
        if ((max !== -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) {
          this.fail('invalid repetition size', start);
        }
        const body = items.pop();
        if (body === undefined) this.fail('missing argument to repetition operator', start);
        items.push({ kind: 'repeat', min, max, greedy: greedy !== this.flags.ungreedy, body });
        lastWasRepeat = start;
        continue;
      }
      lastWasRepeat = -1;
      if (c === '(') {
        const group = this.parseGroup();
        if (group !== null) items.push(group);
        continue;
      }
      this.parseAtom(items);
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0] : { kind: 'concat', items };
  }

  private simpleBounds(c: string): Bounds | null {
    const end = this.pos + 1;
    if (c === '*') return { min: 0, max: -1, end };
    if (c === '+') return { min: 1, max: -1, end };
    if (c === '?') return { min: 0, max: 1, end };
    return null;
  }

  /** Reads `{n}`, `{n,}` or `{n,m}` at the cursor; anything else means `{` is a literal. */
  private tryRepeatBounds(): Bounds | null {
    let i = this.pos + 1;
    const readInt = (): number | null => {
      const s = this.src;
      if (!(s[i] >= '0' && s[i] <= '9')) return null;
      if (s[i] === '0' && s[i + 1] >= '0' && s[i + 1] <= '9') return null; // no leading zeros
      let n = 0;
      while (s[i] >= '0' && s[i] <= '9') {
        if (n >= 100000000) return null; // RE2 refuses to overflow
        n = n * 10 + (s.charCodeAt(i) - 48);
        i++;
      }
      return n;
    };
    const min = readInt();
    if (min === null) return null;
    let max = min;
    if (this.src[i] === ',') {
      i++;
      if (this.src[i] === '}') max = -1;
      else {
        const m = readInt();
        if (m === null) return null;
        max = m;
      }
    }
    if (this.src[i] !== '}') return null;
    return { min, max, end: i + 1 };
  }

  /** Parses `(...)`; returns null for a flags-only group such as `(?i)`. */
  private parseGroup(): Node | null {
    const start = this.pos;
    this.pos++; // '('
    let name: string | undefined;
    let capture = true;
    const saved = { ...this.flags };
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1);
      if (rest.startsWith('P<') || (rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!'))) {
        const open = this.pos + (rest.startsWith('P<') ? 3 : 2);
        const close = this.src.indexOf('>', open);
        if (close < 0 || close === open) this.fail('invalid named capture group', start);
        name = this.src.slice(open, close);
        this.pos = close + 1;
      } else {
        this.pos++; // '?'
        if (this.parseFlags(start)) {
          return null; // `(?flags)`: applies until the end of the enclosing group
        }
        capture = false;
      }
    }
    let index = 0;
    if (capture) {
      index = this.groupNames.length;
      this.groupNames.push(name);
    }
    // RE2 has no depth limit; past this one the translator declines and re2 runs the pattern.
    if (++this.depth > 1000) this.fail('groups nested too deeply for the translator', start);
    const body = this.parseAlternation();
    this.depth--;
    if (this.peek() !== ')') this.fail('missing )', start);
    this.pos++;
    this.flags = saved;
    return capture ? { kind: 'capture', index, name, body } : body;
  }

  /** Parses flags after `(?`; true when the group ended with `)` (flags only), false after `:`. */
  private parseFlags(start: number): boolean {
    const next = { ...this.flags };
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('missing argument to perl operator', start);
      this.pos++;
      switch (c) {
        case 'i':
          next.fold = !negated;
          sawFlag = true;
          break;
        case 'm':
          next.multiLine = !negated;
          sawFlag = true;
          break;
        case 's':
          next.dotNL = !negated;
          sawFlag = true;
          break;
        case 'U':
          next.ungreedy = !negated;
          sawFlag = true;
          break;
        case '-':
          if (negated) this.fail('invalid perl operator', start);
          negated = true;
          sawFlag = false;
          break;
        case ':':
        case ')':
          if (negated && !sawFlag) this.fail('invalid perl operator', start);
          this.flags = next;
          return c === ')';
        default:
          this.fail('invalid perl operator', start);
      }
    }
  }

  /** Parses one atom onto items (\Q...\E is several literals). */
  private parseAtom(items: Node[]): void {
    const c = this.peek()!;
    switch (c) {
      case '.':
        this.pos++;
        items.push({ kind: 'dot', dotNL: this.flags.dotNL });
        return;
      case '^':
        this.pos++;
        items.push(this.assertion(this.flags.multiLine ? 'beginLine' : 'beginText'));
        return;
      case '$':
        this.pos++;
        items.push(this.assertion(this.flags.multiLine ? 'endLine' : 'endText'));
        return;
      case '[':
        items.push(this.parseClass());
        return;
      case '\\':
        this.parseEscapeAtom(items);
        return;
      default:
        items.push(this.literal(this.nextCodePoint()));
    }
  }

  private assertion(assertion: Assertion): Node {
    return { kind: 'assert', assertion };
  }

  private literal(cp: number): Node {
    return { kind: 'literal', cp, fold: this.flags.fold };
  }

  private parseEscapeAtom(items: Node[]): void {
    const start = this.pos;
    const e = this.peek(1);
    if (e === undefined) this.fail('trailing \\', start);
    switch (e) {
      case 'b':
      case 'B':
        this.pos += 2;
        items.push(this.assertion(e === 'b' ? 'wordBoundary' : 'notWordBoundary'));
        return;
      case 'A':
        this.pos += 2;
        items.push(this.assertion('beginText'));
        return;
      case 'z':
        this.pos += 2;
        items.push(this.assertion('endText'));
        return;
      case 'C':
        this.pos += 2;
        items.push({ kind: 'anyByte' });
        return;
      case 'Q': {
        this.pos += 2;
        const end = this.src.indexOf('\\E', this.pos);
        const text = this.src.slice(this.pos, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.src.length : end + 2;
        for (const ch of text) items.push(this.literal(ch.codePointAt(0)!));
        return;
      }
      case 'p':
      case 'P':
        items.push({ kind: 'class', items: [this.parseUnicodeClass()], negated: false, fold: this.flags.fold });
        return;
    }
    const perl = PERL_CLASSES[e];
    if (perl) {
      this.pos += 2;
      items.push({ kind: 'class', items: [{ kind: 'perl', ...perl }], negated: false, fold: this.flags.fold });
      return;
    }
    items.push(this.literal(this.parseEscape()));
  }

  /** Parses `\pN`, `\p{Name}`, `\p{^Name}`, `\PN`, `\P{Name}`. */
  private parseUnicodeClass(): ClassItem {
    const start = this.pos;
    let negated = this.peek(1) === 'P';
    this.pos += 2;
    if (this.peek() === undefined) this.fail('invalid character class range', start);
    let name: string;
    if (this.peek() === '{') {
      const close = this.src.indexOf('}', this.pos);
      if (close < 0) this.fail('invalid character class range', start);
      name = this.src.slice(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      name = String.fromCodePoint(this.nextCodePoint());
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === '') this.fail('invalid character class range', start);
    return { kind: 'unicode', name, negated };
  }

  /** Parses an escape that stands for one code point (shared by atoms and classes). */
  private parseEscape(): number {
    const start = this.pos;
    this.pos++; // '\'
    if (this.pos >= this.src.length) this.fail('trailing \\', start);
    const cp = this.nextCodePoint();
    const c = String.fromCodePoint(cp);
    const bad = (): never => this.fail('invalid escape sequence', start);
    if (c >= '1' && c <= '7' && !isOctal(this.peek())) bad(); // a backreference: unsupported
    if (c >= '0' && c <= '7') {
      let code = cp - 48;
      for (let k = 0; k < 2 && isOctal(this.peek()); k++) code = code * 8 + (this.src.charCodeAt(this.pos++) - 48);
      return code;
    }
    if (c === 'x') {
      if (this.peek() === '{') {
        this.pos++;
        let code = 0;
        let digits = 0;
        while (isHex(this.peek())) {
          code = code * 16 + parseInt(this.src[this.pos++], 16);
          digits++;
          if (code > MAX_RUNE) bad();
        }
        if (this.peek() !== '}' || digits === 0) bad();
        this.pos++;
        return code;
      }
      if (!isHex(this.peek()) || !isHex(this.peek(1))) bad();
      const code = parseInt(this.src.slice(this.pos, this.pos + 2), 16);
      this.pos += 2;
      return code;
    }
    if (c in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[c];
    if (cp < 0x80 && !isAsciiAlnum(cp)) return cp; // escaped punctuation is itself
    return bad();
  }

  private parseClass(): Node {
    const start = this.pos;
    this.pos++; // '['
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    while (this.pos < this.src.length && (this.peek() !== ']' || first)) {
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        const posix = this.tryPosixClass();
        if (posix) {
          items.push(posix);
          continue;
        }
      }
      const e = this.peek() === '\\' ? this.peek(1) : undefined;
      if (e === 'p' || e === 'P') {
        items.push(this.parseUnicodeClass());
        continue;
      }
      if (e !== undefined && PERL_CLASSES[e]) {
        items.push({ kind: 'perl', ...PERL_CLASSES[e] });
        this.pos += 2;
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) this.fail('invalid character class range', rangeStart);
      }
      items.push({ kind: 'range', lo, hi });
    }
    if (this.pos >= this.src.length) this.fail('missing ]', start);
    this.pos++; // ']'
    return { kind: 'class', items, negated, fold: this.flags.fold };
  }

  private classChar(): number {
    return this.peek() === '\\' ? this.parseEscape() : this.nextCodePoint();
  }

  /** `[:alpha:]` or `[:^alpha:]` inside a class; null when `[` is just a literal. */
  private tryPosixClass(): ClassItem | null {
    const close = this.src.indexOf(':]', this.pos + 2);
    if (close < 0) return null;
    let name = this.src.slice(this.pos + 2, close);
    const negated = name.startsWith('^');
    if (negated) name = name.slice(1);
    if (!Object.hasOwn(POSIX_SETS, name)) this.fail('invalid character class range', this.pos);
    this.pos = close + 2;
    return { kind: 'posix', name, negated };
  }
}
