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
  readonly names = new Map<string, A.VarDecl | A.ConstDecl>();
  readonly decorators = new Map<string, A.DecoDecl>();
  readonly caprefs = new Map<string, CaprefBinding>();

  constructor(readonly parent: Scope | null, readonly decorated: Scope | null = null) {}

  private *chain(): Generator<Scope> {
    yield this;
    if (this.decorated) yield* this.decorated.chain();
    if (this.parent) yield* this.parent.chain();
  }

  lookupName(name: string): A.VarDecl | A.ConstDecl | undefined {
    for (const s of this.chain()) {
      const d = s.names.get(name);
      if (d) return d;
    }
    return undefined;
  }

  lookupDecorator(name: string): A.DecoDecl | undefined {
    for (const s of this.chain()) {
      const d = s.decorators.get(name);
      if (d) return d;
    }
    return undefined;
  }

  lookupCapref(name: string): CaprefBinding | undefined {
    for (const s of this.chain()) {
      const c = s.caprefs.get(name);
      if (c) return c;
    }
    return undefined;
  }
}
