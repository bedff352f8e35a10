// The logmetrics extensions a program uses, for `check --strict-mtail`: a
// program free of them means the same under mtail. These are not compile
// diagnostics (an extension is no fault); they are listed only when asked for.
import type * as A from './ast.js';
import { EXTENSION_BUILTINS } from './lexer.js';
import { codeFrame, formatPos, type Source, type Span } from './source.js';

export interface ExtensionUse {
  name: string;
  span: Span;
}

/** Every call of an extension builtin, in source order. */
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
    for (const [k, v] of Object.entries(node)) if (k !== 'decl' && k !== 'type') walk(v);
  };
  walk(ast);
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** A use as a warning with its position and code frame. */
export function formatExtensionUse(src: Source, use: ExtensionUse): string {
  return `${formatPos(src, use.span)}: warning[strict-mtail]: ${use.name}() is a logmetrics extension: mtail does not have it\n${codeFrame(src, use.span)}`;
}
