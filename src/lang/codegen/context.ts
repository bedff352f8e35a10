import type * as A from '../ast.js';
import { formatPos, type Source, type Span } from '../source.js';
import { kindOf } from '../types.js';

/** State while generating one program's JavaScript. */
export class Gen {
  readonly sites: string[] = [];
  private readonly siteIndex = new Map<string, number>();
  private readonly metricIndex = new Map<A.VarDecl, number>();
  /** Locals caching converted captures, by pattern index; cleared whenever that pattern matches again. */
  readonly captureCaches = new Map<number, Set<string>>();
  /** Literal every match of a pattern contains, by pattern index: lines without it skip the regex. */
  readonly prefilters = new Map<number, string>();
  /** Patterns known to have matched here: the code is inside the block their condition guards. */
  readonly matchedPatterns = new Set<number>();
  /** Decorated blocks waiting for their decorator's `next`, innermost last. */
  readonly decorated: A.Block[] = [];

  constructor(readonly src: Source, metrics: A.VarDecl[]) {
    metrics.forEach((m, i) => this.metricIndex.set(m, i));
  }

  /** Registers a source position that a run-time error can point at; returns its index. */
  site(span: Span): number {
    const key = `${span.start}:${span.end}`;
    let i = this.siteIndex.get(key);
    if (i === undefined) {
      i = this.sites.push(formatPos(this.src, span)) - 1;
      this.siteIndex.set(key, i);
    }
    return i;
  }

  /** The local caching one conversion of one capture group (a capture is converted once per match). */
  captureCache(pattern: number, group: number, variant: string): string {
    const name = `c${pattern}_${group}${variant}`;
    let set = this.captureCaches.get(pattern);
    if (!set) this.captureCaches.set(pattern, (set = new Set()));
    set.add(name);
    return name;
  }

  private readonly exprCacheIndex = new Map<string, string>();

  /** `expr` (built from one pattern's captures) computed at most once per match of that pattern. */
  cachedExpr(pattern: number, expr: string): string {
    const key = `${pattern}:${expr}`;
    let name = this.exprCacheIndex.get(key);
    if (name === undefined) {
      name = `c${pattern}_x${this.exprCacheIndex.size}`;
      this.exprCacheIndex.set(key, name);
      let set = this.captureCaches.get(pattern);
      if (!set) this.captureCaches.set(pattern, (set = new Set()));
      set.add(name);
    }
    return `(${name} !== undefined ? ${name} : (${name} = ${expr}))`;
  }

  metricVar(d: A.VarDecl): string {
    return `M${this.metricIndex.get(d)}`;
  }
}

/** The static kind code generation works with: unresolved metric types are ints, as in mtail. */
export function kind(e: A.Expr): string {
  return kindOf(e.type!);
}

/** The groups a pattern's matcher captures: those the program reads, in ascending order. */
export function capturedGroups(p: A.PatternExpr): number[] {
  return [...(p.usedGroups ?? [])].sort((a, b) => a - b);
}

/** Where group `group` of the pattern sits in its match array (the matcher captures only the groups read). */
export function capturedIndex(p: A.PatternExpr, group: number): number {
  return group === 0 ? 0 : capturedGroups(p).indexOf(group) + 1;
}

export function matchVar(p: A.PatternExpr): string {
  return `g${p.index}`;
}
