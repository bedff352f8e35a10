import type * as A from './ast.js';
import type * as T from './checked.js';
import { check, type CheckLimits, DEFAULT_LIMITS } from './checker/index.js';
import { generate, type GeneratedProgram } from './codegen/index.js';
import { tooDeep } from './depth.js';
import { Code, type Diagnostic, Diagnostics } from './diagnostics.js';
import { parse } from './parser.js';
import { Source } from './source.js';

/**
 * The highest --max-recursion-depth honoured: the checker and code generator recurse on the
 * tree, and this depth is what they are tested to survive (test/lang/limits.test.ts).
 */
export const MAX_RECURSION_DEPTH = 1000;

/**
 * Deepest tree the checker and code generator walk, whatever mtail would count: arithmetic
 * on number literals counts nothing in mtail (it is folded first), but we check it unfolded.
 */
export const MAX_TREE_DEPTH = 1200;

export interface CompileResult {
  source: Source;
  diagnostics: Diagnostic[];
  /** Present when there are no errors. */
  checked?: T.Program;
  generated?: GeneratedProgram;
  ast?: A.Program;
}

/** Compiles an mtail program: lex → parse → check → generate. Never throws on bad input. */
export function compile(name: string, text: string, limits: CheckLimits = DEFAULT_LIMITS, path: string = name): CompileResult {
  const source = new Source(name, text, path);
  const diags = new Diagnostics();
  const ast = parse(text, diags);
  // mtail's -max_recursion_depth, before anything recurses on the tree: past it, checking
  // (and code generation) could run out of stack, so the program stops here.
  const effective = { ...limits, maxRecursionDepth: Math.min(limits.maxRecursionDepth, MAX_RECURSION_DEPTH) };
  const deep = tooDeep(ast, effective.maxRecursionDepth, MAX_TREE_DEPTH);
  if (deep !== undefined) {
    if (deep.raw) diags.add(Code.TooNested, deep.span, { max: MAX_TREE_DEPTH });
    else diags.add(Code.TooDeep, deep.span, { max: effective.maxRecursionDepth });
    return { source, diagnostics: sortDiagnostics(diags.list), ast };
  }
  // Check even after syntax errors, so one run reports as much as it can.
  const checked = check(ast, source, diags, effective);
  if (!checked) return { source, diagnostics: sortDiagnostics(diags.list), ast };
  return { source, diagnostics: sortDiagnostics(diags.list), checked, generated: generate(checked, source), ast };
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.span.start - b.span.start);
}

/** All diagnostics formatted with code frames, errors and warnings alike. */
export function formatDiagnostics(result: CompileResult): string {
  return result.diagnostics.map((d) => d.format(result.source)).join('\n\n');
}
