import type * as A from '../ast.js';
import { sanitizeMetricName } from '../../metrics/names.js';
import { Code } from '../diagnostics.js';
import { ErrorType, isError, newVar, root, Str, typeName } from '../types.js';
import type { Span } from '../source.js';
import type { Checker } from './context.js';
import { checkExpr, checkPattern, toCondition } from './expr.js';

/** Checks a list of statements in the current scope. */
export function checkStmts(c: Checker, stmts: A.Stmt[]): void {
  for (const s of stmts) checkStmt(c, s);
  // A pattern constant alone is a no-op (W001): drop it, so code generation never sees a
  // pattern that is neither matched nor a condition.
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i];
    if (s.kind === 'exprstmt' && s.expr.kind === 'pattern') stmts.splice(i, 1);
  }
}

function checkBlock(c: Checker, b: A.Block): void {
  c.inScope(() => checkStmts(c, b.body));
}

function checkStmt(c: Checker, s: A.Stmt): void {
  switch (s.kind) {
    case 'block': return checkBlock(c, s);
    case 'decl': return declareMetric(c, s);
    case 'const': return declareConst(c, s);
    case 'def': return declareDecorator(c, s);
    case 'deco': return checkDecoration(c, s);
    case 'next': return checkNext(c, s);
    case 'stop': return;
    case 'del': return checkDelete(c, s);
    case 'exprstmt': {
      const alone = s.expr.kind === 'ident' ? s.expr : null;
      s.expr = checkExpr(c, s.expr);
      if (s.expr.kind === 'pattern') {
        // mtail accepts a pattern constant alone as a statement (and counts it as used); a regex
        // literal alone is its syntax error "statement with no effect".
        if (alone) c.error(Code.ConstStatement, s.expr, { name: alone.name });
        else c.error(Code.PatternStatement, s.expr);
      }
      return;
    }
    case 'cond': return checkCond(c, s);
  }
}

function checkCond(c: Checker, s: A.CondStmt): void {
  c.inScope(() => {
    if (s.cond) s.cond = asCondition(c, checkExpr(c, s.cond));
    checkBlock(c, s.then);
    if (s.else) checkBlock(c, s.else);
  });
}

/** A condition is a boolean expression; a bare pattern matches the line. */
export function asCondition(c: Checker, checked: A.Expr): A.Expr {
  const e = toCondition(c, checked);
  if (isError(e.type!)) return e;
  const k = root(e.type!).kind;
  const isBoolish = e.kind === 'binary' || e.kind === 'unary' || k === 'bool';
  if (!isBoolish) {
    c.error(Code.NotACondition, e, { type: typeName(e.type!) });
  }
  return e;
}

function declareMetric(c: Checker, d: A.VarDecl): void {
  const prev = c.scope.names.get(d.name);
  if (prev) {
    c.error(Code.Redeclared, d.nameSpan, { name: d.name, previous: posOf(c, prev.nameSpan) });
    return;
  }
  if (d.buckets && d.metric !== 'histogram') {
    // From the name, where mtail points, through the buckets the message is about.
    c.error(Code.BucketsNotHistogram, { start: d.nameSpan.start, end: d.end }, { name: d.name, kind: d.metric });
  }
  if (d.metric === 'histogram') {
    if (!d.buckets || d.buckets.length === 0) {
      c.error(Code.HistogramWithoutBuckets, d, { name: d.name });
    } else {
      for (let i = 1; i < d.buckets.length; i++) {
        if (!(d.buckets[i] > d.buckets[i - 1])) {
          c.error(Code.BucketsNotIncreasing, d, { name: d.name, bound: d.buckets[i], previous: d.buckets[i - 1] });
          break;
        }
      }
    }
  }
  if (d.limit !== null && d.limit <= 0) c.error(Code.BadLimit, d);
  const requested = d.exportedName ?? d.name;
  const exported = sanitizeMetricName(requested);
  if (exported !== requested) c.error(Code.RenamedForExport, d, { name: d.name, requested, exported });
  d.valueType = newVar();
  if (d.metric === 'text') d.valueType.instance = Str;
  d.keyTypes = d.keys.map(() => newVar());
  d.used = false;
  c.scope.names.set(d.name, d);
  c.metrics.push(d);
}

function declareConst(c: Checker, d: A.ConstDecl): void {
  if (c.scope.names.get(d.name)) {
    c.error(Code.Redeclared, d.nameSpan, { name: d.name, previous: posOf(c, c.scope.names.get(d.name)!.nameSpan) });
    return;
  }
  const value = d.value.kind === 'pattern' ? d.value : ({ kind: 'pattern', parts: [d.value], start: d.value.start, end: d.value.end } as A.PatternExpr);
  const source = checkPattern(c, value, { register: false });
  if (source !== undefined) d.pattern = source;
  // `const P // + P` names itself: mtail reports the use and counts it as one, so no "never used" too.
  d.used = value.parts.some((p) => p.kind === 'ident' && p.name === d.name);
  c.scope.names.set(d.name, d);
  c.consts.push(d);
}

function declareDecorator(c: Checker, d: A.DecoDecl): void {
  if (c.scope.lookupDecorator(d.name)) {
    c.error(Code.Redeclared, d, { name: `@${d.name}`, previous: posOf(c, c.scope.lookupDecorator(d.name)!) });
    return;
  }
  d.used = false;
  c.decoStack.push({ decl: d, nextScope: null, expansion: 0 });
  checkBlock(c, d.body);
  const frame = c.decoStack.pop()!;
  c.expansions.set(d, frame.expansion);
  if (!frame.nextScope) {
    c.error(Code.NoNextInDecorator, d, { name: d.name });
  } else {
    c.nextScopes.set(d, frame.nextScope);
  }
  c.scope.decorators.set(d.name, d);
  c.decorators.push(d);
}

function checkNext(c: Checker, s: A.NextStmt): void {
  const frame = c.decoStack[c.decoStack.length - 1];
  if (!frame) {
    c.error(Code.NextOutsideDecorator, s);
    return;
  }
  if (frame.nextScope) {
    c.error(Code.NextTwice, s, { name: frame.decl.name });
    return;
  }
  frame.nextScope = c.scope;
}

function checkDecoration(c: Checker, s: A.DecoStmt): void {
  const decl = c.scope.lookupDecorator(s.name);
  if (!decl) {
    const inside = c.decoStack.find((f) => f.decl.name === s.name);
    // A use inside its own definition is still a use (mtail marks it so): one error, not two.
    if (inside) inside.decl.used = true;
    c.error(inside ? Code.DecoratorInItself : Code.UnknownDecorator, s, { name: s.name });
    c.inScope(() => checkStmts(c, s.body.body));
    return;
  }
  decl.used = true;
  // Each decoration inlines its decorator's body, which may itself be decorated: a chain of
  // decorators nests the generated code, and the checker and code generator recurse on it.
  // mtail's checker does not look through decorators (it walks each body once), so this
  // bound is ours: a chain longer than --max-recursion-depth is refused. Without it, a chain
  // thousands deep overflowed the stack.
  const expansion = 1 + (c.expansions.get(decl) ?? 0);
  if (expansion > c.limits.maxRecursionDepth) {
    // One report: the decorations after it are as deep.
    if (!c.diags.list.some((d) => d.code === Code.DecoratorsTooDeep)) c.error(Code.DecoratorsTooDeep, s, { name: s.name, max: c.limits.maxRecursionDepth });
    c.inScope(() => checkStmts(c, s.body.body));
    return;
  }
  const frame = c.decoStack[c.decoStack.length - 1];
  if (frame) frame.expansion = Math.max(frame.expansion, expansion);
  s.decl = decl;
  c.inScope(() => checkStmts(c, s.body.body), c.nextScopes.get(decl) ?? null);
}

function checkDelete(c: Checker, s: A.DelStmt): void {
  const t = checkExpr(c, s.target, { lvalue: true });
  s.target = t;
  if (t.kind !== 'index' || t.keys.length === 0) {
    if (!isError(t.type ?? ErrorType)) {
      c.error(Code.BadDelete, s.target);
    }
  }
}

function posOf(c: Checker, at: Span): string {
  const p = c.src.position(at.start);
  return `${c.src.path}:${p.line}:${p.col}`;
}
