import type * as A from '../ast.js';
import { Code } from '../diagnostics.js';
import { ErrorType, isError, newVar, root, Str, typeName } from '../types.js';
import type { Checker } from './context.js';
import { checkExpr, checkPattern, toCondition } from './expr.js';

/** Checks a list of statements in the current scope. */
export function checkStmts(c: Checker, stmts: A.Stmt[]): void {
  for (const s of stmts) checkStmt(c, s);
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
      s.expr = checkExpr(c, s.expr);
      if (s.expr.kind === 'pattern') {
        c.error(Code.NotACondition, 'a pattern on its own has no effect', s.expr,
          'add a `{ ... }` block after it, or join it to the next line with `+`');
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
    c.error(Code.NotACondition, `can't use ${typeName(e.type!)} as a condition`, e,
      'compare it explicitly, for example `x > 0`');
  }
  return e;
}

function declareMetric(c: Checker, d: A.VarDecl): void {
  const prev = c.scope.names.get(d.name);
  if (prev) {
    c.error(Code.Redeclared, `\`${d.name}\` is already declared at ${posOf(c, prev)}`, d.nameSpan);
    return;
  }
  if (d.buckets && d.metric !== 'histogram') {
    c.error(Code.BadBuckets, `only histograms take buckets, and \`${d.name}\` is a ${d.metric}`, d);
  }
  if (d.metric === 'histogram') {
    if (!d.buckets || d.buckets.length === 0) {
      c.error(Code.BadBuckets, `histogram \`${d.name}\` needs bucket bounds`, d, 'add `buckets 0.1, 0.5, 1, 5`');
    } else {
      for (let i = 1; i < d.buckets.length; i++) {
        if (!(d.buckets[i] > d.buckets[i - 1])) {
          c.error(Code.BadBuckets, `bucket bounds of \`${d.name}\` must increase: ${d.buckets[i]} follows ${d.buckets[i - 1]}`, d);
          break;
        }
      }
    }
  }
  if (d.limit !== null && d.limit <= 0) c.error(Code.BadDeclaration, '`limit` must be a positive number', d);
  d.valueType = newVar();
  if (d.metric === 'text') d.valueType.instance = Str;
  d.keyTypes = d.keys.map(() => newVar());
  d.used = false;
  c.scope.names.set(d.name, d);
  c.metrics.push(d);
}

function declareConst(c: Checker, d: A.ConstDecl): void {
  if (c.scope.names.get(d.name)) {
    c.error(Code.Redeclared, `\`${d.name}\` is already declared at ${posOf(c, c.scope.names.get(d.name)!)}`, d.nameSpan);
    return;
  }
  const value = d.value.kind === 'pattern' ? d.value : ({ kind: 'pattern', parts: [d.value], start: d.value.start, end: d.value.end } as A.PatternExpr);
  const source = checkPattern(c, value, { register: false });
  if (source !== undefined) d.pattern = source;
  d.used = false;
  c.scope.names.set(d.name, d);
  c.consts.push(d);
}

function declareDecorator(c: Checker, d: A.DecoDecl): void {
  if (c.scope.lookupDecorator(d.name)) {
    c.error(Code.Redeclared, `decorator \`@${d.name}\` is already defined`, d);
    return;
  }
  c.decoStack.push({ decl: d, nextScope: null });
  checkBlock(c, d.body);
  const frame = c.decoStack.pop()!;
  if (!frame.nextScope) {
    c.error(Code.NoNextInDecorator, `decorator \`@${d.name}\` has no \`next\``, d, 'put `next` where the decorated block should run');
  } else {
    c.nextScopes.set(d, frame.nextScope);
  }
  d.used = false;
  c.scope.decorators.set(d.name, d);
  c.decorators.push(d);
}

function checkNext(c: Checker, s: A.NextStmt): void {
  const frame = c.decoStack[c.decoStack.length - 1];
  if (!frame) {
    c.error(Code.NextOutsideDecorator, '`next` can only be used inside a decorator definition', s, 'define one with `def name { ... next ... }`');
    return;
  }
  if (frame.nextScope) {
    c.error(Code.NextTwice, `\`next\` appears twice in decorator \`@${frame.decl.name}\``, s);
    return;
  }
  frame.nextScope = c.scope;
}

function checkDecoration(c: Checker, s: A.DecoStmt): void {
  const decl = c.scope.lookupDecorator(s.name);
  if (!decl) {
    const inside = c.decoStack.some((f) => f.decl.name === s.name);
    c.error(Code.UnknownDecorator, inside ? `decorator \`@${s.name}\` is used inside its own definition` : `decorator \`@${s.name}\` is not defined`, s,
      inside ? undefined : `define it earlier: \`def ${s.name} { ... next ... }\``);
    c.inScope(() => checkStmts(c, s.body.body));
    return;
  }
  decl.used = true;
  s.decl = decl;
  c.inScope(() => checkStmts(c, s.body.body), c.nextScopes.get(decl) ?? null);
}

function checkDelete(c: Checker, s: A.DelStmt): void {
  const t = checkExpr(c, s.target, { lvalue: true });
  s.target = t;
  if (t.kind !== 'index' || t.keys.length === 0) {
    if (!isError(t.type ?? ErrorType)) {
      c.error(Code.BadDelete, 'only an element of a metric with labels can be deleted', s.target,
        'write `del metric[$label]`');
    }
  }
}

function posOf(c: Checker, d: A.VarDecl | A.ConstDecl): string {
  const p = c.src.position(d.nameSpan.start);
  return `${c.src.path}:${p.line}:${p.col}`;
}
