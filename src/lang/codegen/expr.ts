import type * as T from '../checked.js';
import { capturedIndex, type Gen, type MatchBinding, matchVar } from './context.js';

/** JavaScript for an expression's value in its kind (number, string or boolean). */
export function genExpr(g: Gen, e: T.Expr): string {
  const derived = derivedOf(g, e);
  if (derived) return derivedValue(g, derived, e);
  return genPlain(g, e);
}

function genPlain(g: Gen, e: T.Expr): string {
  switch (e.op) {
    case 'literal': return genLiteral(e.value);
    case 'capture': return genCapture(g, e);
    case 'match': return genMatch(g, e);
    case 'dynmatch': {
      // The regex is a string known only now: the runtime compiles it once and caches it.
      const code = `rt.dmatch(${genExpr(g, e.subject)}, ${genExpr(g, e.regex)}, ${g.site(e.regex.span)})`;
      return e.negate ? `!${code}` : code;
    }
    case 'load': return `${genDatum(g, e.ref)}.value`;
    case 'conv': return genConv(g, e);
    case 'not': return e.type === 'bool' ? `!${genExpr(g, e.expr)}` : `rt.not(${genExpr(g, e.expr)})`;
    case '&&':
    case '||':
      return `(${genExpr(g, e.lhs)} ${e.op} ${genExpr(g, e.rhs)})`;
    case 'arith': return genArith(g, e);
    case 'compare': {
      const l = genExpr(g, e.lhs);
      const r = genExpr(g, e.rhs);
      if (e.operands === 'mixed') return `rt.cmp(${l}, ${r}, "${e.compare}", ${g.site(e.span)})`;
      // JavaScript orders strings by UTF-16 units, Go by UTF-8 bytes: equality is the same.
      if (e.operands === 'string' && e.compare !== '==' && e.compare !== '!=') return `(rt.scmp(${l}, ${r}) ${e.compare} 0)`;
      // mtail's VM computes <= as not >, and >= as not <: with a NaN both hold.
      if (e.operands === 'float' && e.compare === '<=') return `!(${l} > ${r})`;
      if (e.operands === 'float' && e.compare === '>=') return `!(${l} < ${r})`;
      return `(${l} ${NATIVE_COMPARE[e.compare]} ${r})`;
    }
    case 'set':
    case 'add':
    case 'observe':
      return genUpdate(g, e);
    case 'call': return genCall(g, e);
  }
}

/** A literal's JavaScript: an int beyond 2^53 is a bigint literal, as such ints are at run time. */
function genLiteral(v: number | bigint | string): string {
  if (typeof v === 'string') return JSON.stringify(v);
  const text = typeof v === 'bigint' ? `${v}n` : String(v);
  return v < 0 || Object.is(v, -0) ? `(${text})` : text;
}

const NATIVE_COMPARE: Record<T.CompareOp, string> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=', '==': '===', '!=': '!==' };

/** A match of the line or of a string; the match array goes to the pattern's `g` local. */
function genMatch(g: Gen, e: T.Match): string {
  const p = e.pattern;
  const m = matchVar(p);
  const subject = e.subject === null ? 'line' : genExpr(g, e.subject);
  const exec = `R${p.index}.exec(${subject})`;
  // A line that does not end with the pattern's final literal, or lacks its required literal,
  // cannot match: the regex is skipped for it (the ending first: it costs one comparison).
  const checks: string[] = [];
  const suffix = e.subject === null ? g.suffixOf.get(p.index) : undefined;
  if (suffix !== undefined) checks.push(`line.endsWith(${JSON.stringify(suffix)})`);
  const filter = e.subject === null ? g.prefilterOf.get(p.index) : undefined;
  if (filter !== undefined) checks.push(g.sharedPrefilters.has(filter) ? `${filter}.testOnce(line)` : `${filter}.test(line)`);
  const test = checks.join(' && ');
  let code: string;
  if (test === '') code = `(${m} = ${exec}) !== null`;
  // Matched at most once per line, the local is still null when a check fails.
  else if (!g.rematched.has(p.index)) code = `${test} && (${m} = ${exec}) !== null`;
  else code = `(${m} = ${test} ? ${exec} : null) !== null`;
  return e.negate ? `!(${code})` : `(${code})`;
}

/** The text of a capture group: a local where its pattern is known to have matched. */
function genCapture(g: Gen, e: T.Capture): string {
  const b = g.bindings.get(e.pattern.index);
  const m = matchVar(e.pattern);
  const i = capturedIndex(e.pattern, e.group);
  if (b) {
    let name = b.captures.get(e.group);
    if (name === undefined) {
      name = g.local(e.pattern.names[e.group] ?? `${m}_${e.group}`, b.scope);
      b.captures.set(e.group, name);
    }
    return name;
  }
  // mtail reads an unset group as ""; a pattern that did not match has no groups at all.
  return `(${m} !== null ? ${m}[${i}] ?? "" : rt.noMatch(${g.site(e.span)}))`;
}

/**
 * A value computed from one matched pattern's captures and constants (a conversion, a
 * concatenation): the same until that pattern matches again, so it is computed once per
 * match into a local of the block the match guards.
 */
function derivedOf(g: Gen, e: T.Expr): MatchBinding | undefined {
  const p = derivedPattern(e);
  const b = p === undefined ? undefined : g.bindings.get(p);
  return b && (b.uses.get(shape(e)) ?? 0) > 1 ? b : undefined;
}

/** The pattern a conversion or concatenation is computed from alone, if any. */
export function derivedPattern(e: T.Expr): number | undefined {
  if (e.op !== 'conv' && !(e.op === 'arith' && e.type === 'string')) return undefined;
  const patterns = new Set<number>();
  if (!capturePure(e, patterns) || patterns.size !== 1) return undefined;
  return [...patterns][0];
}

function capturePure(e: T.Expr, patterns: Set<number>): boolean {
  switch (e.op) {
    case 'literal': return true;
    case 'capture':
      patterns.add(e.pattern.index);
      return true;
    case 'conv':
      return e.conv !== 'notInt' && e.conv !== 'notFloat' && e.conv !== 'str' && capturePure(e.expr, patterns);
    case 'arith':
      return e.type === 'string' && capturePure(e.lhs, patterns) && capturePure(e.rhs, patterns);
    default:
      return false;
  }
}

/** Whether a capture-pure value can't fail: such values are computed when the block starts. */
function infallible(e: T.Expr): boolean {
  switch (e.op) {
    case 'literal':
    case 'capture':
      return true;
    case 'arith':
      return infallible(e.lhs) && infallible(e.rhs);
    default:
      return false;
  }
}

function derivedValue(g: Gen, b: MatchBinding, e: T.Expr): string {
  const key = shape(e);
  let d = b.derived.get(key);
  if (!d) {
    const code = asLabel(b, e, genPlain(g, e));
    d = { name: g.local(derivedName(e), b.scope), code, how: infallible(e) ? 'eager' : 'lazy' };
    b.derived.set(key, d);
  }
  return d.how === 'lazy' ? `(${d.name} ??= ${d.code})` : d.name;
}

/** A block-local value the block uses as a label goes through rt.label once, where it is computed. */
export function asLabel(b: MatchBinding, e: T.Expr, code: string): string {
  return b.labelled.has(shape(e)) ? `rt.label(${unparen(code)})` : code;
}

/**
 * Computes, as `const`s before statement `s`, the derived values of this block's matches
 * that `s` needs first and evaluates before anything with an effect or a possible failure,
 * so moving them changes nothing. Returns the declarations.
 */
export function hoistBefore(g: Gen, s: T.Stmt): string[] {
  const out: string[] = [];
  const visit = (e: T.Expr, stopped: { at: boolean }): void => {
    if (stopped.at) return;
    const b = derivedOf(g, e);
    const mine = b !== undefined && b.scope === g.scope && !b.derived.has(shape(e)) && !infallible(e);
    if (mine) {
      // Inner values are evaluated first and in order; hoisting them stops where the outer's own order does.
      visitChildren(e, { at: false });
      if (!b.derived.has(shape(e))) {
        const code = asLabel(b, e, genPlain(g, e));
        const name = g.local(derivedName(e), b.scope);
        b.derived.set(shape(e), { name, code, how: 'hoisted' });
        out.push(`const ${name} = ${unparen(code)};`);
      }
      return;
    }
    visitChildren(e, stopped);
    if (mayFailOrAct(g, e)) stopped.at = true;
  };
  const visitChildren = (e: T.Expr, stopped: { at: boolean }): void => {
    switch (e.op) {
      case 'literal': case 'capture': return;
      case 'conv': case 'not': visit(e.expr, stopped); return;
      case 'match': if (e.subject) visit(e.subject, stopped); return;
      case 'dynmatch': visit(e.subject, stopped); visit(e.regex, stopped); return;
      case 'arith': case 'compare': visit(e.lhs, stopped); visit(e.rhs, stopped); return;
      case '&&': case '||':
        visit(e.lhs, stopped);
        stopped.at = true; // the right side may not run
        return;
      case 'load': e.ref.keys.forEach((k) => visit(k, stopped)); return;
      case 'set': case 'add': case 'observe':
        e.ref.keys.forEach((k) => visit(k, stopped));
        stopped.at = true; // the datum is created before the value is computed
        return;
      case 'call': e.args.forEach((a) => visit(a, stopped)); return;
    }
  };
  const stopped = { at: false };
  if (s.kind === 'expr') visit(s.expr, stopped);
  else if (s.kind === 'if' && s.cond) visit(s.cond, stopped);
  else if (s.kind === 'del') s.keys.forEach((k) => visit(k, stopped));
  return out;
}

/** Whether evaluating e itself (its operands aside) can fail or has an effect. */
function mayFailOrAct(g: Gen, e: T.Expr): boolean {
  switch (e.op) {
    case 'conv': return ['s2i', 's2f', 'intKey', 'str', 'notInt', 'notFloat'].includes(e.conv);
    case 'arith': return e.type === 'int' && (e.arith === '/' || e.arith === '%');
    case 'compare': return e.operands === 'mixed';
    case 'dynmatch': return true; // the string may not be a valid regex
    case 'load': case 'set': case 'add': case 'observe': return true;
    case 'call': return e.name === 'strptime' || e.name === 'settime' || e.name === 'strtol';
    case 'capture': return !g.bindings.has(e.pattern.index);
    default: return false;
  }
}

/** `(x)` → `x` when the parentheses enclose the whole expression. */
export function unparen(code: string): string {
  if (!code.startsWith('(') || !code.endsWith(')')) return code;
  let depth = 0;
  let quote = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === '"') quote = false;
    } else if (ch === '"') quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < code.length - 1) return code;
  }
  return code.slice(1, -1);
}

export function captureShape(pattern: number, group: number): string {
  return `$${pattern}.${group}`;
}

/** An expression's structure without positions: equal shapes compute equal values. */
export function shape(e: T.Expr): string {
  switch (e.op) {
    case 'literal': return (typeof e.value === 'bigint' ? `${e.value}n` : JSON.stringify(e.value)) + e.type;
    case 'capture': return captureShape(e.pattern.index, e.group);
    case 'conv': return `${e.conv}(${shape(e.expr)})`;
    case 'arith': return `(${shape(e.lhs)}${e.arith}${shape(e.rhs)})`;
    default: return e.op;
  }
}

const SUFFIX: Partial<Record<T.ConvOp, string>> = { s2i: 'int', s2f: 'float', i2f: 'float', intKey: 'label', f2s: 'label', i2s: 'str', fG: 'str', trunc: 'int', i2b: 'bool', truthy: 'bool', bool: 'bool' };

function derivedName(e: T.Expr): string {
  const parts: string[] = [];
  const walk = (x: T.Expr): void => {
    if (x.op === 'capture') parts.push(x.pattern.names[x.group] ?? `g${x.pattern.index}_${x.group}`);
    else if (x.op === 'literal' && typeof x.value === 'string' && /^\w+$/.test(x.value)) parts.push(x.value);
    else if (x.op === 'conv') walk(x.expr);
    else if (x.op === 'arith') {
      walk(x.lhs);
      walk(x.rhs);
    }
  };
  walk(e);
  if (e.op === 'conv') parts.push(SUFFIX[e.conv] ?? 'value');
  return parts.join('_') || 'value';
}

/** The datum a reference names; created as mtail's dload does. */
export function genDatum(g: Gen, ref: T.Ref): string {
  const m = `M${ref.metric.index}`;
  if (ref.keys.length === 0) return `${m}.scalar()`;
  const keys = genKeys(g, ref.keys);
  return ref.keys.length <= 6 ? `${m}.datum${ref.keys.length}(${keys})` : `${m}.datum([${keys}])`;
}

/** Label values, already strings. */
export function genKeys(g: Gen, keys: T.Expr[]): string {
  return keys.map((k) => genExpr(g, k)).join(', ');
}

function genConv(g: Gen, e: T.Conv): string {
  const x = genExpr(g, e.expr);
  switch (e.conv) {
    case 's2i': return `rt.s2i(${x}, ${g.site(e.span)})`;
    case 's2f': return `rt.s2f(${x}, ${g.site(e.span)})`;
    case 'intKey': return `rt.intKey(${x}, ${g.site(e.span)})`;
    case 'i2s': return `rt.i2s(${x})`;
    case 'f2s': return `rt.f2s(${x})`;
    case 'fG': return `rt.fG(${x})`;
    case 'i2f': return e.expr.op === 'literal' ? genLiteral(Number(e.expr.value)) : `Number(${x})`;
    case 'trunc': return `rt.f2i(${x})`;
    case 'i2b': return `(${x} !== 0)`;
    case 'truthy': return `(${x}, true)`;
    case 'bool': return x;
    case 'str': return `rt.str(${x}, ${g.site(e.span)})`;
    case 'notInt': return `rt.notInt(${x}, ${g.site(e.span)})`;
    case 'notFloat': return `rt.notFloat(${x}, ${g.site(e.span)})`;
  }
}

// Int operators go through the run-time for Go's int64 (exact beyond 2^53, wrapping around).
const INT_FUNCTION: Partial<Record<T.ArithOp, string>> = { '+': 'add', '-': 'sub', '*': 'mul', '&': 'and', '|': 'or', '^': 'xor', '<<': 'shl', '>>': 'shr' };

function genArith(g: Gen, e: T.Arith): string {
  const l = genExpr(g, e.lhs);
  const r = genExpr(g, e.rhs);
  if (e.type === 'string') return `(${l} + ${r})`;
  if (e.type === 'float') return e.arith === '**' ? `rt.fpow(${l}, ${r})` : `(${l} ${e.arith} ${r})`;
  const fn = INT_FUNCTION[e.arith];
  if (fn) return e.arith === '<<' || e.arith === '>>' ? `rt.${fn}(${l}, ${r}, ${g.site(e.span)})` : `rt.${fn}(${l}, ${r})`;
  switch (e.arith) {
    case '/': return `rt.idiv(${l}, ${r}, ${g.site(e.span)})`;
    case '%': return `rt.imod(${l}, ${r}, ${g.site(e.span)})`;
    default: return `rt.ipow(${l}, ${r})`;
  }
}

function genUpdate(g: Gen, e: T.Update): string {
  const d = g.datumOf.get(e) ?? genDatum(g, e.ref);
  const v = genExpr(g, e.value);
  if (e.op === 'observe') return `rt.observe(M${e.ref.metric.index}, ${d}, ${v}, ts, now)`;
  if (e.op === 'set') return `rt.set(${d}, ${v}, ts, now)`;
  if (e.type === 'string') return `rt.append(${d}, ${v}, ts, now)`;
  // An int metric's datum holds a Go int64; `++` on a float metric adds to a float.
  return e.type === 'int' && e.ref.metric.valueType === 'int' ? `rt.inc(${d}, ${v}, ts, now)` : `rt.incFloat(${d}, ${v}, ts, now)`;
}

function genCall(g: Gen, e: T.Call): string {
  const args = e.args.map((a) => genExpr(g, a));
  switch (e.name) {
    case 'len': return `rt.len(${args[0]})`;
    case 'tolower': return `rt.lower(${args[0]})`;
    case 'timestamp': return 'rt.timestamp(ts, now)';
    case 'getfilename': return 'filename';
    case 'json': return `rt.json(line, ${args[0]})`;
    case 'logfmt': return `rt.logfmt(line, ${args[0]})`;
    case 'settime':
      // mtail's settime takes only an int from the stack; anything else fails at run time.
      if (e.args[0].type !== 'int') return `rt.fail("settime() needs an integer", ${g.site(e.args[0].span)})`;
      return `(ts = ${e.args[0].op === 'literal' ? args[0] : `Number(${args[0]})`} * 1000)`;
    case 'strptime': return `(ts = rt.strptime(${args[0]}, ${JSON.stringify(e.layout)}, ${g.site(e.span)}))`;
    case 'strtol': return `rt.strtol(${args[0]}, ${args[1]}, ${g.site(e.span)})`;
    case 'subst':
      if (e.pattern) return `rt.rsubst(G${e.pattern.index}, ${args[0]}, ${args[1]})`;
      return `rt.subst(${args[0]}, ${args[1]}, ${args[2]})`;
  }
}
