import type * as A from '../ast.js';
import type * as T from '../checked.js';
import { kindOf } from '../types.js';
import type { CheckedRegex } from './context.js';

/**
 * The last step of checking, run once every type is known: turns the annotated parse
 * tree into the typed tree of checked.ts. Here mtail's run-time conversions (its VM's
 * PopInt, PopFloat, PopString and the checker's ConvExpr) become explicit `conv` nodes,
 * names become metrics and capture groups, decorators are expanded and blocks flattened.
 */
export function lower(program: A.Program, metrics: A.VarDecl[], patterns: A.PatternExpr[], maxRegexLength: number, regex: (source: string) => CheckedRegex): T.Program {
  const l = new Lowering(metrics, patterns, regex);
  const body = l.stmts(program.body);
  return { metrics: l.metrics, patterns: l.patterns, body, usesOtherwise: l.usesOtherwise, maxRegexLength };
}

class Lowering {
  readonly metrics: T.Metric[];
  readonly patterns: T.Pattern[];
  private readonly metricOf = new Map<A.VarDecl, T.Metric>();
  /** Decorated blocks waiting for their decorator's `next`, innermost last. */
  private readonly decorated: A.Block[] = [];
  usesOtherwise = false;

  constructor(metrics: A.VarDecl[], patterns: A.PatternExpr[], regex: (source: string) => CheckedRegex) {
    this.metrics = metrics.map((d, index) => {
      const m: T.Metric = {
        index,
        name: d.name,
        exportedName: d.exportedName ?? d.name,
        kind: d.metric,
        valueType: d.metric === 'text' ? 'string' : valueType(d),
        keys: d.keys,
        buckets: d.buckets,
        limit: d.limit,
        hidden: d.hidden,
        help: d.doc,
        span: d.nameSpan,
      };
      this.metricOf.set(d, m);
      return m;
    });
    this.patterns = patterns.map((p, index) => {
      const source = p.source ?? internal('a registered pattern has no source');
      const { check, suffix, literal } = regex(source);
      const names = check.ok ? check.info.groupNames.map((n) => n ?? null) : [null];
      return { index, source, suffix, literal, defines: p.defines ?? true, groups: [...(p.usedGroups ?? [])].sort((a, b) => a - b), names, span: { start: p.start, end: p.end } };
    });
  }

  stmts(list: A.Stmt[]): T.Stmt[] {
    const out: T.Stmt[] = [];
    for (const s of list) this.stmt(s, out);
    return out;
  }

  private stmt(s: A.Stmt, out: T.Stmt[]): void {
    const span = { start: s.start, end: s.end };
    switch (s.kind) {
      case 'decl':
      case 'const':
      case 'def':
        return;
      case 'block':
        for (const x of s.body) this.stmt(x, out);
        return;
      case 'exprstmt':
        out.push({ kind: 'expr', expr: this.expr(s.expr), span });
        return;
      case 'stop':
        out.push({ kind: 'stop', span });
        return;
      case 'cond': {
        if (s.cond === null) this.usesOtherwise = true;
        const cond = s.cond === null ? null : asBool(this.expr(s.cond));
        const matched = s.cond === null ? [] : requiredMatches(s.cond).map((p) => this.pattern(p));
        out.push({ kind: 'if', cond, then: this.stmts(s.then.body), else: s.else ? this.stmts(s.else.body) : null, matched, span });
        return;
      }
      case 'deco': {
        if (!s.decl) internal('an unresolved decorator');
        this.decorated.push(s.body);
        for (const x of s.decl.body.body) this.stmt(x, out);
        this.decorated.pop();
        return;
      }
      case 'next': {
        // The decorated block runs where the decorator says `next`, seeing the decorator's captures.
        const block = this.decorated.pop();
        if (!block) return;
        for (const x of block.body) this.stmt(x, out);
        this.decorated.push(block);
        return;
      }
      case 'del': {
        if (s.target.kind !== 'index') internal('del of a metric without labels');
        const ref = this.ref(s.target);
        out.push({ kind: 'del', metric: ref.metric, keys: ref.keys, expiryMs: s.expiryMs, span });
        return;
      }
    }
  }

  private pattern(p: A.PatternExpr): T.Pattern {
    if (p.index === undefined) internal('a pattern not in the regex table');
    return this.patterns[p.index];
  }

  private metric(decl: A.VarDecl | A.ConstDecl | undefined): T.Metric {
    const m = decl?.kind === 'decl' ? this.metricOf.get(decl) : undefined;
    return m ?? internal('a name that is not a metric');
  }

  /** A metric datum; label values are strings as mtail's I2S and F2S make them. */
  private ref(e: A.Ident | A.IndexExpr): T.Ref {
    const span = { start: e.start, end: e.end };
    if (e.kind === 'ident') return { metric: this.metric(e.decl), keys: [], span };
    return { metric: this.metric(e.target.decl), keys: e.keys.map((k) => asKey(this.expr(k))), span };
  }

  /** An expression's value in its own kind. */
  expr(e: A.Expr): T.Expr {
    const span = { start: e.start, end: e.end };
    switch (e.kind) {
      case 'int':
      case 'float':
        return { op: 'literal', type: e.kind, value: e.value, span };
      case 'string':
        return { op: 'literal', type: 'string', value: e.value, span };
      case 'regex':
        internal('a regex outside a pattern');
      // falls through (internal() does not return)
      case 'pattern':
        return { op: 'match', type: 'bool', pattern: this.pattern(e), subject: null, negate: false, span };
      case 'capref': {
        if (!e.pattern || e.group === undefined) internal('an unresolved capture group');
        const text: T.Capture = { op: 'capture', type: 'string', pattern: this.pattern(e.pattern), group: e.group, name: e.name, span };
        // The checker typed the group from its regex (\d+ is Int): the text is converted once read.
        const k = kindOfExpr(e);
        return k === 'int' ? conv('s2i', 'int', text) : k === 'float' ? conv('s2f', 'float', text) : text;
      }
      case 'ident':
      case 'index':
        return { op: 'load', type: kindOfExpr(e), ref: this.ref(e), span };
      case 'call':
        return this.call(e, span);
      case 'unary':
        if (e.op === 'match') return { op: 'match', type: 'bool', pattern: this.pattern(e.expr as A.PatternExpr), subject: null, negate: false, span };
        if (e.op === '!') return { op: 'not', type: 'bool', expr: asBool(this.expr(e.expr)), span };
        return { op: 'not', type: 'int', expr: asInt(this.expr(e.expr)), span };
      case 'postfix': {
        const one: T.Literal = { op: 'literal', type: 'int', value: e.op === '++' ? 1 : -1, span };
        return { op: 'add', type: 'int', ref: this.ref(e.expr as A.Ident | A.IndexExpr), value: one, span };
      }
      case 'binary':
        return this.binary(e, span);
      case 'conv': {
        const x = this.expr(e.expr);
        const from = x.type;
        switch (e.to) {
          case 'int': return from === 'string' ? conv('s2i', 'int', x) : from === 'float' ? conv('trunc', 'int', x) : x;
          case 'float': return from === 'string' ? conv('s2f', 'float', x) : from === 'int' ? conv('i2f', 'float', x) : x;
          case 'string': return from === 'int' ? conv('i2s', 'string', x) : from === 'float' ? conv('f2s', 'string', x) : x;
        }
      }
    }
  }

  /** A computed regex as a string; a capture is its text even when typed as a number (`007` stays `007`). */
  private regexText(e: A.Expr): T.Expr {
    const x = this.expr(e);
    if (x.op === 'conv' && (x.conv === 's2i' || x.conv === 's2f') && x.expr.op === 'capture') return x.expr;
    return asStr(x);
  }

  private binary(e: A.BinaryExpr, span: T.Expr['span']): T.Expr {
    const { op } = e;
    switch (op) {
      case '&&':
      case '||':
        return { op, type: 'bool', lhs: asBool(this.expr(e.lhs)), rhs: asBool(this.expr(e.rhs)), span };
      case '=~':
      case '!~': {
        const subject = asStr(this.expr(e.lhs));
        const negate = op === '!~';
        if (e.rhs.kind === 'pattern') return { op: 'match', type: 'bool', pattern: this.pattern(e.rhs), subject, negate, span };
        return { op: 'dynmatch', type: 'bool', subject, regex: this.regexText(e.rhs), negate, span };
      }
      case '=':
      case '+=': {
        const lhs = e.lhs as A.Ident | A.IndexExpr;
        const ref = this.ref(lhs);
        const k = kindOfExpr(lhs);
        const rhs = this.expr(e.rhs);
        const update = op === '+=' ? 'add' : ref.metric.kind === 'histogram' ? 'observe' : 'set';
        const value = k === 'float' ? asFloat(rhs) : k === 'string' && update !== 'observe' ? asStr(rhs) : asInt(rhs);
        // A histogram sums observations as floats.
        return { op: update, type: k, ref, value: update === 'observe' && value.type === 'int' ? conv('i2f', 'float', value) : value, span };
      }
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>':
        return { op: 'arith', arith: op, type: 'int', lhs: asInt(this.expr(e.lhs)), rhs: asInt(this.expr(e.rhs)), span };
      case '<':
      case '>':
      case '<=':
      case '>=':
      case '==':
      case '!=': {
        const lhs = this.expr(e.lhs);
        const rhs = this.expr(e.rhs);
        const same = lhs.type === rhs.type && (lhs.type === 'int' || lhs.type === 'float' || lhs.type === 'string');
        // mtail's code generator picks the typed compare only when the left side's type is
        // String itself; a builtin's result is typed with a copy of it, so tolower($x) == "1.0"
        // is its generic compare (numeric when the left side parses as a float). For ints and
        // floats that compare is the typed one.
        const generic = !same || (lhs.type === 'string' && typedWithStringCopy(e.lhs));
        return { op: 'compare', compare: op, type: 'bool', operands: generic ? 'mixed' : lhs.type, lhs, rhs, span };
      }
      default: {
        const t = kindOfExpr(e);
        const lhs = this.expr(e.lhs);
        const rhs = this.expr(e.rhs);
        if (t === 'string') return { op: 'arith', arith: op, type: 'string', lhs: asStr(lhs), rhs: asStr(rhs), span };
        if (t === 'float') return { op: 'arith', arith: op, type: 'float', lhs: asFloat(lhs), rhs: asFloat(rhs), span };
        return { op: 'arith', arith: op, type: 'int', lhs: asInt(lhs), rhs: asInt(rhs), span };
      }
    }
  }

  private call(e: A.CallExpr, span: T.Expr['span']): T.Expr {
    const args = e.args;
    const call = (name: T.Call['name'], type: T.Kind, list: T.Expr[], extra: Partial<T.Call> = {}): T.Call => ({ op: 'call', name, type, args: list, span, ...extra });
    switch (e.name) {
      case 'int': {
        const a = this.expr(args[0]);
        return a.type === 'float' ? conv('trunc', 'int', a) : asInt(a);
      }
      case 'float': return asFloat(this.expr(args[0]));
      case 'string': {
        const a = this.expr(args[0]);
        return a.type === 'float' ? conv('f2s', 'string', a) : asStr(a);
      }
      case 'bool': return conv('bool', 'bool', this.expr(args[0]));
      case 'len': return call('len', 'int', [asStr(this.expr(args[0]))]);
      case 'tolower': return call('tolower', 'string', [asStr(this.expr(args[0]))]);
      case 'timestamp': return call('timestamp', 'int', []);
      case 'getfilename': return call('getfilename', 'string', []);
      case 'json': return call('json', 'string', [asStr(this.expr(args[0]))]);
      case 'logfmt': return call('logfmt', 'string', [asStr(this.expr(args[0]))]);
      // mtail's settime takes only an int from the stack; code generation makes anything else fail.
      case 'settime': return call('settime', 'none', [this.expr(args[0])]);
      case 'strptime': return call('strptime', 'none', [asStr(this.expr(args[0]))], { layout: (args[1] as A.StringLit).value });
      case 'strtol': return call('strtol', 'int', [asStr(this.expr(args[0])), asInt(this.expr(args[1]))]);
      case 'subst': {
        const rest = [asStr(this.expr(args[1])), asStr(this.expr(args[2]))];
        if (args[0].kind === 'pattern') return call('subst', 'string', rest, { pattern: this.pattern(args[0]) });
        return call('subst', 'string', [asStr(this.expr(args[0])), ...rest]);
      }
      default:
        return internal(`no lowering for builtin ${e.name}`);
    }
  }
}

/**
 * Whether mtail's checker types e with a copy of String rather than String itself: a call of
 * one of its builtins (their signatures are copied for each call; not our json() and logfmt()),
 * or a sum of two strings whose first term is one (a sum takes its first term's type; a sum
 * with a converted term takes String itself, from the conversion rule).
 */
function typedWithStringCopy(e: A.Expr): boolean {
  if (e.kind === 'call') return e.name !== 'json' && e.name !== 'logfmt';
  if (e.kind === 'binary' && e.op === '+') return e.lhs.kind !== 'conv' && e.rhs.kind !== 'conv' && typedWithStringCopy(e.lhs);
  return false;
}

function valueType(d: A.VarDecl): 'int' | 'float' | 'string' {
  const k = d.valueType ? kindOf(d.valueType) : 'int';
  return k === 'float' ? 'float' : k === 'string' ? 'string' : 'int';
}

/** The run-time kind of a checked expression; unresolved metric types are ints, as in mtail. */
function kindOfExpr(e: A.Expr): T.Kind {
  const k = e.type ? kindOf(e.type) : 'error';
  switch (k) {
    case 'int':
    case 'float':
    case 'string':
    case 'bool':
    case 'none':
      return k;
    case 'pattern':
      return 'bool';
    default:
      return 'none';
  }
}

/** Patterns whose match a condition requires: a match, or a conjunct of `&&`. */
function requiredMatches(e: A.Expr): A.PatternExpr[] {
  if (e.kind === 'unary' && e.op === 'match') return [e.expr as A.PatternExpr];
  if (e.kind === 'binary' && e.op === '=~' && e.rhs.kind === 'pattern') return [e.rhs];
  if (e.kind === 'binary' && e.op === '&&') return [...requiredMatches(e.lhs), ...requiredMatches(e.rhs)];
  return [];
}

function conv(op: T.ConvOp, type: T.Kind, expr: T.Expr): T.Conv {
  return { op: 'conv', conv: op, type, expr, span: expr.span };
}

/** mtail's PopInt: strings are parsed, floats are a run-time error. */
function asInt(e: T.Expr): T.Expr {
  switch (e.type) {
    case 'int': return e;
    case 'string': return conv('s2i', 'int', e);
    // mtail's PopInt takes no bool: `($a > 1) | 2` compiles there and fails on every line.
    default: return conv('notInt', 'int', e);
  }
}

/** mtail's PopFloat; an int is converted as its checker's I2F does. */
function asFloat(e: T.Expr): T.Expr {
  switch (e.type) {
    case 'int': return conv('i2f', 'float', e);
    case 'float': return e;
    case 'string': return conv('s2f', 'float', e);
    default: return conv('notFloat', 'float', e);
  }
}

/** mtail's PopString: an int pops as %d, a float as %G. */
function asStr(e: T.Expr): T.Expr {
  switch (e.type) {
    case 'string': return e;
    case 'int': return conv('i2s', 'string', e);
    case 'float': return conv('fG', 'string', e);
    default: return conv('str', 'string', e);
  }
}

/** Label values: ints as %d, floats as %g, as mtail's I2S and F2S do. */
function asKey(e: T.Expr): T.Expr {
  // An int capture's label is the %d of its value: intKey skips the round trip when the text is already that.
  if (e.op === 'conv' && e.conv === 's2i' && e.expr.op === 'capture') return conv('intKey', 'string', e.expr);
  switch (e.type) {
    case 'int': return conv('i2s', 'string', e);
    case 'float': return conv('f2s', 'string', e);
    default: return asStr(e);
  }
}

/** Truth as mtail's conditional jumps see it: false and integer 0 are false. */
function asBool(e: T.Expr): T.Expr {
  switch (e.type) {
    case 'bool': return e;
    case 'int': return conv('i2b', 'bool', e);
    default: return conv('truthy', 'bool', e);
  }
}

function internal(what: string): never {
  throw new Error(`internal error in the checker: ${what}`);
}
