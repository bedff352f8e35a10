import type * as A from '../ast.js';
import { Code, type Diagnostics } from '../diagnostics.js';
import type { Source } from '../source.js';
import { type CheckLimits, Checker, DEFAULT_LIMITS } from './context.js';
import { lower } from './lower.js';
import { checkStmts } from './stmt.js';
import type * as T from '../checked.js';

/**
 * Resolves names, infers types, validates patterns; all problems go to diags. The parse
 * tree is annotated in place (types, resolved names); when there is no error the result
 * is the typed tree code generation reads.
 */
export function check(program: A.Program, src: Source, diags: Diagnostics, limits: CheckLimits = DEFAULT_LIMITS): T.Program | undefined {
  const c = new Checker(src, diags, limits);
  // Statements that failed to parse are missing from the tree, so "never used" would be a guess.
  const syntaxFailed = diags.hasErrors;
  checkStmts(c, program.body);
  // mtail refuses programs with unused declarations; a warning is enough to help.
  if (!syntaxFailed) reportUnused(c);
  return diags.hasErrors ? undefined : lower(program, c.metrics, c.patterns, limits.maxRegexLength, (source) => c.regex(source));
}

function reportUnused(c: Checker): void {
  for (const d of c.metrics) if (!d.used) c.error(Code.UnusedMetric, d.nameSpan, { name: d.name });
  for (const d of c.consts) if (!d.used) c.error(Code.UnusedConst, d.nameSpan, { name: d.name });
  for (const d of c.decorators) if (!d.used) c.error(Code.UnusedDecorator, d, { name: d.name });
}

export type { CheckLimits } from './context.js';
export { DEFAULT_LIMITS } from './context.js';
