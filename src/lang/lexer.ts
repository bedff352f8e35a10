import { Code, type Diagnostics } from './diagnostics.js';
import { parseGoInt } from '../go/strconv.js';
import type { Span } from './source.js';

export type TokenKind =
  | 'eof' | 'id' | 'builtin' | 'keyword' | 'int' | 'float' | 'duration' | 'string' | 'regex'
  | 'capref' | 'deco' | 'op' | 'invalid';

export interface Token extends Span {
  kind: TokenKind;
  /** Spelling: identifier, keyword, operator text, or the literal's decoded value. */
  text: string;
  /** A newline (or comment line) lies between the previous token and this one. */
  nlBefore: boolean;
}

export const KEYWORDS = new Set([
  'after', 'as', 'buckets', 'by', 'const', 'counter', 'def', 'del', 'else', 'gauge', 'hidden',
  'histogram', 'limit', 'next', 'otherwise', 'stop', 'text', 'timer',
]);

export const BUILTINS = new Set([
  'bool', 'float', 'getfilename', 'int', 'len', 'settime', 'string', 'strptime', 'strtol', 'subst',
  'timestamp', 'tolower',
]);

/**
 * Builtins that are logmetrics extensions (not in mtail): read as a call only
 * when an identifier of that name is followed by `(`, so an mtail program that
 * uses the name for a metric keeps its meaning. `check --strict-mtail` lists them.
 */
export const EXTENSION_BUILTINS = new Set(['json', 'logfmt']);

// Longest first, so "**" wins over "*".
const OPERATORS = [
  '++', '--', '+=', '**', '<<', '>>', '<=', '>=', '==', '!=', '=~', '!~', '&&', '||',
  '+', '-', '*', '/', '%', '<', '>', '=', '&', '|', '^', '~', '!', '{', '}', '(', ')', '[', ']', ',',
];

/**
 * U+2424 SYMBOL FOR NEWLINE: mtail's lexer reads it as the end of the program (its fuzz corpus
 * puts test input after one). As there, it ends the program only where a token would start;
 * right after a word, a number or an operator that mtail reads one character past, it only
 * ends that token and is skipped; it ends a comment, and leaves a string or a regex unterminated.
 */
export const END_MARK = '\u2424';
/** Operators mtail's lexer reads one character past, to see whether a longer one follows. */
const LOOKAHEAD_OPS = new Set(['-', '+', '*', '=', '<', '>', '!', '&', '|']);

const isDigit = (c: string) => c >= '0' && c <= '9';
// ASCII answered without a regex: nearly every character of a program is.
const isAsciiLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdStart = (c: string) => isAsciiLetter(c) || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
const isIdPart = (c: string) => isAsciiLetter(c) || isDigit(c) || c === '_' || (c > '\x7f' && /[\p{L}\p{Nd}]/u.test(c));

/**
 * A pull lexer. `/` is always returned as an operator; the parser, which knows
 * whether a pattern may start here, asks `rescanRegex` to read it as a regex
 * literal instead (TypeScript's reScanSlashToken idea).
 */
export class Lexer {
  /** Every comment read so far, in order: `#` up to (not including) the end of its line. */
  readonly comments: Span[] = [];
  private pos = 0;
  private sawNewline = false;
  /** Previous token, to tell `x -1` (minus) from `-1` (negative literal) as mtail's lexer cannot. */
  private prev: Token | undefined;
  /** Where the last token ended when mtail's lexer read one character past it (see END_MARK), else -1. */
  private readPast = -1;
  /** Whether END_MARK ended the program (reported once). */
  private ended = false;

  constructor(private readonly text: string, private readonly diags: Diagnostics) {}

  next(): Token {
    this.skipTrivia();
    while (this.text[this.pos] === END_MARK && this.pos === this.readPast) {
      // Read past by the token before: it ends that token, and lexing goes on after it.
      this.pos++;
      this.readPast = -1;
      this.skipTrivia();
    }
    const tok = this.scan();
    this.readPast = readsPast(tok) ? tok.end : -1;
    tok.nlBefore = this.sawNewline;
    this.sawNewline = false;
    this.prev = tok;
    return tok;
  }

  /** Re-reads a `/` operator token as a regex literal; mtail's `\/` becomes `/`. */
  rescanRegex(slash: Token): Token {
    let i = slash.start + 1;
    // The text read is out + t[from, i): only `\/` is respelled, the rest is copied in runs.
    let out = '';
    let from = i;
    const t = this.text;
    for (;;) {
      const c = t[i];
      if (c === undefined || c === '\n' || c === END_MARK) {
        out += t.slice(from, i);
        // `/abc {` forgot its closing slash: end the regex before the brace, so the block still parses
        // and its statements and `}` are not reported as errors too.
        const brace = /[ \t]+\{[ \t\r]*$/.exec(t.slice(slash.start + 1, i));
        if (brace && t[slash.start + brace.index] !== '\\') {
          const end = slash.start + 1 + brace.index;
          // As mtail, the position is the pattern's text, after the opening slash.
          this.diags.add(Code.UnterminatedRegex, { start: Math.min(slash.start + 1, end - 1), end }, { where: 'before the `{`' });
          this.pos = end;
          return this.finish({ kind: 'regex', text: out.slice(0, out.length - brace[0].length), start: slash.start, end, nlBefore: slash.nlBefore });
        }
        this.diags.add(Code.UnterminatedRegex, i > slash.start + 1 ? { start: slash.start + 1, end: i } : { start: slash.start, end: i }, { where: 'on the same line' });
        this.pos = c === END_MARK ? i + 1 : i; // (mtail's lexer reads on after the mark)
        return this.finish({ kind: 'regex', text: out, start: slash.start, end: i, nlBefore: slash.nlBefore });
      }
      if (c === '\\' && t[i + 1] !== undefined && t[i + 1] !== '\n' && t[i + 1] !== END_MARK) {
        if (t[i + 1] === '/') {
          out += t.slice(from, i) + '/';
          from = i + 2;
        }
        i += 2;
        continue;
      }
      if (c === '/') break;
      i++;
    }
    out += t.slice(from, i);
    this.pos = i + 1;
    return this.finish({ kind: 'regex', text: out, start: slash.start, end: i + 1, nlBefore: slash.nlBefore });
  }

  private finish(tok: Token): Token {
    this.prev = tok;
    this.readPast = -1;
    return tok;
  }

  private skipTrivia(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\n') {
        this.sawNewline = true;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '#') {
        const start = this.pos;
        while (this.pos < t.length && t[this.pos] !== '\n' && t[this.pos] !== END_MARK) this.pos++;
        this.comments.push({ start, end: this.pos });
        // The mark ends the comment, and what follows it on the line is read as program text.
        if (t[this.pos] === END_MARK) this.pos++;
      } else {
        break;
      }
    }
  }

  private tok(kind: TokenKind, text: string, start: number): Token {
    return { kind, text, start, end: this.pos, nlBefore: false };
  }

  private prevIsOperand(): boolean {
    const p = this.prev;
    if (!p) return false;
    if (p.kind === 'op') return p.text === ')' || p.text === ']' || p.text === '++' || p.text === '--';
    return p.kind === 'id' || p.kind === 'int' || p.kind === 'float' || p.kind === 'string' || p.kind === 'capref' || p.kind === 'regex';
  }

  private scan(): Token {
    const t = this.text;
    const start = this.pos;
    if (start >= t.length) return this.tok('eof', '', start);
    const c = t[start];
    if (c === END_MARK) {
      // The end of the program, for good: the position stays on the mark.
      if (!this.ended && /\S/.test(t.slice(start + 1))) this.diags.add(Code.EndMark, { start, end: start + 1 });
      this.ended = true;
      return this.tok('eof', '', start);
    }

    if (isDigit(c) || (c === '.' && isDigit(t[start + 1] ?? ''))) return this.scanNumber(start);
    // mtail lexes "-1" as a literal; after an operand on the same line we read it as minus.
    if (c === '-' && isDigit(t[start + 1] ?? '') && (!this.prevIsOperand() || this.sawNewline)) {
      this.pos++;
      return this.scanNumber(start);
    }
    if (c === '"') return this.scanString(start);
    if (c === '$') {
      this.pos++;
      while (this.pos < t.length && isIdPart(t[this.pos])) this.pos++;
      const name = t.slice(start + 1, this.pos);
      if (name === '') {
        this.diags.add(Code.BadCapref, { start, end: this.pos });
        return this.tok('invalid', '$', start);
      }
      return this.tok('capref', name, start);
    }
    if (c === '@') {
      this.pos++;
      while (this.pos < t.length && isIdPart(t[this.pos])) this.pos++;
      return this.tok('deco', t.slice(start + 1, this.pos), start);
    }
    if (isIdStart(c)) {
      this.pos++;
      while (this.pos < t.length && isIdPart(t[this.pos])) this.pos++;
      const word = t.slice(start, this.pos);
      return this.tok(KEYWORDS.has(word) ? 'keyword' : BUILTINS.has(word) ? 'builtin' : 'id', word, start);
    }
    for (const op of OPERATORS) {
      if (t.startsWith(op, start)) {
        this.pos += op.length;
        return this.tok('op', op, start);
      }
    }
    this.pos += String.fromCodePoint(t.codePointAt(start)!).length;
    this.diags.add(Code.UnexpectedChar, { start, end: this.pos }, { char: JSON.stringify(t.slice(start, this.pos)) });
    return this.tok('invalid', t.slice(start, this.pos), start);
  }

  private scanNumber(start: number): Token {
    const t = this.text;
    while (isDigit(t[this.pos] ?? '')) this.pos++;
    let isFloat = false;
    if (t[this.pos] === '.') {
      isFloat = true;
      this.pos++;
      while (isDigit(t[this.pos] ?? '')) this.pos++;
    }
    if ((t[this.pos] === 'e' || t[this.pos] === 'E') && /^[eE][+-]?\d/.test(t.slice(this.pos, this.pos + 3))) {
      isFloat = true;
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      while (isDigit(t[this.pos] ?? '')) this.pos++;
    }
    if (/^(?:ns|us|µs|ms|s|m|h|d)/.test(t.slice(this.pos, this.pos + 2))) {
      // A duration such as 30s, 1h30m, 1.5h (Go's time.ParseDuration syntax, plus d for days).
      const body = start + (t[start] === '-' ? 1 : 0);
      const m = /^(?:\d*\.?\d+(?:ns|us|µs|ms|s|m|h|d))+/.exec(t.slice(body));
      if (m) {
        this.pos = body + m[0].length;
        return this.tok('duration', t.slice(start, this.pos), start);
      }
    }
    const text = t.slice(start, this.pos);
    if (isIdPart(t[this.pos] ?? ' ')) {
      while (isIdPart(t[this.pos] ?? ' ')) this.pos++;
      this.diags.add(Code.BadNumber, { start, end: this.pos }, { text: JSON.stringify(t.slice(start, this.pos)) });
      return this.tok('invalid', text, start);
    }
    if (!isFloat && parseGoInt(text, 10) === undefined) {
      // Beyond int64: mtail's lexer makes it an INVALID token too.
      this.diags.add(Code.BadNumber, { start, end: this.pos }, { text: `${JSON.stringify(text)} (beyond the int64 range)` });
      return this.tok('invalid', text, start);
    }
    return this.tok(isFloat ? 'float' : 'int', text, start);
  }

  private scanString(start: number): Token {
    const t = this.text;
    let i = start + 1;
    // The value read is out + t[from, i): only `\"` is respelled, the rest is copied in runs.
    let out = '';
    let from = i;
    for (;;) {
      const c = t[i];
      if (c === undefined || c === '\n' || c === END_MARK) {
        out += t.slice(from, i);
        this.pos = c === END_MARK ? i + 1 : i; // (mtail's lexer reads on after the mark)
        this.diags.add(Code.UnterminatedString, { start, end: i });
        return this.tok('string', out, start);
      }
      if (c === '\\' && t[i + 1] !== undefined && t[i + 1] !== '\n' && t[i + 1] !== END_MARK) {
        // As mtail: only \" is unescaped; other escapes keep their backslash.
        if (t[i + 1] === '"') {
          out += t.slice(from, i) + '"';
          from = i + 2;
        }
        i += 2;
        continue;
      }
      if (c === '"') break;
      i++;
    }
    out += t.slice(from, i);
    this.pos = i + 1;
    return this.tok('string', out, start);
  }
}

/** Whether mtail's lexer read one character past the token (to see where it ends). */
function readsPast(tok: Token): boolean {
  switch (tok.kind) {
    case 'id':
    case 'keyword':
    case 'builtin':
    case 'int':
    case 'float':
    case 'duration':
    case 'capref':
    case 'deco':
      return true;
    case 'op':
      return LOOKAHEAD_OPS.has(tok.text);
    default:
      return false;
  }
}
