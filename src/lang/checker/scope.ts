import type * as A from '../ast.js';
import type { Type } from '../types.js';

/** A capture group visible as $n or $name. */
export interface CaprefBinding {
  pattern: A.PatternExpr;
  group: number;
  type: Type;
}

/**
 * Lexical scope. Blocks and conditions open one; metrics, consts, decorators
 * and capture groups are declared into the innermost. A decorated block also
 * sees the scope the decorator had at its `next` (its capture groups).
 */
export class Scope {
  // Made on first declaration: most scopes (a block's, a condition's) declare little or nothing.
  private namesHere: Map<string, A.VarDecl | A.ConstDecl> | undefined;
  private decoratorsHere: Map<string, A.DecoDecl> | undefined;
  private caprefsHere: Map<string, CaprefBinding> | undefined;

  constructor(readonly parent: Scope | null, readonly decorated: Scope | null = null) {}

  /** Metrics and consts declared in this scope. */
  get names(): Map<string, A.VarDecl | A.ConstDecl> {
    return (this.namesHere ??= new Map());
  }

  /** Decorators defined in this scope. */
  get decorators(): Map<string, A.DecoDecl> {
    return (this.decoratorsHere ??= new Map());
  }

  /** Capture groups declared in this scope. */
  get caprefs(): Map<string, CaprefBinding> {
    return (this.caprefsHere ??= new Map());
  }

  /**
   * The first value `get` finds in this scope, the decorated scope's chain, then the parent's.
   * A loop, not recursion: a chain of decorators thousands deep must not exhaust the stack,
   * and scopes reached twice through decorated links are visited once.
   */
  private find<T>(get: (s: Scope) => T | undefined): T | undefined {
    const pending: Scope[] = [];
    let seen: Set<Scope> | undefined;
    let s: Scope | null = this;
    for (;;) {
      if (s === null) {
        const next = pending.pop();
        if (next === undefined) return undefined;
        s = next;
      }
      if (seen) {
        if (seen.has(s)) {
          s = null;
          continue;
        }
        seen.add(s);
      }
      const v = get(s);
      if (v !== undefined) return v;
      if (s.decorated) {
        seen ??= new Set([s]);
        if (s.parent) pending.push(s.parent);
        s = s.decorated;
      } else {
        s = s.parent;
      }
    }
  }

  lookupName(name: string): A.VarDecl | A.ConstDecl | undefined {
    return this.find((s) => s.namesHere?.get(name));
  }

  lookupDecorator(name: string): A.DecoDecl | undefined {
    return this.find((s) => s.decoratorsHere?.get(name));
  }

  lookupCapref(name: string): CaprefBinding | undefined {
    return this.find((s) => s.caprefsHere?.get(name));
  }
}
