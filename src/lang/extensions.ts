// The logmetrics extensions a program uses, for `check --strict-mtail`: a
// program free of them means the same under mtail.
import type * as A from './ast.js';
import { Code, Diagnostic } from './diagnostics.js';
import { EXTENSION_BUILTINS } from './lexer.js';

/** One warning per use of an extension builtin, in source order. */
export function extensionUses(ast: A.Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const n = node as { kind?: string; name?: string; start?: number; end?: number };
    if (n.kind === 'call' && n.name !== undefined && EXTENSION_BUILTINS.has(n.name)) {
      out.push(new Diagnostic(Code.Extension, `${n.name}() is a logmetrics extension: mtail does not have it`, { start: n.start!, end: n.end! }));
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'decl' && k !== 'type') walk(v);
  };
  walk(ast);
  return out.sort((a, b) => a.span.start - b.span.start);
}
