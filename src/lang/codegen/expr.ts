import type * as A from '../ast.js';
import { capturedIndex, type Gen, kind, matchVar } from './context.js';

/** JavaScript for an expression's value in its static kind (number, string or boolean). */
export function genExpr(g: Gen, e: A.Expr): string {
  switch (e.kind) {
    case 'int':
    case 'float':
      return e.value < 0 || Object.is(e.value, -0) ? `(${e.value})` : String(e.value);
    case 'string': return JSON.stringify(e.value);
    case 'regex':
    case 'pattern':
      return genMatch(g, e as A.PatternExpr, 'line');
    case 'capref': return genCapref(g, e);
    case 'ident':
    case 'index':
      return `${genDatum(g, e)}.value`;
    case 'call': return genCall(g, e);
    case 'unary':
      if (e.op === 'match') return genMatch(g, e.expr as A.PatternExpr, 'line');
      if (e.op === '!') return `!${asBool(g, e.expr)}`;
      return `rt.not(${asInt(g, e.expr)})`;
    case 'postfix':
      return `rt.inc(${genDatum(g, e.expr as A.Ident | A.IndexExpr)}, ${e.op === '++' ? 1 : -1}, ts, now)`;
    case 'binary': return genBinary(g, e);
    case 'conv': return genConv(g, e);
  }
}

/** A match; the RESET marker becomes the clearing of this pattern's capture caches once all code is generated. */
function genMatch(g: Gen, p: A.PatternExpr, subject: string): string {
  const exec = `R${p.index}.exec(${subject})`;
  // A line without the pattern's required literal cannot match: skip the regex for it.
  const run = subject === 'line' && g.prefilters.has(p.index!) ? `L${p.index}.test(line) ? ${exec} : null` : exec;
  return `((${RESET(p.index!)}${matchVar(p)} = ${run}) !== null)`;
}

export const RESET = (pattern: number) => `/*reset:${pattern}*/`;

/** `expr`, computed at most once per match of the capture's pattern. */
function cached(g: Gen, e: A.Capref, variant: string, expr: string): string {
  const v = g.captureCache(e.pattern!.index!, e.group!, variant);
  return `(${v} !== undefined ? ${v} : (${v} = ${expr}))`;
}

/** The text of a capture group; mtail reads an unset group as "", and a pattern that did not match has no groups at all. */
function captureText(g: Gen, e: A.Capref): string {
  const m = matchVar(e.pattern!);
  const i = capturedIndex(e.pattern!, e.group!);
  return g.matchedPatterns.has(e.pattern!.index!) ? `(${m}[${i}] ?? "")` : `(${m} !== null ? ${m}[${i}] ?? "" : rt.noMatch(${g.site(e)}))`;
}

function genCapref(g: Gen, e: A.Capref): string {
  const text = captureText(g, e);
  switch (kind(e)) {
    case 'int': return cached(g, e, 'i', `rt.s2i(${text}, ${g.site(e)})`);
    case 'float': return cached(g, e, 'f', `rt.s2f(${text}, ${g.site(e)})`);
    default: return text;
  }
}

/** The datum an identifier or index expression names; creates it as mtail's dload does. */
export function genDatum(g: Gen, e: A.Ident | A.IndexExpr): string {
  if (e.kind === 'ident') return `${g.metricVar(e.decl as A.VarDecl)}.scalar()`;
  const keys = e.keys.map((k) => asKey(g, k)).join(', ');
  const m = g.metricVar(e.target.decl as A.VarDecl);
  return e.keys.length <= 4 ? `${m}.datum${e.keys.length}(${keys})` : `${m}.datum([${keys}])`;
}

/** Label values: ints as %d, floats as %g, as mtail's I2S and F2S do. */
export function asKey(g: Gen, e: A.Expr): string {
  if (e.kind === 'capref' && (kind(e) === 'int' || kind(e) === 'float')) {
    // An int label is the %d of the parsed value; rt.intKey skips the round trip when the text is already that.
    return cached(g, e, 'k', kind(e) === 'int' ? `rt.intKey(${captureText(g, e)}, ${g.site(e)})` : `rt.f2s(${genExpr(g, e)})`);
  }
  switch (kind(e)) {
    case 'int': return `rt.i2s(${genExpr(g, e)})`;
    case 'float': return `rt.f2s(${genExpr(g, e)})`;
    default: return asStr(g, e);
  }
}

/** mtail's PopString: a float pops as %G. */
export function asStr(g: Gen, e: A.Expr): string {
  switch (kind(e)) {
    case 'string': return genExpr(g, e);
    case 'int': return `rt.i2s(${genExpr(g, e)})`;
    case 'float': return `rt.fG(${genExpr(g, e)})`;
    default: return `rt.str(${genExpr(g, e)}, ${g.site(e)})`;
  }
}

/** mtail's PopInt: strings are parsed, floats are a run-time error. */
export function asInt(g: Gen, e: A.Expr): string {
  switch (kind(e)) {
    case 'int': return genExpr(g, e);
    case 'string': return `rt.s2i(${genExpr(g, e)}, ${g.site(e)})`;
    case 'float': return `rt.notInt(${genExpr(g, e)}, ${g.site(e)})`;
    case 'bool': return `(${genExpr(g, e)} ? 1 : 0)`;
    default: return `rt.notInt(${genExpr(g, e)}, ${g.site(e)})`;
  }
}

/** mtail's PopFloat. */
export function asFloat(g: Gen, e: A.Expr): string {
  switch (kind(e)) {
    case 'int':
    case 'float': return genExpr(g, e);
    case 'string': return `rt.s2f(${genExpr(g, e)}, ${g.site(e)})`;
    default: return `rt.notFloat(${genExpr(g, e)}, ${g.site(e)})`;
  }
}

/** Truth as mtail's conditional jumps see it: false and integer 0 are false. */
export function asBool(g: Gen, e: A.Expr): string {
  switch (kind(e)) {
    case 'bool': return genExpr(g, e);
    case 'int': return `(${genExpr(g, e)} !== 0)`;
    default: return `(${genExpr(g, e)}, true)`;
  }
}

const NATIVE_COMPARE: Record<string, string> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=', '==': '===', '!=': '!==' };

function genBinary(g: Gen, e: A.BinaryExpr): string {
  const { op, lhs, rhs } = e;
  switch (op) {
    case '&&':
    case '||':
      return `(${asBool(g, lhs)} ${op} ${asBool(g, rhs)})`;
    case '=~':
    case '!~': {
      const m = genMatch(g, rhs as A.PatternExpr, asStr(g, lhs));
      return op === '=~' ? m : `!${m}`;
    }
    case '=': return genAssign(g, lhs as A.Ident | A.IndexExpr, rhs);
    case '+=': return genAddAssign(g, lhs as A.Ident | A.IndexExpr, rhs);
    case '&': return `rt.and(${asInt(g, lhs)}, ${asInt(g, rhs)})`;
    case '|': return `rt.or(${asInt(g, lhs)}, ${asInt(g, rhs)})`;
    case '^': return `rt.xor(${asInt(g, lhs)}, ${asInt(g, rhs)})`;
    case '<<': return `rt.shl(${asInt(g, lhs)}, ${asInt(g, rhs)})`;
    case '>>': return `rt.shr(${asInt(g, lhs)}, ${asInt(g, rhs)})`;
    default:
      break;
  }
  if (op in NATIVE_COMPARE) {
    const lk = kind(lhs);
    if (lk === kind(rhs) && (lk === 'int' || lk === 'float' || lk === 'string')) {
      return `(${genExpr(g, lhs)} ${NATIVE_COMPARE[op]} ${genExpr(g, rhs)})`;
    }
    return `rt.cmp(${genExpr(g, lhs)}, ${genExpr(g, rhs)}, "${op}", ${g.site(e)})`;
  }
  const t = kind(e);
  if (t === 'string') {
    const concat = `(${asStr(g, lhs)} + ${asStr(g, rhs)})`;
    // Built from one match's captures and constants, the string is the same until that pattern
    // runs again: build it once, so repeated label lookups reuse one string and its hash.
    const pattern = capturePurePattern(e);
    return pattern === undefined ? concat : g.cachedExpr(pattern, concat);
  }
  if (t === 'float') {
    const l = asFloat(g, lhs);
    const r = asFloat(g, rhs);
    return op === '**' ? `Math.pow(${l}, ${r})` : `(${l} ${op} ${r})`;
  }
  const l = asInt(g, lhs);
  const r = asInt(g, rhs);
  switch (op) {
    case '/': return `rt.idiv(${l}, ${r}, ${g.site(e)})`;
    case '%': return `rt.imod(${l}, ${r}, ${g.site(e)})`;
    case '**': return `rt.ipow(${l}, ${r})`;
    default: return `(${l} ${op} ${r})`;
  }
}

/**
 * The one pattern whose captures a string concatenation is built from, when it is built only
 * from them and constants; undefined otherwise (other values may change between uses).
 */
function capturePurePattern(e: A.Expr): number | undefined {
  const patterns = new Set<number>();
  const pure = (x: A.Expr): boolean => {
    switch (x.kind) {
      case 'string':
      case 'int':
      case 'float':
        return true;
      case 'capref':
        patterns.add(x.pattern!.index!);
        return true;
      case 'binary':
        return x.op === '+' && kind(x) === 'string' && pure(x.lhs) && pure(x.rhs);
      default:
        return false;
    }
  };
  return pure(e) && patterns.size === 1 ? [...patterns][0] : undefined;
}

function genAssign(g: Gen, lhs: A.Ident | A.IndexExpr, rhs: A.Expr): string {
  const decl = (lhs.kind === 'ident' ? lhs.decl : lhs.target.decl) as A.VarDecl;
  const d = genDatum(g, lhs);
  if (decl.metric === 'histogram') {
    return `rt.observe(${g.metricVar(decl)}, ${d}, ${kind(lhs) === 'float' ? asFloat(g, rhs) : asInt(g, rhs)}, ts, now)`;
  }
  switch (kind(lhs)) {
    case 'float': return `rt.set(${d}, ${asFloat(g, rhs)}, ts, now)`;
    case 'string': return `rt.set(${d}, ${asStr(g, rhs)}, ts, now)`;
    default: return `rt.set(${d}, ${asInt(g, rhs)}, ts, now)`;
  }
}

function genAddAssign(g: Gen, lhs: A.Ident | A.IndexExpr, rhs: A.Expr): string {
  const d = genDatum(g, lhs);
  switch (kind(lhs)) {
    case 'float': return `rt.inc(${d}, ${asFloat(g, rhs)}, ts, now)`;
    case 'string': return `rt.append(${d}, ${asStr(g, rhs)}, ts, now)`;
    default: return `rt.inc(${d}, ${asInt(g, rhs)}, ts, now)`;
  }
}

function genConv(g: Gen, e: A.ConvExpr): string {
  const from = kind(e.expr);
  const x = genExpr(g, e.expr);
  switch (e.to) {
    case 'int': return from === 'string' ? `rt.s2i(${x}, ${g.site(e)})` : from === 'float' ? `Math.trunc(${x})` : x;
    case 'float': return from === 'string' ? `rt.s2f(${x}, ${g.site(e)})` : x;
    case 'string': return from === 'int' ? `rt.i2s(${x})` : from === 'float' ? `rt.f2s(${x})` : x;
  }
}

function genCall(g: Gen, e: A.CallExpr): string {
  const [a, b, c] = e.args;
  switch (e.name) {
    case 'int': return kind(a) === 'float' ? `Math.trunc(${genExpr(g, a)})` : asInt(g, a);
    case 'float': return asFloat(g, a);
    case 'string': return kind(a) === 'float' ? `rt.f2s(${genExpr(g, a)})` : asStr(g, a);
    case 'bool': return genExpr(g, a);
    case 'len': return `rt.len(${asStr(g, a)})`;
    case 'tolower': return `rt.lower(${asStr(g, a)})`;
    case 'timestamp': return 'rt.timestamp(ts, now)';
    case 'getfilename': return 'filename';
    case 'settime':
      // mtail's settime takes only an int from the stack; anything else fails at run time.
      return kind(a) === 'int' ? `(ts = ${genExpr(g, a)} * 1000)` : `rt.fail("settime() needs an integer", ${g.site(a)})`;
    case 'strptime':
      return `(ts = rt.strptime(${asStr(g, a)}, ${JSON.stringify((b as A.StringLit).value)}, ${g.site(e)}))`;
    case 'strtol': return `rt.strtol(${asStr(g, a)}, ${asInt(g, b)}, ${g.site(e)})`;
    case 'subst':
      if (a.kind === 'pattern') return `rt.rsubst(G${a.index}, ${asStr(g, b)}, ${asStr(g, c)})`;
      return `rt.subst(${asStr(g, a)}, ${asStr(g, b)}, ${asStr(g, c)})`;
    default:
      throw new Error(`internal error: no code for builtin ${e.name}`);
  }
}
