/**
 * The checker's result: a typed tree that code generation reads without guessing.
 *
 * Every expression has a concrete run-time kind; every place where mtail's VM converts a
 * value (its Pop{Int,Float,String}, its checker's ConvExpr) is an explicit `conv` node;
 * names are resolved to metrics and capture groups; decorators are expanded and plain
 * blocks flattened. Nothing here is optional that code generation needs.
 */
import type { MetricKind } from './ast.js';
import type { Span } from './source.js';

/** A value's kind when the line runs. `none` is the result of settime() and strptime(). */
export type Kind = 'int' | 'float' | 'string' | 'bool' | 'none';

export interface Program {
  /** Metrics in declaration order; `index` is the position here. */
  metrics: Metric[];
  /** The regex table; `index` is the position here. */
  patterns: Pattern[];
  body: Stmt[];
  /** Whether an `otherwise` block reads mtail's "did a block at this level run" flag. */
  usesOtherwise: boolean;
  /** The longest regex in bytes: literals were held to it, a DynMatch's string is when the line runs. */
  maxRegexLength: number;
}

export interface Metric {
  index: number;
  name: string;
  exportedName: string;
  kind: MetricKind;
  valueType: 'int' | 'float' | 'string';
  keys: string[];
  buckets: number[] | null;
  limit: number | null;
  hidden: boolean;
  /** The comment lines directly above the declaration: its HELP text (null: "defined at" its source). */
  help: string | null;
  /** The name in the declaration, for messages and the metric's source. */
  span: Span;
}

export interface Pattern {
  index: number;
  source: string;
  /** The text a line must end with to match (regex/prefilter.ts requiredSuffix), if known. */
  suffix: string | undefined;
  /** A text a line must contain to match (regex/prefilter.ts requiredLiteral), if one is worth looking for. */
  literal: string | undefined;
  /** Whether its captures are visible as $n (false for subst() patterns). */
  defines: boolean;
  /** Group numbers the program reads, ascending: only these are captured when a line runs. */
  groups: number[];
  /** The group names by number (null for an unnamed group); `names[0]` is null. */
  names: (string | null)[];
  span: Span;
}

export type Stmt = ExprStmt | IfStmt | StopStmt | DelStmt;

export interface ExprStmt { kind: 'expr'; expr: Expr; span: Span }
export interface IfStmt {
  kind: 'if';
  /** null for `otherwise`: runs when no earlier block at this level ran. */
  cond: Expr | null;
  then: Stmt[];
  else: Stmt[] | null;
  /** Patterns the condition requires to match: inside `then` their groups are set. */
  matched: Pattern[];
  span: Span;
}
export interface StopStmt { kind: 'stop'; span: Span }
export interface DelStmt { kind: 'del'; metric: Metric; keys: Expr[]; expiryMs: number | null; span: Span }

export type Expr =
  | Literal | Capture | Match | DynMatch | Load | Conv | Not | Logical | Arith | Compare | Update | Call;

interface Node { span: Span }
/** An int literal beyond 2^53 is a bigint, as ints are when the line runs (src/go/int64.ts). */
export interface Literal extends Node { op: 'literal'; type: 'int' | 'float' | 'string'; value: number | bigint | string }
/** The text of a capture group (mtail reads an unset group as ""). */
export interface Capture extends Node { op: 'capture'; type: 'string'; pattern: Pattern; group: number; name: string }
/** Matches a pattern against the line (`subject` null) or a string; true when it matched. */
export interface Match extends Node { op: 'match'; type: 'bool'; pattern: Pattern; subject: Expr | null; negate: boolean }
/**
 * `subject =~ regex` where the regex is a string computed when the line runs (`$a =~ $b`):
 * compiled then, cached by string, and declaring no captures.
 */
export interface DynMatch extends Node { op: 'dynmatch'; type: 'bool'; subject: Expr; regex: Expr; negate: boolean }
/** A metric's current value. */
export interface Load extends Node { op: 'load'; type: Kind; ref: Ref }
/** The metric datum a statement reads or updates: keys are label strings. */
export interface Ref { metric: Metric; keys: Expr[]; span: Span }

/**
 * A conversion. Those that can fail name their source position; `notInt`, `notFloat`
 * and `notString` always fail (a value mtail's VM cannot pop as that kind).
 */
export type ConvOp =
  | 's2i' | 's2f' | 'intKey' | 'i2s' | 'f2s' | 'fG' | 'i2f' | 'trunc' | 'i2b' | 'truthy' | 'bool' | 'str'
  | 'notInt' | 'notFloat';
export interface Conv extends Node { op: 'conv'; type: Kind; conv: ConvOp; expr: Expr }

export interface Not extends Node { op: 'not'; type: 'bool' | 'int'; expr: Expr }
export interface Logical extends Node { op: '&&' | '||'; type: 'bool'; lhs: Expr; rhs: Expr }
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^';
export interface Arith extends Node { op: 'arith'; arith: ArithOp; type: 'int' | 'float' | 'string'; lhs: Expr; rhs: Expr }
export type CompareOp = '<' | '>' | '<=' | '>=' | '==' | '!=';
/** A comparison; `type` of the operands decides how (`mixed`: mtail's dynamic compare). */
export interface Compare extends Node { op: 'compare'; compare: CompareOp; type: 'bool'; operands: Kind | 'mixed'; lhs: Expr; rhs: Expr }
/** `=`, `+=`, `++`, `--` on a metric; `value` is already of the metric's kind. */
export interface Update extends Node { op: 'set' | 'add' | 'observe'; type: Kind; ref: Ref; value: Expr }
export interface Call extends Node {
  op: 'call';
  type: Kind;
  name: 'len' | 'tolower' | 'timestamp' | 'getfilename' | 'settime' | 'strptime' | 'strtol' | 'subst' | 'json' | 'logfmt';
  args: Expr[];
  /** strptime's layout. */
  layout?: string;
  /** subst()'s pattern, when its first argument is a regex. */
  pattern?: Pattern;
}
