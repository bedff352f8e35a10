import type * as A from '../ast.js';
import { formatPos, type Source, type Span } from '../source.js';
import { kindOf } from '../types.js';

/** State while generating one program's JavaScript. */
export class Gen {
  readonly sites: string[] = [];
  private readonly siteIndex = new Map<string, number>();
  private readonly metricIndex = new Map<A.VarDecl, number>();
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

  metricVar(d: A.VarDecl): string {
    return `M${this.metricIndex.get(d)}`;
  }
}

/** The static kind code generation works with: unresolved metric types are ints, as in mtail. */
export function kind(e: A.Expr): string {
  return kindOf(e.type!);
}

export function matchVar(p: A.PatternExpr): string {
  return `g${p.index}`;
}
