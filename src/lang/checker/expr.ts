import type * as A from '../ast.js';
import { Code } from '../diagnostics.js';
import * as int64 from '../../go/int64.js';
import { pow as goPow } from '../../go/math.js';
import { Bool, ErrorType, Float, Int, isError, lub, Pattern, root, Str, type Type, typeName, unify } from '../types.js';
import { checkCall } from './call.js';
import type { Checker } from './context.js';

export interface ExprOptions {
  /** The expression is assigned to, incremented or deleted. */
  lvalue?: boolean;
}

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);
const BITWISE = new Set(['&', '|', '^', '<<', '>>']);
const COMPARISON = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** Type-checks an expression, returning it (or its rewrite) with `.type` set. */
export function checkExpr(c: Checker, e: A.Expr, opts: ExprOptions = {}): A.Expr {
  switch (e.kind) {
    case 'int': e.type = Int; return e;
    case 'float': e.type = Float; return e;
    case 'string': e.type = Str; return e;
    case 'regex': return checkExpr(c, { kind: 'pattern', parts: [e], start: e.start, end: e.end });
    case 'pattern': checkPattern(c, e, { register: false }); return e;
    case 'capref': return checkCapref(c, e);
    case 'ident': return checkIdent(c, e, opts);
    case 'index': return checkIndex(c, e);
    case 'call': return checkCall(c, e);
    case 'unary': return checkUnary(c, e);
    case 'postfix': return checkPostfix(c, e);
    case 'binary': return checkBinary(c, e);
    case 'conv': return e;
  }
}

/** Makes a checked expression a boolean test: a pattern matches the line. */
export function toCondition(c: Checker, e: A.Expr): A.Expr {
  if (e.kind === 'pattern') {
    registerMatch(c, e, true);
    return { kind: 'unary', op: 'match', expr: e, type: Bool, start: e.start, end: e.end };
  }
  return e;
}

/**
 * Evaluates a pattern's parts into one RE2 source and validates it. With
 * `register`, gives it a slot in the program's regex table and declares its
 * capture groups.
 */
export function checkPattern(c: Checker, p: A.PatternExpr, opts: { register: boolean; defines?: boolean }): string | undefined {
  p.type = Pattern;
  if (p.source === undefined) {
    let source = '';
    let ok = true;
    for (const part of p.parts) {
      if (part.kind === 'regex') source += part.source;
      else if (part.kind === 'int') source += String(part.value);
      else if (part.kind === 'float') source += String(part.value);
      else if (part.kind === 'string') source += part.value;
      else if (part.kind === 'ident') {
        const d = c.scope.lookupName(part.name);
        if (!d) {
          c.error(Code.UnknownName, part, { name: part.name, declaration: `const ${part.name} /.../` });
          ok = false;
        } else if (d.kind !== 'const') {
          // A use, if a wrong one: no "declared but never used" on top (mtail does the same).
          d.used = true;
          c.error(Code.MetricInPattern, part, { name: part.name, kind: d.metric });
          ok = false;
        } else {
          d.used = true;
          if (d.pattern === undefined) ok = false;
          else source += d.pattern;
        }
      } else {
        c.error(Code.BadPatternPart, part);
        ok = false;
      }
    }
    if (!ok) {
      p.type = ErrorType;
      return undefined;
    }
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > c.limits.maxRegexLength) {
      c.error(Code.RegexTooLong, p, { bytes, max: c.limits.maxRegexLength });
      p.type = ErrorType;
      return undefined;
    }
    const check = c.regex(source).check;
    if (!check.ok) {
      c.error(Code.BadRegex, p, { reason: check.message });
      p.type = ErrorType;
      return undefined;
    }
    p.source = source;
  }
  if (opts.register) registerMatch(c, p, opts.defines ?? true);
  return p.source;
}

/** Puts a valid pattern in the regex table and, if it defines captures, declares $0..$n and names. */
export function registerMatch(c: Checker, p: A.PatternExpr, defines: boolean): void {
  if (p.source === undefined || p.index !== undefined || isError(p.type ?? Pattern)) return;
  p.index = c.patterns.length;
  p.defines = defines;
  c.patterns.push(p);
  if (!defines) return;
  const { check, types } = c.regex(p.source);
  if (!check.ok) return;
  const { groupCount, groupNames } = check.info;
  for (let g = 0; g <= groupCount; g++) {
    const type: Type = g === 0 ? Str : types[g - 1] === 'int' ? Int : types[g - 1] === 'float' ? Float : Str;
    const binding = { pattern: p, group: g, type };
    c.declareCapref(String(g), binding);
    const name = groupNames[g];
    if (name) c.declareCapref(name, binding);
  }
}

function checkCapref(c: Checker, e: A.Capref): A.Expr {
  const b = c.scope.lookupCapref(e.name);
  if (!b) {
    const named = !/^\d+$/.test(e.name);
    c.error(named ? Code.UnknownCapref : Code.UnknownCaprefNumber, e, { name: e.name });
    e.type = ErrorType;
    return e;
  }
  e.pattern = b.pattern;
  e.group = b.group;
  if (b.group > 0) (b.pattern.usedGroups ??= new Set()).add(b.group);
  e.type = b.type;
  return e;
}

function checkIdent(c: Checker, e: A.Ident, opts: ExprOptions): A.Expr {
  const d = c.scope.lookupName(e.name);
  if (!d) {
    const upper = e.name === e.name.toUpperCase();
    c.error(Code.UnknownName, e, { name: e.name, declaration: upper ? `const ${e.name} /.../` : `counter ${e.name}` });
    e.type = ErrorType;
    return e;
  }
  e.decl = d;
  d.used = true;
  if (d.kind === 'const') {
    if (opts.lvalue) {
      c.error(Code.ConstNotAssignable, e, { name: e.name });
      e.type = ErrorType;
      return e;
    }
    const p: A.PatternExpr = { kind: 'pattern', parts: [e], start: e.start, end: e.end };
    checkPattern(c, p, { register: false });
    return p;
  }
  if (d.keys.length > 0) {
    c.error(Code.IndexMissing, e, { name: e.name, labels: labelList(d.keys), example: `${e.name}[${d.keys.map((k) => '$' + k).join('][')}]` });
    e.type = ErrorType;
    return e;
  }
  e.type = d.valueType!;
  return e;
}

function checkIndex(c: Checker, e: A.IndexExpr): A.Expr {
  const d = c.scope.lookupName(e.target.name);
  e.keys = e.keys.map((k) => checkExpr(c, k));
  if (!d) {
    checkIdent(c, e.target, {});
    e.type = ErrorType;
    return e;
  }
  e.target.decl = d;
  d.used = true;
  if (d.kind === 'const') {
    c.error(Code.ConstIndexed, e, { name: d.name });
    e.type = ErrorType;
    return e;
  }
  // mtail compiles a pattern key and labels the datum with whatever its stack holds.
  const patternKey = e.keys.find((k) => k.kind === 'pattern');
  if (patternKey !== undefined) {
    c.error(Code.PatternKey, patternKey, { name: d.name });
    e.type = ErrorType;
    return e;
  }
  if (e.keys.length !== d.keys.length) {
    const many = e.keys.length > d.keys.length ? 'too many' : 'not enough';
    c.error(Code.IndexArity, e, { many, name: d.name, labels: labelList(d.keys), given: e.keys.length });
    e.type = ErrorType;
    return e;
  }
  e.keys.forEach((k, i) => {
    if (k.type && !isError(k.type)) unify(d.keyTypes![i], k.type);
  });
  e.target.type = d.valueType;
  e.type = d.valueType!;
  return e;
}

function checkUnary(c: Checker, e: A.UnaryExpr): A.Expr {
  e.expr = checkExpr(c, e.expr);
  if (isError(e.expr.type!)) {
    e.type = ErrorType;
    return e;
  }
  if (e.op === '!') {
    e.expr = toCondition(c, e.expr);
    e.type = Bool;
  } else if (e.op === '~') {
    // mtail has no `~` for a Bool (its code generator stops: "no opcode for type Bool").
    if (root(e.expr.type!).kind === 'bool' || !unify(Int, e.expr.type!) || !isIntLike(e.expr.type!)) {
      // The operand whose type is wrong, as mtail.
      c.error(Code.ComplementNotInt, e.expr, { type: typeName(e.expr.type!) });
      e.type = ErrorType;
      return e;
    }
    e.type = Int;
  } else {
    e.type = Bool;
  }
  return e;
}

function checkPostfix(c: Checker, e: A.PostfixExpr): A.Expr {
  e.expr = checkExpr(c, e.expr, { lvalue: true });
  if (isError(e.expr.type!)) {
    e.type = ErrorType;
    return e;
  }
  if (!isMetricRef(e.expr)) {
    c.error(Code.IncrementNotMetric, e.expr, { op: e.op });
    e.type = ErrorType;
    return e;
  }
  unify(e.expr.type!, Int);
  const k = root(e.expr.type!).kind;
  if (k !== 'int') {
    c.error(Code.IncrementNotInt, e, { op: e.op, name: metricName(e.expr), type: typeName(e.expr.type!) });
    e.type = ErrorType;
    return e;
  }
  e.type = Int;
  return e;
}

function checkBinary(c: Checker, e: A.BinaryExpr): A.Expr {
  const op = e.op;
  if (op === '&&' || op === '||') {
    e.lhs = toCondition(c, checkExpr(c, e.lhs));
    e.rhs = toCondition(c, checkExpr(c, e.rhs));
    if (anyError(e)) return e;
    for (const side of [e.lhs, e.rhs]) {
      if (!unify(Bool, side.type!)) {
        c.error(Code.LogicNotBool, side, { op, type: typeName(side.type!) });
        e.type = ErrorType;
        return e;
      }
    }
    e.type = Bool;
    return e;
  }
  if (op === '=~' || op === '!~') {
    // A pattern as the subject matches the line; its Bool is no string when the line runs.
    e.lhs = toCondition(c, checkExpr(c, e.lhs));
    e.rhs = checkMatchRhs(c, e.rhs, op);
    if (e.rhs.kind === 'pattern') registerMatch(c, e.rhs, true);
    e.type = anyError(e) ? ErrorType : Bool;
    return e;
  }
  const lvalue = op === '=' || op === '+=';
  e.lhs = checkExpr(c, e.lhs, { lvalue });
  e.rhs = checkExpr(c, e.rhs);
  if (op === '+' && (e.lhs.kind === 'pattern' || e.rhs.kind === 'pattern')) return foldPattern(c, e);
  if (!lvalue) {
    // A pattern as any other operand matches the line: mtail types it Bool there.
    e.lhs = toCondition(c, e.lhs);
    e.rhs = toCondition(c, e.rhs);
  }
  if (FOLDED.has(op) && isNumberLiteral(e.lhs) && isNumberLiteral(e.rhs)) return foldNumbers(c, e, e.lhs, e.rhs);
  if (anyError(e)) return e;
  const lT = e.lhs.type!;
  const rT = e.rhs.type!;
  if (lvalue) {
    if (!isMetricRef(e.lhs)) {
      c.error(Code.AssignNotMetric, e.lhs, { op });
      e.type = ErrorType;
      return e;
    }
    const decl = (e.lhs.kind === 'ident' ? e.lhs.decl : e.lhs.target.decl) as A.VarDecl;
    // A numeric metric stays numeric: a String value is converted when the line runs (Language.md,
    // "Types"), where Debian's mtail would retype the metric as String.
    const numeric = decl.metric !== 'text';
    const t = numeric && root(rT).kind === 'string' ? (root(lT).kind === 'var' ? Int : lT) : lub(lT, rT);
    // Reject before unifying, so a rejected value does not retype the metric ("holds Pattern values").
    // A Bool is refused unless the metric already holds Ints (mtail's code generator has no store
    // of a Bool; into an Int metric it compiles, and fails when the line runs).
    const boolValue = root(rT).kind === 'bool' && root(lT).kind !== 'int';
    if (!t || root(rT).kind === 'pattern' || boolValue || !unify(lT, t)) {
      const holds = root(lT).kind === 'var' ? '' : `, which holds ${typeName(lT)} values`;
      c.error(Code.AssignMismatch, e.rhs, { value: typeName(rT), name: metricName(e.lhs), holds });
      e.type = ErrorType;
      return e;
    }
    e.type = lT;
    return e;
  }
  if (BITWISE.has(op)) {
    for (const side of [lT, rT]) {
      // mtail's checker unifies Int with a Float (to Float), so `1.5 & 1` compiles there; its VM
      // then pops no int, and the line fails when it runs (as here).
      if (root(side).kind === 'float') continue;
      if (!unify(Int, side) || !isIntLike(side)) {
        c.error(Code.BitwiseNotInt, e.opSpan, { op, left: typeName(lT), right: typeName(rT) });
        e.type = ErrorType;
        return e;
      }
    }
    e.type = Int;
    return e;
  }
  const t = lub(lT, rT);
  const k = t ? root(t).kind : undefined;
  // mtail's code generator cannot convert a Bool operand of arithmetic ("can't convert Bool to Int").
  const boolOperand = ARITHMETIC.has(op) && (root(lT).kind === 'bool' || root(rT).kind === 'bool');
  const bad = !t || k === 'pattern' || boolOperand || (ARITHMETIC.has(op) && (k === 'bool' || (k === 'string' && op !== '+')));
  if (bad) {
    // The whole expression, as mtail: the message names both operands' types.
    c.error(Code.TypeMismatch, e, { op, left: typeName(lT), right: typeName(rT) });
    e.type = ErrorType;
    return e;
  }
  unify(lT, t!);
  unify(rT, t!);
  e.lhs = convert(e.lhs, t!);
  e.rhs = convert(e.rhs, t!);
  if ((op === '/' || op === '%') && e.rhs.kind === 'int' && e.rhs.value === 0) {
    // The whole division, as mtail: the caret shows both the dividend and the zero.
    c.error(Code.DivideByZero, e);
    e.type = ErrorType;
    return e;
  }
  e.type = COMPARISON.has(op) ? Bool : t!;
  return e;
}

const FOLDED = new Set(['+', '-', '*', '/', '%', '**']);

function isNumberLiteral(e: A.Expr): e is A.IntLit | A.FloatLit {
  return e.kind === 'int' || e.kind === 'float';
}

/**
 * Arithmetic on two number literals, computed now as mtail's optimiser (opt.go) computes it
 * before its checker runs, so that what follows sees one literal: `$a / (1 - 1)` divides by
 * the constant 0 and is refused, and `1.0 / 0.0` is refused as mtail refuses it. An int
 * modulo a float is 0.0 there (opt.go assigns Mod's result to the wrong operand, in rc50 and
 * in its current source): the number mtail's programs see.
 */
function foldNumbers(c: Checker, e: A.BinaryExpr, l: A.IntLit | A.FloatLit, r: A.IntLit | A.FloatLit): A.Expr {
  const span = { start: e.start, end: e.end };
  if ((e.op === '/' || e.op === '%') && Number(r.value) === 0) {
    c.error(Code.DivideByZero, e);
    e.type = ErrorType;
    return e;
  }
  if (l.kind === 'int' && r.kind === 'int') {
    const [a, b] = [l.value, r.value];
    let value: int64.Int;
    switch (e.op) {
      case '+': value = int64.add(a, b); break;
      case '-': value = int64.sub(a, b); break;
      case '*': value = int64.mul(a, b); break;
      case '/': value = int64.div(a, b); break;
      case '%': value = int64.mod(a, b); break;
      default: value = int64.pow(a, b);
    }
    return { kind: 'int', value, type: Int, ...span };
  }
  const a = l.kind === 'int' ? int64.toFloat(l.value) : l.value;
  const b = r.kind === 'int' ? int64.toFloat(r.value) : r.value;
  let value: number;
  switch (e.op) {
    case '+': value = a + b; break;
    case '-': value = a - b; break;
    case '*': value = a * b; break;
    case '/': value = a / b; break;
    case '%': value = l.kind === 'int' ? 0 : a % b; break;
    default: value = goPow(a, b);
  }
  return { kind: 'float', value, type: Float, ...span };
}

/**
 * The right side of `=~`/`!~`. As in mtail's checker, a sum of literals (regex, string,
 * number) and const patterns is one pattern, built and validated now, whose named groups
 * become captures. Anything else that gives a string (`$a`, `"^" + $a`, `tolower($x)`) is a
 * regex known only when the line runs (codegen: rt.dmatch), and declares no captures. A
 * metric anywhere in it is refused, as mtail refuses it ("Can't append variable").
 */
function checkMatchRhs(c: Checker, rhs: A.Expr, op: string): A.Expr {
  const parts = constantParts(rhs);
  if (parts !== undefined) {
    const p: A.PatternExpr = rhs.kind === 'pattern' ? rhs : { kind: 'pattern', parts, start: rhs.start, end: rhs.end };
    checkPattern(c, p, { register: false });
    return p;
  }
  const metric = metricIn(c, rhs);
  if (metric !== undefined) {
    const d = c.scope.lookupName(metric.name);
    c.error(Code.MetricInPattern, metric, { name: metric.name, kind: d?.kind === 'decl' ? d.metric : 'variable' });
    rhs.type = ErrorType;
    return rhs;
  }
  const checked = checkExpr(c, rhs);
  const t = checked.type!;
  if (isError(t)) return checked;
  const k = root(t).kind;
  if (k !== 'string' && k !== 'int' && k !== 'float') {
    c.error(Code.NotAPattern, checked, { op, type: typeName(t) });
    checked.type = ErrorType;
  }
  return checked;
}

/** The parts of a right side made only of literals, const names and `+`; undefined when some part is computed. */
function constantParts(e: A.Expr): A.Expr[] | undefined {
  switch (e.kind) {
    case 'regex':
    case 'string':
    case 'int':
    case 'float':
    case 'ident':
      return [e];
    case 'pattern':
      return e.parts;
    case 'binary': {
      if (e.op !== '+') return undefined;
      const l = constantParts(e.lhs);
      const r = l && constantParts(e.rhs);
      return l && r ? [...l, ...r] : undefined;
    }
    default:
      return undefined;
  }
}

/** The first name in a computed right side that is a metric, if any. */
function metricIn(c: Checker, e: A.Expr): A.Ident | undefined {
  let found: A.Ident | undefined;
  const visit = (x: A.Expr): void => {
    if (found) return;
    switch (x.kind) {
      case 'ident':
        if (c.scope.lookupName(x.name)?.kind === 'decl') found = x;
        return;
      case 'index':
        if (c.scope.lookupName(x.target.name)?.kind === 'decl') found = x.target;
        else x.keys.forEach(visit);
        return;
      case 'call': x.args.forEach(visit); return;
      case 'unary':
      case 'postfix':
      case 'conv':
        visit(x.expr);
        return;
      case 'binary': visit(x.lhs); visit(x.rhs); return;
      default: return;
    }
  };
  visit(e);
  return found;
}

/** `CONST + /re/` and similar: the whole sum is one pattern. */
function foldPattern(c: Checker, e: A.BinaryExpr): A.Expr {
  const parts = (x: A.Expr): A.Expr[] => (x.kind === 'pattern' ? x.parts : [x]);
  const p: A.PatternExpr = { kind: 'pattern', parts: [...parts(e.lhs), ...parts(e.rhs)], start: e.start, end: e.end };
  // A part that failed has been reported; checking the longer sum would report it again (`A + B + C`).
  if (isError(e.lhs.type ?? ErrorType) || isError(e.rhs.type ?? ErrorType)) {
    p.type = ErrorType;
    return p;
  }
  checkPattern(c, p, { register: false });
  return p;
}

/** Wraps e in a conversion to t when their concrete types differ. */
export function convert(e: A.Expr, t: Type): A.Expr {
  const to = root(t).kind;
  const from = root(e.type!).kind;
  if (from === to || (to !== 'int' && to !== 'float' && to !== 'string')) return e;
  if (from !== 'int' && from !== 'float' && from !== 'string') return e;
  return { kind: 'conv', expr: e, to, type: t, start: e.start, end: e.end };
}

function anyError(e: A.BinaryExpr): boolean {
  if (isError(e.lhs.type ?? ErrorType) || isError(e.rhs.type ?? ErrorType)) {
    e.type = ErrorType;
    return true;
  }
  return false;
}

function isIntLike(t: Type): boolean {
  const k = root(t).kind;
  return k === 'int' || k === 'var' || k === 'string' || k === 'bool';
}

export function isMetricRef(e: A.Expr): e is A.Ident | A.IndexExpr {
  if (e.kind === 'ident') return e.decl?.kind === 'decl';
  if (e.kind === 'index') return e.target.decl?.kind === 'decl';
  return false;
}

/** "1 label (code)", "2 labels (host, code)", "no labels". */
function labelList(keys: string[]): string {
  if (keys.length === 0) return 'no labels';
  return `${keys.length} label${keys.length === 1 ? '' : 's'} (${keys.join(', ')})`;
}

function metricName(e: A.Expr): string {
  return e.kind === 'index' ? e.target.name : e.kind === 'ident' ? e.name : '?';
}
