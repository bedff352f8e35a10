import type { Span } from './source.js';
import type { Type, TypeVar } from './types.js';

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'timer' | 'text';

export interface Program extends Span {
  kind: 'program';
  body: Stmt[];
}

export type Stmt =
  | Block | CondStmt | ExprStmt | VarDecl | ConstDecl | DecoDecl | DecoStmt | NextStmt | StopStmt | DelStmt;

export interface Block extends Span { kind: 'block'; body: Stmt[] }
export interface CondStmt extends Span {
  kind: 'cond';
  /** `otherwise` blocks have no condition. */
  cond: Expr | null;
  then: Block;
  else: Block | null;
}
export interface ExprStmt extends Span { kind: 'exprstmt'; expr: Expr }
export interface VarDecl extends Span {
  kind: 'decl';
  metric: MetricKind;
  name: string;
  nameSpan: Span;
  exportedName: string | null;
  keys: string[];
  buckets: number[] | null;
  limit: number | null;
  hidden: boolean;
  /** The comment lines directly above the declaration, without their `#`, joined by spaces (its HELP text). */
  doc: string | null;
  /** Set by the checker: the metric's value type. */
  valueType?: TypeVar;
  keyTypes?: TypeVar[];
  used?: boolean;
}
export interface ConstDecl extends Span { kind: 'const'; name: string; nameSpan: Span; value: Expr; pattern?: string; used?: boolean }
export interface DecoDecl extends Span { kind: 'def'; name: string; body: Block; used?: boolean }
export interface DecoStmt extends Span { kind: 'deco'; name: string; body: Block; decl?: DecoDecl }
export interface NextStmt extends Span { kind: 'next' }
export interface StopStmt extends Span { kind: 'stop' }
export interface DelStmt extends Span { kind: 'del'; target: Expr; expiryMs: number | null }

export type Expr =
  | IntLit | FloatLit | StringLit | RegexLit | PatternExpr | Capref | Ident | IndexExpr | CallExpr
  | UnaryExpr | PostfixExpr | BinaryExpr | ConvExpr;

interface Typed extends Span {
  type?: Type;
  /** Written in parentheses: mtail's grammar makes `(a - b)` a primary expression, so it may stand alone as a statement. */
  parenthesized?: true;
}
/** An int64: a number while it is a safe integer, a bigint beyond (see src/go/int64.ts). */
export interface IntLit extends Typed { kind: 'int'; value: number | bigint }
export interface FloatLit extends Typed { kind: 'float'; value: number }
export interface StringLit extends Typed { kind: 'string'; value: string }
export interface RegexLit extends Typed { kind: 'regex'; source: string }
/** A complete pattern: literal regexes and const fragments joined with `+`. */
export interface PatternExpr extends Typed {
  kind: 'pattern';
  parts: Expr[];
  /** Filled by the checker. */
  source?: string;
  /** Index into the program's regex table; filled by the checker. */
  index?: number;
  /** Whether this pattern's captures are visible as $n (false for subst patterns). */
  defines?: boolean;
  /** Group numbers the program reads (filled by the checker): only these are captured at run time. */
  usedGroups?: Set<number>;
}
export interface Capref extends Typed {
  kind: 'capref';
  name: string;
  /** Filled by the checker: the pattern whose match holds this group, and the group number. */
  pattern?: PatternExpr;
  group?: number;
}
export interface Ident extends Typed {
  kind: 'ident';
  name: string;
  decl?: VarDecl | ConstDecl;
}
export interface IndexExpr extends Typed { kind: 'index'; target: Ident; keys: Expr[] }
export interface CallExpr extends Typed { kind: 'call'; name: string; args: Expr[] }
export interface UnaryExpr extends Typed { kind: 'unary'; op: '!' | '~' | 'match'; expr: Expr }
export interface PostfixExpr extends Typed { kind: 'postfix'; op: '++' | '--'; expr: Expr }
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^'
  | '<' | '>' | '<=' | '>=' | '==' | '!='
  | '&&' | '||' | '=' | '+=' | '=~' | '!~';
export interface BinaryExpr extends Typed { kind: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr; opSpan: Span }
/** A conversion the checker inserted (mtail's ConvExpr). */
export interface ConvExpr extends Typed { kind: 'conv'; expr: Expr; to: 'int' | 'float' | 'string' }
