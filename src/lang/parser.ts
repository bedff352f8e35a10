import type * as A from './ast.js';
import { Code, type Diagnostics, type MessageArgs } from './diagnostics.js';
import { parseDuration } from '../go/duration.js';
import { parseGoInt } from '../go/strconv.js';
import { EXTENSION_BUILTINS, Lexer, type Token } from './lexer.js';
import type { Span } from './source.js';

/**
 * How deeply blocks, parentheses, brackets, calls and unary operators may nest in the text.
 * The parser recurses at each of them, so this bound keeps any program text from exhausting
 * the stack. It is not mtail's -max_recursion_depth (that one is counted on the tree, see
 * depth.ts, and is 100 by default): only parentheses escape that count, and mtail, whose
 * parser keeps its own stack, has no such bound. 500 is far beyond what programs write, and half of what the default stack survives.
 */
export const MAX_NESTING = 500;

const METRIC_KINDS = new Set(['counter', 'gauge', 'histogram', 'timer', 'text']);
// Binary operators by precedence level, lowest first, all left-associative as in mtail's grammar
// (so `2 * 3 ** 2` is 36 and `a || b && c` is `(a || b) && c`).
const LEVELS: string[][] = [
  ['&&', '||'],
  ['&', '|', '^'],
  ['<', '>', '<=', '>=', '==', '!='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%', '**'],
];

class Abort extends Error {}

/**
 * mtail's grammar (conditional_expr) reads a condition that starts with a pattern and a
 * logical operator as `PATTERN op (rest)`: `/x/ && a || b` is `/x/ && (a || b)`, so a
 * line the pattern does not match never reads the pattern's captures in `b`. Elsewhere
 * `&&` and `||` chain from the left, as in mtail's logical_expr.
 */
function patternFirst(e: A.Expr): A.Expr {
  const spine: A.BinaryExpr[] = [];
  let x = e;
  while (x.kind === 'binary' && (x.op === '&&' || x.op === '||')) {
    spine.push(x);
    x = x.lhs;
  }
  if (spine.length < 2 || (x.kind !== 'pattern' && x.kind !== 'regex')) return e;
  const first = spine[spine.length - 1];
  let rest = first.rhs;
  for (let i = spine.length - 2; i >= 0; i--) rest = { ...spine[i], lhs: rest, start: rest.start };
  return { ...first, rhs: rest, end: rest.end };
}

/** Parses a program into an AST, reporting every syntax error it can recover from. */
export function parse(text: string, diags: Diagnostics): A.Program {
  return new Parser(text, diags).program();
}

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  private depth = 0;

  constructor(private readonly text: string, private readonly diags: Diagnostics) {
    this.lexer = new Lexer(text, diags);
    this.tok = this.lexer.next();
  }

  program(): A.Program {
    const body: A.Stmt[] = [];
    try {
      while (this.tok.kind !== 'eof') {
        if (this.isOp('}')) {
          this.error(this.tok, Code.UnmatchedBrace);
          this.advance();
          continue;
        }
        const s = this.statementWithRecovery();
        if (s) body.push(s);
      }
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
    }
    return { kind: 'program', body, start: 0, end: this.text.length };
  }

  // ---- token helpers

  private advance(): Token {
    const t = this.tok;
    this.prevEnd = t.end;
    this.tok = this.lexer.next();
    return t;
  }

  /** The current token, read through a call so TypeScript does not keep a narrowed kind across advance(). */
  private peek(): Token {
    return this.tok;
  }

  private isOp(text: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === text;
  }

  private isKeyword(text: string): boolean {
    return this.tok.kind === 'keyword' && this.tok.text === text;
  }

  /** An operator that continues an expression must be on the same line, as mtail's NL token demands. */
  private isContinuation(ops: readonly string[]): boolean {
    return this.tok.kind === 'op' && !this.tok.nlBefore && ops.includes(this.tok.text);
  }

  private expectOp(text: string, what: string): Token {
    if (this.isOp(text)) return this.advance();
    this.expected(this.tok, `\`${text}\` ${what}`);
    throw new SyntaxAbort();
  }

  private error(span: Span, code: Code, args: MessageArgs = {}): void {
    // The lexer has already reported an invalid token; a syntax error about the same token adds nothing.
    if ((span as Partial<Token>).kind === 'invalid') return;
    this.diags.add(code, span.end > span.start ? span : { start: span.start, end: span.start + 1 }, args);
  }

  /** "expected X, found <the token>" at a token. */
  private expected(t: Token, expected: string): void {
    this.error(t, Code.Expected, { expected, found: describe(t) });
  }

  private enter(span: Span): void {
    if (++this.depth > MAX_NESTING) {
      this.diags.add(Code.TooNested, span, { max: MAX_NESTING });
      throw new Abort();
    }
  }

  private leave(): void {
    this.depth--;
  }

  // ---- statements

  private statementWithRecovery(): A.Stmt | null {
    const startTok = this.tok;
    const depth = this.depth;
    try {
      return this.statement();
    } catch (e) {
      if (!(e instanceof SyntaxAbort)) throw e;
      // The abandoned statement never left the levels it entered; without this, many syntax
      // errors would add up to a false "nested deeper" error.
      this.depth = depth;
      // Skip to the start of the next line (or a brace) and go on, so later errors are reported too.
      if (this.tok === startTok && this.tok.kind !== 'eof') this.advance();
      while (this.tok.kind !== 'eof' && !this.tok.nlBefore && !this.isOp('}') && !this.isOp('{')) this.advance();
      if (this.isOp('{')) this.block();
      return null;
    }
  }

  private statement(): A.Stmt | null {
    const t = this.tok;
    if (t.kind === 'keyword') {
      if (t.text === 'hidden' || METRIC_KINDS.has(t.text)) return this.declaration();
      switch (t.text) {
        case 'const': return this.constDecl();
        case 'def': return this.decoDecl();
        case 'del': return this.delStmt();
        case 'next': this.advance(); this.endStatement(); return { kind: 'next', start: t.start, end: t.end };
        case 'stop': this.advance(); this.endStatement(); return { kind: 'stop', start: t.start, end: t.end };
        case 'otherwise': {
          this.advance();
          const then = this.block();
          return { kind: 'cond', cond: null, then, else: null, start: t.start, end: then.end };
        }
        default:
          this.error(t, Code.UnexpectedKeyword, { keyword: t.text });
          throw new SyntaxAbort();
      }
    }
    if (t.kind === 'deco') {
      this.advance();
      const body = this.block();
      return { kind: 'deco', name: t.text, body, start: t.start, end: body.end };
    }
    if (this.isOp('{')) {
      this.error(t, Code.BlockWithoutCondition);
      // Read the block anyway, so its `}` and contents are not reported again.
      this.block();
      return null;
    }
    const expr = this.assignment();
    if (this.isOp('{')) {
      if (expr.kind === 'binary' && (expr.op === '=' || expr.op === '+=')) {
        this.error(expr.opSpan, Code.AssignmentAsCondition);
      }
      const then = this.block();
      let otherwise: A.Block | null = null;
      if (this.isKeyword('else')) {
        this.advance();
        otherwise = this.block();
      }
      return { kind: 'cond', cond: patternFirst(expr), then, else: otherwise, start: expr.start, end: (otherwise ?? then).end };
    }
    this.endStatement();
    if (!hasEffect(expr)) this.error(expr, Code.NoEffect);
    return { kind: 'exprstmt', expr, start: expr.start, end: expr.end };
  }

  /** A statement ends at a newline, a `}` or the end of the program. */
  private endStatement(): void {
    if (this.tok.kind === 'eof' || this.tok.nlBefore || this.isOp('}')) return;
    this.error(this.tok, Code.TrailingTokens, { found: describe(this.tok) });
    throw new SyntaxAbort();
  }

  private block(): A.Block {
    const open = this.expectOp('{', 'to open a block');
    this.enter(open);
    const body: A.Stmt[] = [];
    while (!this.isOp('}')) {
      if (this.tok.kind === 'eof') {
        this.error({ start: open.start, end: open.end }, Code.UnclosedBlock);
        throw new Abort();
      }
      const s = this.statementWithRecovery();
      if (s) body.push(s);
    }
    const close = this.advance();
    this.leave();
    return { kind: 'block', body, start: open.start, end: close.end };
  }

  /**
   * The comment lines directly above `start` (each alone on its line, no blank line
   * between), without their `#`s, joined by spaces; null when there are none.
   */
  private docAbove(start: number): string | null {
    const t = this.text;
    const lines: string[] = [];
    let at = start;
    for (let i = this.lexer.comments.length - 1; i >= 0; i--) {
      const c = this.lexer.comments[i]!;
      if (c.end > at) continue;
      // Only blanks and exactly one line end between the comment and what follows it.
      if (!/^[ \t\r]*\n[ \t]*$/.test(t.slice(c.end, at))) break;
      const lineStart = t.lastIndexOf('\n', c.start - 1) + 1;
      if (t.slice(lineStart, c.start).trim() !== '') break;
      lines.unshift(t.slice(c.start, c.end).replace(/^#+/, '').trim());
      at = lineStart;
    }
    const doc = lines.filter((l) => l !== '').join(' ');
    return doc === '' ? null : doc;
  }

  private declaration(): A.VarDecl {
    const start = this.tok.start;
    let hidden = false;
    if (this.isKeyword('hidden')) {
      hidden = true;
      this.advance();
    }
    if (this.tok.kind !== 'keyword' || !METRIC_KINDS.has(this.tok.text)) {
      this.expected(this.tok, 'a metric kind (counter, gauge, histogram, timer, text) after `hidden`');
      throw new SyntaxAbort();
    }
    const metric = this.advance().text as A.MetricKind;
    const nameTok = this.tok;
    // The name must be on the declaration's line: `counter` alone must not swallow the next statement.
    if ((nameTok.kind !== 'id' && nameTok.kind !== 'string' && nameTok.kind !== 'builtin') || nameTok.nlBefore) {
      const at = nameTok.nlBefore ? { start: this.prevEnd, end: this.prevEnd } : nameTok;
      this.error(at, Code.Expected, { expected: `a metric name after \`${metric}\``, found: nameTok.nlBefore ? 'the end of the line' : describe(nameTok) });
      throw new SyntaxAbort();
    }
    this.advance();
    const decl: A.VarDecl = {
      kind: 'decl', metric, name: nameTok.text, nameSpan: { start: nameTok.start, end: nameTok.end },
      exportedName: null, keys: [], buckets: null, limit: null, hidden, doc: this.docAbove(start), start, end: nameTok.end,
    };
    while (this.tok.kind === 'keyword' && !this.tok.nlBefore) {
      const attr = this.advance();
      if (attr.text === 'by') {
        decl.keys = this.commaList('a label name', (t) => (t.kind === 'id' || t.kind === 'string' || t.kind === 'builtin' || t.kind === 'keyword' ? t.text : undefined));
      } else if (attr.text === 'as') {
        if (this.peek().kind !== 'string') {
          this.expected(this.tok, 'a quoted name after `as`');
          throw new SyntaxAbort();
        }
        decl.exportedName = this.advance().text;
      } else if (attr.text === 'buckets') {
        decl.buckets = this.commaList('a bucket bound', (t) => (t.kind === 'int' || t.kind === 'float' ? Number(t.text) : undefined));
      } else if (attr.text === 'limit') {
        if (this.peek().kind !== 'int') {
          this.expected(this.tok, 'a number after `limit`');
          throw new SyntaxAbort();
        }
        decl.limit = Number(this.advance().text);
      } else {
        this.error(attr, Code.BadDeclAttribute, { attr: attr.text });
        throw new SyntaxAbort();
      }
      decl.end = this.prevEnd;
    }
    decl.end = this.prevEnd;
    // No end of statement is required: mtail's grammar lets the next statement follow a
    // declaration on its line (`gauge g /(\d+)/ {`, `counter c c++`).
    return decl;
  }

  private prevEnd = 0;

  private commaList<T>(what: string, accept: (t: Token) => T | undefined): T[] {
    const out: T[] = [];
    for (;;) {
      const v = accept(this.tok);
      if (v === undefined) {
        this.expected(this.tok, what);
        throw new SyntaxAbort();
      }
      out.push(v);
      this.advance();
      if (!this.isContinuation([','])) return out;
      this.advance();
    }
  }

  private constDecl(): A.ConstDecl {
    const start = this.advance().start;
    const nameTok = this.tok;
    if (nameTok.kind !== 'id') {
      this.expected(nameTok, 'a name after `const`');
      throw new SyntaxAbort();
    }
    this.advance();
    const value = this.additive();
    this.endStatement();
    return { kind: 'const', name: nameTok.text, nameSpan: { start: nameTok.start, end: nameTok.end }, value, start, end: value.end };
  }

  private decoDecl(): A.DecoDecl {
    const start = this.advance().start;
    const nameTok = this.tok;
    if (nameTok.kind !== 'id') {
      this.expected(nameTok, 'a decorator name after `def`');
      throw new SyntaxAbort();
    }
    this.advance();
    const body = this.block();
    return { kind: 'def', name: nameTok.text, body, start, end: body.end };
  }

  private delStmt(): A.DelStmt {
    const start = this.advance().start;
    const target = this.postfix();
    let expiryMs: number | null = null;
    let end = target.end;
    if (this.isKeyword('after') && !this.tok.nlBefore) {
      this.advance();
      const d = this.tok;
      const ms = d.kind === 'duration' ? parseDuration(d.text) : undefined;
      if (ms === undefined) {
        this.diags.add(Code.BadDuration, d, { found: describe(d) });
        throw new SyntaxAbort();
      }
      this.advance();
      expiryMs = ms;
      end = d.end;
    }
    this.endStatement();
    return { kind: 'del', target, expiryMs, start, end };
  }

  // ---- expressions

  private assignment(): A.Expr {
    const lhs = this.binary(0);
    if (this.isContinuation(['=', '+='])) {
      const op = this.advance();
      const rhs = this.binary(0);
      return { kind: 'binary', op: op.text as A.BinaryOp, lhs, rhs, opSpan: op, start: lhs.start, end: rhs.end };
    }
    return lhs;
  }

  private additive(): A.Expr {
    return this.binary(LEVELS.length - 2);
  }

  /**
   * Operators of precedence `minLevel` and above, by precedence climbing: one call reads a
   * whole chain in a loop and recurses only for a tighter operator on the right, so a
   * parenthesis costs a few stack frames, not one per precedence level. The tree leans left
   * and is as deep as the chain is long, which depth.ts counts as mtail does.
   */
  private binary(minLevel: number): A.Expr {
    let lhs = this.unary();
    for (;;) {
      const level = this.binaryLevel();
      if (level < minLevel) return lhs;
      const op = this.advance();
      const rhs = this.binary(level + 1);
      lhs = { kind: 'binary', op: op.text as A.BinaryOp, lhs, rhs, opSpan: op, start: lhs.start, end: rhs.end };
    }
  }

  /** The precedence level of the current token when it continues an expression, else -1. */
  private binaryLevel(): number {
    if (this.tok.kind !== 'op' || this.tok.nlBefore) return -1;
    const text = this.tok.text;
    return LEVELS.findIndex((ops) => ops.includes(text));
  }

  private unary(): A.Expr {
    if (this.isOp('~') || this.isOp('!')) {
      const op = this.advance();
      this.enter(op);
      const expr = this.unary();
      this.leave();
      return { kind: 'unary', op: op.text as '!' | '~', expr, start: op.start, end: expr.end };
    }
    return this.postfix();
  }

  private postfix(): A.Expr {
    let expr = this.primary();
    // Like a binary chain, `x++ ++` or `a =~ /x/ =~ /y/` is read in a loop (depth.ts counts it).
    for (;;) {
      if (this.isContinuation(['++', '--'])) {
        const op = this.advance();
        expr = { kind: 'postfix', op: op.text as '++' | '--', expr, start: expr.start, end: op.end };
      } else if (this.isContinuation(['=~', '!~'])) {
        const op = this.advance();
        const rhs = this.isOp('/') ? this.pattern() : this.primary();
        expr = { kind: 'binary', op: op.text as A.BinaryOp, lhs: expr, rhs, opSpan: op, start: expr.start, end: rhs.end };
      } else {
        return expr;
      }
    }
  }

  /** Regex literals joined by `+` with other literals or const names: `/a/ + NAME + /b/`. */
  private pattern(): A.PatternExpr {
    const parts: A.Expr[] = [this.regexLiteral()];
    while (this.isContinuation(['+'])) {
      this.advance();
      if (this.isOp('/')) parts.push(this.regexLiteral());
      else if (this.tok.kind === 'id') {
        const t = this.advance();
        parts.push({ kind: 'ident', name: t.text, start: t.start, end: t.end });
      } else {
        this.expected(this.tok, 'a regex or a const name after `+` in a pattern');
        throw new SyntaxAbort();
      }
    }
    return { kind: 'pattern', parts, start: parts[0].start, end: parts[parts.length - 1].end };
  }

  private regexLiteral(): A.RegexLit {
    const t = this.lexer.rescanRegex(this.tok);
    this.tok = this.lexer.next();
    this.prevEnd = t.end;
    return { kind: 'regex', source: t.text, start: t.start, end: t.end };
  }

  private primary(): A.Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'int': this.advance(); return { kind: 'int', value: parseGoInt(t.text, 10) ?? 0, start: t.start, end: t.end };
      case 'float': this.advance(); return { kind: 'float', value: Number(t.text), start: t.start, end: t.end };
      case 'string': this.advance(); return { kind: 'string', value: t.text, start: t.start, end: t.end };
      case 'capref': this.advance(); return { kind: 'capref', name: t.text, start: t.start, end: t.end };
      case 'builtin': return this.call();
      case 'id': {
        this.advance();
        // json(…) and logfmt(…) are builtins only when called: `json` stays an ordinary name elsewhere.
        if (EXTENSION_BUILTINS.has(t.text) && this.isContinuation(['('])) return this.callArgs(t);
        const target: A.Ident = { kind: 'ident', name: t.text, start: t.start, end: t.end };
        if (!this.isContinuation(['['])) return target;
        const keys: A.Expr[] = [];
        let end = t.end;
        // Both m[$a][$b] and m[$a, $b] index a metric with two dimensions.
        while (this.isContinuation(['['])) {
          const open = this.advance();
          this.enter(open);
          for (const k of this.argList(']')) keys.push(k); // not spread: a list may be longer than a call's arguments
          end = this.expectOp(']', 'to close the index').end;
          this.leave();
        }
        return { kind: 'index', target, keys, start: t.start, end };
      }
      case 'op':
        if (t.text === '/') return this.pattern();
        if (t.text === '(') {
          this.advance();
          this.enter(t);
          const e = this.binary(0);
          const close = this.expectOp(')', 'to close the parenthesis');
          this.leave();
          // Keep the parenthesised span so diagnostics point at the whole group.
          return { ...e, start: t.start, end: close.end, parenthesized: true };
        }
        break;
      default:
        break;
    }
    this.expected(t, 'an expression');
    throw new SyntaxAbort();
  }

  private call(): A.CallExpr {
    const name = this.advance();
    if (!this.isContinuation(['('])) {
      this.expected(this.tok, `\`(\` after the builtin \`${name.text}\``);
      throw new SyntaxAbort();
    }
    return this.callArgs(name);
  }

  /** The arguments of a call whose name was just read; the current token is its `(`. */
  private callArgs(name: Token): A.CallExpr {
    const open = this.advance();
    this.enter(open);
    const args = this.isOp(')') ? [] : this.argList(')');
    const close = this.expectOp(')', `to close the call to ${name.text}()`);
    this.leave();
    return { kind: 'call', name: name.text, args, start: name.start, end: close.end };
  }

  private argList(close: string): A.Expr[] {
    const args: A.Expr[] = [];
    for (;;) {
      args.push(this.isOp('/') ? this.pattern() : this.binary(0));
      if (this.isOp(close)) return args;
      this.expectOp(',', `or \`${close}\` between arguments`);
    }
  }
}

class SyntaxAbort extends Error {}

/**
 * mtail's grammar takes an expression as a statement only when it is an assignment or a
 * postfix expression (a name, an index, a call, a literal, `x++`, anything in parentheses):
 * `$a - $b` or `x < 3` alone is its syntax error "statement with no effect". Patterns are
 * left to the checker, which tells a pattern constant (accepted) from a regex (E063).
 */
function hasEffect(e: A.Expr): boolean {
  if (e.parenthesized) return true;
  switch (e.kind) {
    case 'binary': return e.op === '=' || e.op === '+=';
    case 'unary': return false;
    default: return true;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the program';
    case 'string': return `the string "${t.text}"`;
    case 'regex': return `the regex /${t.text}/`;
    case 'capref': return `$${t.text}`;
    case 'deco': return `@${t.text}`;
    case 'keyword': return `the keyword \`${t.text}\``;
    default: return `\`${t.text}\``;
  }
}
