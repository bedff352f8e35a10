// The logmetrics extensions a program uses, for `check --strict-mtail`: a
// program free of them means the same under mtail. These are not compile
// diagnostics (an extension is no fault); they are listed only when asked for.
import type * as A from './ast.js';
import { EXTENSION_BUILTINS } from './lexer.js';
import { codeFrame, formatPos, type Source, type Span } from './source.js';

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

/** Every call of an extension builtin and every `=~`/`!~` with a computed right side, in source order. */
export function extensionUses(ast: A.Program): ExtensionUse[] {
  const out: ExtensionUse[] = [];
  const seen = new Set<unknown>();
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
    for (const [k, v] of Object.entries(node)) if (k !== 'decl' && k !== 'type') walk(v);
  };
  walk(ast);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** A use as a warning with its position and code frame. */
export function formatExtensionUse(src: Source, use: ExtensionUse): string {
  const message = use.message ?? `${use.name}() is a logmetrics extension: mtail does not have it`;
  return `${formatPos(src, use.span)}: warning[strict-mtail]: ${message}\n${codeFrame(src, use.span)}`;
}
