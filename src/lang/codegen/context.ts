import type * as T from '../checked.js';
import { formatPos, type Source, type Span } from '../source.js';

/**
 * A JavaScript block being generated: the locals it declares and, for names chosen
 * later by an enclosing block, every name declared anywhere inside it (so no local
 * ever shadows another one the code still reads).
 */
export class JsScope {
  readonly declared = new Set<string>();
  readonly below = new Set<string>();
  constructor(readonly parent: JsScope | null) {}

  isFree(name: string): boolean {
    if (this.below.has(name)) return false;
    for (let s: JsScope | null = this; s; s = s.parent) if (s.declared.has(name)) return false;
    return true;
  }

  declare(name: string): void {
    this.declared.add(name);
    for (let s: JsScope | null = this; s; s = s.parent) s.below.add(name);
  }
}

/**
 * The locals of one pattern's match inside the block its condition guards: a
 * `const` per capture read there (named after the group) and values derived from
 * the captures, each computed once per match.
 */
export class MatchBinding {
  /** Capture locals by group number, in the order first read. */
  readonly captures = new Map<number, string>();
  /**
   * Derived values (conversions, concatenations) used more than once, by their shape:
   * `eager` ones can't fail and are computed when the block starts; `hoisted` ones are
   * computed before the statement that first needs them, where that changes nothing
   * (nothing with an effect or a possible failure comes first); `lazy` ones on first use.
   */
  readonly derived = new Map<string, { name: string; code: string; how: 'eager' | 'hoisted' | 'lazy' }>();
  constructor(
    readonly pattern: T.Pattern,
    readonly scope: JsScope,
    /** How often each derived value's shape occurs in the block. */
    readonly uses: Map<string, number>,
    /** Shapes the block uses as label values: their locals are interned (rt.label). */
    readonly labelled: ReadonlySet<string> = new Set(),
  ) {}
}

// Names generated code uses for itself, and words JavaScript reserves.
const FIXED = /^(?:[MRLFG]\d+|g\d+)$/;
const TAKEN = new Set([
  'rt', 'M', 'R', 'G', 'run', 'line', 'filename', 'now', 'ts', 'matched', 'hit', 'undefined', 'NaN', 'Infinity', 'Math',
  'arguments', 'eval', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
  'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements',
  'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public',
  'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'yield',
]);

/** A local holding a datum looked up in a statement that every later one in the block runs after. */
export interface Leader {
  name: string;
  /** The datum's metric. */
  metric: number;
  /** The shapes of its label values (see labelParts in index.ts). */
  parts: readonly string[];
}

/** State while generating one program's JavaScript. */
export class Gen {
  readonly sites: string[] = [];
  private readonly siteIndex = new Map<number | string, number>();
  /** Prefilter local by pattern index: lines without its literal skip the regex. */
  readonly prefilterOf = new Map<number, string>();
  /** The text a line must end with for the pattern to match it, by pattern index (a `$`-anchored literal ending). */
  readonly suffixOf = new Map<number, string>();
  /** Prefilter locals checked by several patterns: asked once per line. */
  readonly sharedPrefilters = new Set<string>();
  /** Patterns matched more than once on a path (a decorator used inside its own decorated block). */
  readonly rematched = new Set<number>();
  /** The bindings of the patterns known to have matched here, by pattern index. */
  readonly bindings = new Map<number, MatchBinding>();
  /**
   * By label signature (see linkDatum in index.ts): the local holding the datum last looked up
   * with those label values in a statement every later one here runs after, and its metric.
   */
  leaders = new Map<string, Leader>();
  /** By metric index: how many slots the code gives its datums for the datums of others (Metric.via2). */
  readonly viaSlots = new Map<number, number>();
  /** The datum code of an update statement whose datum is a local (a leader or a linked follower). */
  readonly datumOf = new Map<T.Expr, string>();
  /** The top-level pattern blocks: running one makes run() return true (see topPatternBlocks). */
  readonly hitBlocks = new Set<T.IfStmt>();
  scope = new JsScope(null);

  constructor(readonly src: Source) {}

  /** Registers a source position that a run-time error can point at; returns its index. */
  site(span: Span): number {
    // A number while start * stride + end is exact (programs up to 64 MiB), else a string.
    const stride = this.src.text.length + 1;
    const key = stride <= 2 ** 26 ? span.start * stride + span.end : `${span.start}:${span.end}`;
    let i = this.siteIndex.get(key);
    if (i === undefined) {
      i = this.sites.push(formatPos(this.src, span)) - 1;
      this.siteIndex.set(key, i);
    }
    return i;
  }

  /** `file:line` of a statement, the anchor comment before its code. */
  anchor(span: Span): string {
    return `${this.src.name}:${this.src.position(span.start).line}`;
  }

  /** A local name like `want` that no visible or enclosed local has, declared in `scope`. */
  local(want: string, scope: JsScope = this.scope): string {
    const base = /^[A-Za-z_$][\w$]*$/.test(want) && !FIXED.test(want) && !TAKEN.has(want) ? want : `_${want.replace(/[^\w$]/g, '_')}`;
    let name = base;
    for (let n = 2; !scope.isFree(name); n++) name = `${base}_${n}`;
    scope.declare(name);
    return name;
  }

  /** Runs fn with a new JavaScript block scope. */
  inBlock<R>(fn: (scope: JsScope) => R): R {
    const saved = this.scope;
    this.scope = new JsScope(saved);
    try {
      return fn(this.scope);
    } finally {
      this.scope = saved;
    }
  }
}

export function matchVar(p: T.Pattern): string {
  return `g${p.index}`;
}

/** Where group `group` of the pattern sits in its match array (the matcher captures only the groups read). */
export function capturedIndex(p: T.Pattern, group: number): number {
  return group === 0 ? 0 : p.groups.indexOf(group) + 1;
}
