import type * as A from '../ast.js';
import { Code } from '../diagnostics.js';
import { Bool, ErrorType, Float, Int, isError, None, root, Str, type Type, typeName } from '../types.js';
import { layoutProblem, looksLikeStrftime } from '../layout.js';
import type { Checker } from './context.js';
import { checkExpr, checkPattern } from './expr.js';

interface Signature {
  params: string[];
  result: Type;
}

// Parameter names are for messages; mtail converts argument values at run time.
const BUILTINS: Record<string, Signature> = {
  int: { params: ['value'], result: Int },
  float: { params: ['value'], result: Float },
  string: { params: ['value'], result: Str },
  bool: { params: ['value'], result: Bool },
  len: { params: ['string'], result: Int },
  tolower: { params: ['string'], result: Str },
  timestamp: { params: [], result: Int },
  getfilename: { params: [], result: Str },
  settime: { params: ['unix seconds'], result: None },
  strptime: { params: ['time string', 'layout'], result: None },
  strtol: { params: ['string', 'base'], result: Int },
  subst: { params: ['old (string or /regex/)', 'new', 'value'], result: Str },
  // Extensions (see EXTENSION_BUILTINS): fields of structured lines.
  json: { params: ['path'], result: Str },
  logfmt: { params: ['key'], result: Str },
};

/** Checks a builtin call: arity, argument types, a strptime layout known at compile time. */
export function checkCall(c: Checker, e: A.CallExpr): A.Expr {
  const sig = BUILTINS[e.name];
  if (e.args.length !== sig.params.length) {
    const want = sig.params.length === 0 ? 'no arguments' : `${sig.params.length} argument${sig.params.length > 1 ? 's' : ''} (${sig.params.join(', ')})`;
    c.error(Code.Arity, e, { fn: e.name, want, given: `${e.args.length} ${e.args.length === 1 ? 'is' : 'are'} given` });
    e.args = e.args.map((a) => checkExpr(c, a));
    e.type = ErrorType;
    return e;
  }
  if (e.name === 'subst' && (e.args[0].kind === 'pattern' || e.args[0].kind === 'regex')) {
    const p: A.PatternExpr = e.args[0].kind === 'pattern' ? e.args[0] : { kind: 'pattern', parts: [e.args[0]], start: e.args[0].start, end: e.args[0].end };
    // A subst pattern's groups are not visible as $n, so two of them in one block don't clash.
    checkPattern(c, p, { register: true, defines: false });
    e.args[0] = p;
    e.args[1] = checkExpr(c, e.args[1]);
    e.args[2] = checkExpr(c, e.args[2]);
  } else {
    e.args = e.args.map((a) => checkExpr(c, a));
  }
  if (e.args.some((a) => isError(a.type ?? ErrorType))) {
    e.type = ErrorType;
    return e;
  }
  for (const a of e.args) {
    if (a.kind === 'pattern' && !(e.name === 'subst' && a === e.args[0])) {
      c.error(Code.PatternArgument, a, { fn: e.name });
      e.type = ErrorType;
      return e;
    }
  }
  if (e.name === 'tolower' && root(e.args[0].type!).kind !== 'string') {
    c.error(Code.TolowerNotString, e.args[0], { type: typeName(e.args[0].type!) });
    e.type = ErrorType;
    return e;
  }
  if (e.name === 'strptime') {
    const layout = e.args[1];
    if (layout.kind !== 'string') {
      c.error(Code.StrptimeLayoutNotLiteral, layout);
      e.type = ErrorType;
      return e;
    }
    if (looksLikeStrftime(layout.value)) c.error(Code.StrftimeLayout, layout, { layout: layout.value });
    const problem = layoutProblem(layout.value);
    if (problem) {
      c.error(Code.BadStrptimeLayout, layout, { layout: layout.value, problem });
      e.type = ErrorType;
      return e;
    }
  }
  const k = e.args[0] ? root(e.args[0].type!).kind : undefined;
  if ((e.name === 'int' || e.name === 'float' || e.name === 'string') && (k === 'pattern' || k === 'none')) {
    c.error(Code.BadConversion, e.args[0], { type: typeName(e.args[0].type!), fn: e.name });
    e.type = ErrorType;
    return e;
  }
  e.type = sig.result;
  return e;
}
