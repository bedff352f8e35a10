// The logmetrics extensions a program uses, for `check --strict-mtail`: a
// program free of them means the same under mtail. These are not compile
// diagnostics (an extension is no fault); they are listed only when asked for.
// Beside the extensions proper, the documented mtail constructs that mtail
// 3.0.0~rc50 itself refuses, which logmetrics runs with their documented
// meaning (README, "Every deliberate difference"): a program that uses one
// does not load in mtail.
import type * as A from './ast.js';
import { EXTENSION_BUILTINS } from './lexer.js';
import { codeFrame, formatPos, type Source, type Span } from './source.js';
import { root } from './types.js';

export interface ExtensionUse {
  name: string;
  span: Span;
  /** What differs under mtail, when it is not a builtin mtail lacks. */
  message?: string;
}

/**
 * mtail loads `$a =~ $b` but builds its regex when the program loads, from the literal
 * parts of the right side only: a capture or a call there counts as "" (mtail 3.0.0-rc50,
 * checker's patternEvaluator), so `$a =~ $b` always matches. logmetrics compiles the string
 * when the line runs, which is what the program says but not what mtail does.
 */
const DYNAMIC_MATCH =
  'a right side computed when the line runs is a logmetrics extension: mtail builds this regex when the program loads from its literal parts only, reading captures and calls as "" (so `$a =~ $b` always matches there)';

/** Every call of an extension builtin, every `=~`/`!~` with a computed right side and every construct rc50 refuses, in source order. */
export function extensionUses(ast: A.Program): ExtensionUse[] {
  const out: ExtensionUse[] = [];
  const seen = new Set<unknown>();
  const subjects = new WeakSet<A.Expr>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const n = node as { kind?: string; name?: string; start?: number; end?: number };
    if (n.kind === 'call' && n.name !== undefined && EXTENSION_BUILTINS.has(n.name)) out.push({ name: n.name, span: { start: n.start!, end: n.end! } });
    // The checker turned every right side it could build at load time into a pattern.
    const b = node as Partial<A.BinaryExpr>;
    if (b.kind === 'binary' && (b.op === '=~' || b.op === '!~') && b.rhs!.kind !== 'pattern') {
      out.push({ name: b.op, span: { start: b.rhs!.start, end: b.rhs!.end }, message: DYNAMIC_MATCH });
    }
    refusals(node as A.Expr | A.Stmt | A.Program, flag, subjects);
    for (const [k, v] of Object.entries(node)) if (k !== 'decl' && k !== 'type') walk(v);
  };
  const flag = (node: Span, message: string, end = node.end): void => {
    out.push({ name: 'mtail', span: { start: node.start, end }, message });
  };
  walk(ast);
  return out.sort((a, b) => a.span.start - b.span.start);
}

const RC50 = 'mtail 3.0.0~rc50';

/** What rc50 says of each construct it refuses, and how to write it for rc50 (each checked against it in test/differential/refusals.test.ts). */
export const REFUSED = {
  leadingFragment: `${RC50} refuses a pattern that starts with a const name, a string or a number and goes on with \`+\` (its grammar needs a regex literal first): begin it with one, as in \`// + PREFIX + /foo/\``,
  unaryNot: `${RC50} refuses unary \`!\` (its lexer knows \`!\` only in \`!=\` and \`!~\`): write the opposite comparison, or \`!~\``,
  laterPattern: `${RC50} refuses a regex pattern after the first operand of a condition: nest the blocks, as in \`/a/ { /b/ { ... } }\``,
  secondRegex: `${RC50} refuses a second regex in one condition (each declares capture group 0 in the same scope): nest the blocks, as in \`/re/ { $1 =~ /x/ { ... } }\``,
  secondSubst: `${RC50} refuses a second subst() with a regex in one block (each declares capture group 0 in the block's scope): move it into a block of its own`,
  floatPattern: `${RC50} refuses a Float as the right side of \`=~\` or \`!~\` ("expected Pattern received Float"): write it as a regex or a string`,
  intOfFloat: `${RC50} refuses int() of a Float ("can't convert Float to Int"); here it truncates toward zero`,
  stringToNumber: `${RC50} types a counter or gauge given a String as a String: it refuses the program for a counter and exports a gauge as 0; convert the value with int() or float()`,
  wholeMatch: `${RC50} types \`$0\` as None (group 0 is no capture group in its regexp tree): it refuses \`$0\` anywhere but as the subject of \`=~\` or \`!~\`; put the pattern in a named group and use that`,
} as const;

type Flag = (node: Span, message: string, end?: number) => void;

/**
 * The constructs of the mtail language that rc50 refuses, at one node of the tree.
 * `subjects`: captures met as the subject of `=~`/`!~` (the walk is top-down, so before the
 * capture itself), where rc50 takes `$0`.
 */
function refusals(n: A.Expr | A.Stmt | A.Program, flag: Flag, subjects: WeakSet<A.Expr>): void {
  switch (n.kind) {
    case 'pattern':
      // A sum of literals only is a string expression to rc50, which it folds into a regex
      // (`$x =~ ("a" + "b")`); a const name or a regex in it is not.
      if (n.parts.length > 1 && n.parts[0]!.kind !== 'regex' && !n.parts.every((p) => p.kind === 'string' || p.kind === 'int' || p.kind === 'float')) {
        flag(n, REFUSED.leadingFragment);
      }
      return;
    case 'unary':
      if (n.op === '!') flag(n, REFUSED.unaryNot, n.start + 1);
      return;
    case 'call':
      if (n.name === 'int' && n.args.length === 1 && isOf(n.args[0]!, 'float')) flag(n, REFUSED.intOfFloat);
      return;
    case 'capref':
      if (n.name === '0' && !subjects.has(n)) flag(n, REFUSED.wholeMatch);
      return;
    case 'binary':
      if ((n.op === '=~' || n.op === '!~') && n.lhs.kind === 'capref') subjects.add(n.lhs);
      if ((n.op === '=' || n.op === '+=') && isCounterOrGauge(n.lhs) && isOf(n.rhs.kind === 'conv' ? n.rhs.expr : n.rhs, 'string')) flag(n, REFUSED.stringToNumber);
      if ((n.op === '=~' || n.op === '!~') && n.rhs.kind === 'pattern' && n.rhs.parts.length === 1 && n.rhs.parts[0]!.kind === 'float') flag(n.rhs, REFUSED.floatPattern);
      return;
    case 'cond':
      if (n.cond !== null) conditionRefusals(n.cond, flag);
      return;
    case 'program':
    case 'block':
      substRefusals(n.body, flag);
      return;
  }
}

function isOf(e: A.Expr, kind: 'string' | 'float'): boolean {
  return e.type !== undefined && root(e.type).kind === kind;
}

function isCounterOrGauge(e: A.Expr): boolean {
  const target = e.kind === 'index' ? e.target : e;
  return target.kind === 'ident' && target.decl?.kind === 'decl' && (target.decl.metric === 'counter' || target.decl.metric === 'gauge');
}

/** A line pattern anywhere but first in a condition, and every regex after the first. */
function conditionRefusals(cond: A.Expr, flag: Flag): void {
  let first: A.Expr = cond;
  // (`!/a/` is flagged for its `!` already.)
  for (;;) {
    if (first.kind === 'binary' && (first.op === '&&' || first.op === '||')) first = first.lhs;
    else if (first.kind === 'unary' && first.op === '!') first = first.expr;
    else break;
  }
  let regexes = 0;
  const visit = (e: A.Expr): void => {
    if (e.kind === 'unary' && e.op === 'match') {
      regexes++;
      if (e !== first) flag(e, REFUSED.laterPattern);
      return;
    }
    if (e.kind === 'binary') {
      if ((e.op === '=~' || e.op === '!~') && e.rhs.kind === 'pattern' && ++regexes > 1) flag(e.rhs, REFUSED.secondRegex);
      if (e.op === '&&' || e.op === '||' || e.op === '=~' || e.op === '!~') {
        visit(e.lhs);
        visit(e.rhs);
      }
      return;
    }
    if (e.kind === 'unary' || e.kind === 'conv') visit(e.expr);
  };
  visit(cond);
}

/** Every regex subst() after the first among a block's own statements (a nested block is a scope of its own). */
function substRefusals(body: A.Stmt[], flag: Flag): void {
  let count = 0;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const n = node as A.Expr;
    if (n.kind === 'call' && n.name === 'subst' && n.args[0]?.kind === 'pattern' && ++count > 1) flag(n.args[0], REFUSED.secondSubst);
    for (const [k, v] of Object.entries(node)) if (k !== 'decl' && k !== 'type' && k !== 'pattern') visit(v);
  };
  for (const s of body) if (s.kind === 'exprstmt') visit(s.expr);
}

/** A use as a warning with its position and code frame. */
export function formatExtensionUse(src: Source, use: ExtensionUse): string {
  const message = use.message ?? `${use.name}() is a logmetrics extension: mtail does not have it`;
  return `${formatPos(src, use.span)}: warning[strict-mtail]: ${message}\n${codeFrame(src, use.span)}`;
}
