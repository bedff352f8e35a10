// Shared helpers of the language tests: a compact s-expression printer for ASTs,
// lexing to a token list, and running a compiled program in-process over lines.
import type * as A from '../../src/lang/ast.js';
import { compile, type CompileResult } from '../../src/lang/compile.js';
import { Diagnostics } from '../../src/lang/diagnostics.js';
import { Lexer, type Token } from '../../src/lang/lexer.js';
import { parse } from '../../src/lang/parser.js';
import { silentLogger } from '../../src/log/index.js';
import { Store, type Metric } from '../../src/metrics/index.js';
import { instantiate } from '../../src/runtime/program.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';

/** Every token of `text` up to (not including) eof, with the lexer's diagnostics. */
export function lexAll(text: string): { tokens: Token[]; diags: Diagnostics } {
  const diags = new Diagnostics();
  const lexer = new Lexer(text, diags);
  const tokens: Token[] = [];
  for (let i = 0; i < 10_000; i++) {
    const tok = lexer.next();
    if (tok.kind === 'eof') break;
    tokens.push(tok);
  }
  return { tokens, diags };
}

/** A compact s-expression of an expression: `(* 2 (** 3 2))`, `(index m $a $b)`, `/re/`. */
export function sexpr(e: A.Expr): string {
  switch (e.kind) {
    case 'int':
    case 'float':
      return String(e.value);
    case 'string': return JSON.stringify(e.value);
    case 'regex': return `/${e.source}/`;
    case 'pattern': return e.parts.length === 1 ? sexpr(e.parts[0]) : `(pattern ${e.parts.map(sexpr).join(' ')})`;
    case 'capref': return `$${e.name}`;
    case 'ident': return e.name;
    case 'index': return `(index ${e.target.name} ${e.keys.map(sexpr).join(' ')})`;
    case 'call': return `(${e.name}${e.args.map((a) => ' ' + sexpr(a)).join('')})`;
    case 'unary': return `(${e.op} ${sexpr(e.expr)})`;
    case 'postfix': return `(post${e.op} ${sexpr(e.expr)})`;
    case 'binary': return `(${e.op} ${sexpr(e.lhs)} ${sexpr(e.rhs)})`;
    case 'conv': return `(conv-${e.to} ${sexpr(e.expr)})`;
  }
}

/** A compact s-expression of a statement. */
export function sstmt(s: A.Stmt): string {
  const block = (b: A.Block) => `{${b.body.map((x) => ' ' + sstmt(x)).join('')} }`;
  switch (s.kind) {
    case 'block': return block(s);
    case 'cond':
      if (s.cond === null) return `(otherwise ${block(s.then)})`;
      return `(if ${sexpr(s.cond)} ${block(s.then)}${s.else ? ' else ' + block(s.else) : ''})`;
    case 'exprstmt': return sexpr(s.expr);
    case 'decl': {
      const attrs: string[] = [];
      if (s.hidden) attrs.push('hidden');
      if (s.exportedName !== null) attrs.push(`as ${JSON.stringify(s.exportedName)}`);
      if (s.keys.length) attrs.push(`by ${s.keys.join(',')}`);
      if (s.buckets) attrs.push(`buckets ${s.buckets.join(',')}`);
      if (s.limit !== null) attrs.push(`limit ${s.limit}`);
      return `(${s.metric} ${s.name}${attrs.map((a) => ' ' + a).join('')})`;
    }
    case 'const': return `(const ${s.name} ${sexpr(s.value)})`;
    case 'def': return `(def ${s.name} ${block(s.body)})`;
    case 'deco': return `(@${s.name} ${block(s.body)})`;
    case 'next': return 'next';
    case 'stop': return 'stop';
    case 'del': return `(del ${sexpr(s.target)}${s.expiryMs === null ? '' : ' after ' + s.expiryMs + 'ms'})`;
  }
}

/** Parses `text`; the whole program as s-expressions, one statement per line, and the diagnostics. */
export function parseToSexpr(text: string): { out: string; diags: Diagnostics } {
  const diags = new Diagnostics();
  const program = parse(text, diags);
  return { out: program.body.map(sstmt).join('\n'), diags };
}

export interface RunOutcome {
  result: CompileResult;
  store: Store;
  metrics: Map<string, Metric>;
  /** Run-time errors, in order: [position, message, line]. */
  errors: [string, string, string][];
}

/** Compiles `text` (throwing with the formatted diagnostics if it fails) and runs it over `lines`. */
export function runProgram(text: string, lines: string[], opts: { filename?: string; now?: number; name?: string } = {}): RunOutcome {
  const name = opts.name ?? 'prog.mtail';
  const result = compile(name, text);
  if (!result.generated) {
    throw new Error(`did not compile:\n${result.diagnostics.map((d) => d.format(result.source)).join('\n')}`);
  }
  const store = new Store();
  const errors: [string, string, string][] = [];
  const now = opts.now ?? Date.UTC(2024, 0, 2, 3, 4, 5);
  const program = instantiate(name, result, store, new Strptime(UTC_ZONE, () => now), silentLogger);
  for (const line of lines) {
    const before = program.runtimeErrors;
    program.run(line, opts.filename ?? '/var/log/test.log', now);
    if (program.runtimeErrors > before) errors.push([program.lastError!.position, program.lastError!.message, line]);
  }
  const metrics = new Map(program.metrics.map((m) => [m.spec.name, m]));
  return { result, store, metrics, errors };
}

/** The value of a datum: `value(run, 'm')` for a scalar, `value(run, 'm', 'a', 'b')` by labels; undefined when absent. */
export function value(run: RunOutcome, metric: string, ...labels: string[]): number | bigint | string | undefined {
  const m = run.metrics.get(metric);
  if (!m) throw new Error(`no metric ${metric}`);
  for (const d of m.datums()) {
    if (d.labels.length === labels.length && d.labels.every((l, i) => l === labels[i])) return d.value;
  }
  return undefined;
}

/** Every datum of a metric as `labels joined by "," => value`. */
export function datums(run: RunOutcome, metric: string): Record<string, number | bigint | string> {
  const m = run.metrics.get(metric);
  if (!m) throw new Error(`no metric ${metric}`);
  const out: Record<string, number | bigint | string> = {};
  for (const d of m.datums()) out[d.labels.join(',')] = d.value;
  return out;
}
