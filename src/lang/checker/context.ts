import type * as A from '../ast.js';
import type { Code, Diagnostics, MessageArgs } from '../diagnostics.js';
import type { Source, Span } from '../source.js';
import { type CaprefBinding, Scope } from './scope.js';
import { type CapType, checkRe2, inferCaptureTypes, type Re2Check, requiredLiteral, requiredSuffix } from '../../regex/index.js';
import { parseTree } from '../../regex/parse.js';

/** RE2's verdict on a pattern and, when it accepts it, what the compiler learns from its tree. */
export interface CheckedRegex {
  check: Re2Check;
  /** The types of capture groups 1..n, by mtail's rule. */
  types: CapType[];
  /** The text a line must end with, and a text it must contain, to match (see regex/prefilter.ts). */
  suffix: string | undefined;
  literal: string | undefined;
}

/** Compile-time limits, as in mtail's checker. */
export interface CheckLimits {
  /** mtail's -max_regexp_length: the longest pattern, in bytes (default 1024). */
  maxRegexLength: number;
  /** mtail's -max_recursion_depth: the deepest nesting of the program (default 100). */
  maxRecursionDepth: number;
}

export const DEFAULT_LIMITS: CheckLimits = { maxRegexLength: 1024, maxRecursionDepth: 100 };

/** State of one program's check: scopes, the regex table, the metric list, diagnostics. */
export class Checker {
  scope: Scope;
  readonly metrics: A.VarDecl[] = [];
  readonly patterns: A.PatternExpr[] = [];
  readonly consts: A.ConstDecl[] = [];
  readonly decorators: A.DecoDecl[] = [];
  /** Decorator definitions being checked, innermost last, with the scope seen at their `next`. */
  readonly decoStack: { decl: A.DecoDecl; nextScope: Scope | null; expansion: number }[] = [];
  /** How deep each decorator expands: 1 + the deepest decoration in its body. */
  readonly expansions = new Map<A.DecoDecl, number>();
  /** Scope captured at each decorator's `next`, for the blocks it decorates. */
  readonly nextScopes = new Map<A.DecoDecl, Scope>();

  /** Each distinct pattern's verdict and tree, by source: a program asks several times of each. */
  private readonly regexes = new Map<string, CheckedRegex>();

  constructor(readonly src: Source, readonly diags: Diagnostics, readonly limits: CheckLimits) {
    this.scope = new Scope(null);
  }

  /**
   * RE2's verdict on a pattern and what its tree tells, computed once per program from one
   * parse: the caches of regex/ hold the last thousand patterns, fewer than a large program's,
   * and the tree itself is not kept (10,000 patterns' trees are 20 MB).
   */
  regex(source: string): CheckedRegex {
    let r = this.regexes.get(source);
    if (r === undefined) {
      // Parsed first: RE2 need not be asked about a pattern whose tree shows it valid.
      const parsed = parseTree(source);
      const check = checkRe2(source, parsed);
      const tree = check.ok ? parsed : undefined;
      r = {
        check,
        types: inferCaptureTypes(tree, check.ok ? check.info.groupCount : 0),
        suffix: requiredSuffix(tree),
        literal: requiredLiteral(tree),
      };
      this.regexes.set(source, r);
    }
    return r;
  }

  /** Reports a diagnostic of MESSAGES (warnings too: the code says which). */
  error(code: Code, span: Span, args: MessageArgs = {}): void {
    this.diags.add(code, span, args);
  }

  /** Runs fn in a new scope (optionally seeing a decorator's scope). */
  inScope<T>(fn: () => T, decorated: Scope | null = null): T {
    const saved = this.scope;
    this.scope = new Scope(saved, decorated);
    try {
      return fn();
    } finally {
      this.scope = saved;
    }
  }

  declareCapref(name: string, binding: CaprefBinding): void {
    // A later pattern in the same scope shadows an earlier one's groups (mtail rejects this;
    // its docs allow a pattern and a =~ match in one condition).
    this.scope.caprefs.set(name, binding);
  }
}
