// Chooses the engine for a pattern: V8's RegExp when the translation is exact
// and V8 can fall back to its linear-time engine for it, else re2.
// Even then V8 is linear per start position only: an unanchored search tries
// every start, each allowed up to --regexp-backtracks-before-fallback
// backtracks, so a long subject costs length × that limit (`/x+y/` on a 1 MB
// line of x: about a minute). Subjects longer than LONG_SUBJECT therefore go to
// the pattern's re2 twin, whose DFA is linear in the subject for the whole
// search (the same 1 MB line: milliseconds), and the backtrack limit is lowered
// so that V8's worst case on a subject up to LONG_SUBJECT stays small.
// V8 decides itself whether that fallback exists: compiling the source with the
// `l` flag throws exactly when its experimental engine cannot take the pattern
// (lookaround, `u`/`i` flags, bounded repetition nested past a factor of 16,
// e.g. `[0-9a-f]{32}`). Such patterns could backtrack without limit on hostile
// lines, so they run on re2, which is linear by construction.

import v8 from 'node:v8';
import RE2 from 're2';
import { checkRe2, re2Source } from './re2-check.js';
import { translateToV8 } from './translate.js';

/** What generated code calls per line; exec()'s array has capture i at index i, undefined when unset. */
export interface Matcher {
  exec(s: string): RegExpExecArray | null;
  test(s: string): boolean;
  readonly source: string;
  /** Where a global matcher's next search starts, as RegExp's. */
  lastIndex: number;
}

export interface CompiledMatcher {
  matcher: Matcher;
  engine: 'v8' | 're2';
  /** Why the pattern runs on re2 (absent for V8). */
  reason?: string;
  /** A twin with the global flag, for replace-all (its lastIndex is honoured like a RegExp's). */
  global(): Matcher;
}

/**
 * Subjects longer than this (UTF-16 units) are matched by re2. Measured (bench scenario 6): with
 * the backtrack limit below, V8's worst case at 4 KiB is a few tens of ms for the classic
 * catastrophic patterns, while re2's cost per call (converting the subject to UTF-8) only
 * pays off for long subjects; ordinary log lines stay on V8.
 */
export const LONG_SUBJECT = 4096;

/**
 * Backtracks per start position before V8 restarts a match on its linear engine (V8's default
 * is 50,000). The worst case of a backtracking search grows with subject length × this limit:
 * `.*.*=.*` cost 48 ms on a 512-character line with the default, under 2 ms with this one.
 * Ordinary patterns on ordinary lines stay far below it (the shipped programs run as fast).
 */
export const BACKTRACK_LIMIT = 1000;

let linearFallbackEnabled = false;

/** Enables V8's linear-time engine on excessive backtracking; must run before any RegExp is compiled (idempotent). */
export function enableLinearFallback(): void {
  if (linearFallbackEnabled) return;
  // After --regexp-backtracks-before-fallback (default 50,000) backtracks, a
  // match restarts on the linear engine: milliseconds instead of hours.
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  v8.setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACK_LIMIT}`);
  // Makes the `l` flag available, which is how hasLinearFallback() asks V8.
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  linearFallbackEnabled = true;
}

/** Whether V8 can run this source on its linear-time engine (and so fall back to it). */
export function hasLinearFallback(source: string, flags: string): boolean {
  enableLinearFallback();
  try {
    new RegExp(source, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A matcher for the pattern: a V8 RegExp when translation is exact, else an RE2 object; throws
 * SyntaxError if RE2 rejects the pattern. With `keepGroups` (ascending group numbers), exec()
 * reports only those groups, as groups 1..n in that order: the caller reads nothing else, and
 * V8 matches faster without the others.
 */
export function compileMatcher(pattern: string, keepGroups?: readonly number[]): CompiledMatcher {
  const check = checkRe2(pattern);
  if (!check.ok) throw new SyntaxError(`invalid RE2 pattern /${pattern}/: ${check.message}`);
  enableLinearFallback();
  const keep = keepGroups === undefined ? undefined : new Set(keepGroups);
  const translation = translateToV8(pattern, undefined, keep);
  let reason: string;
  const all = keepGroups === undefined || (keepGroups.length === check.info.groupCount && keepGroups.every((g, i) => g === i + 1));
  const re2Matcher = (flags: string): Matcher => {
    const re2 = new RE2(re2Source(pattern), flags);
    return all ? re2 : new GroupSelection(re2, keepGroups);
  };
  if (!translation.ok) reason = translation.reason;
  else if (hasLinearFallback(translation.source, translation.flags)) {
    const v8re = new RegExp(translation.source, translation.flags);
    return { matcher: new LengthSwitch(v8re, () => re2Matcher('u')), engine: 'v8', global: () => new LengthSwitch(new RegExp(v8re.source, `${v8re.flags}g`), () => re2Matcher('gu')) };
  } else reason = 'V8 would have no linear-time fallback for the translation';
  return { matcher: re2Matcher('u'), engine: 're2', reason, global: () => re2Matcher('gu') };
}

/**
 * A V8 RegExp for short subjects and its re2 twin (made on first use) for long ones. Both give
 * the same answers (test/regex/longsubject.test.ts), so which one ran is invisible to the caller.
 * `lastIndex` is shared, so a global switch serves a replace-all loop like a global RegExp.
 */
export class LengthSwitch implements Matcher {
  private long: Matcher | undefined;

  constructor(
    readonly short: RegExp,
    private readonly makeLong: () => Matcher,
  ) {}

  get source(): string {
    return this.short.source;
  }

  get lastIndex(): number {
    return this.short.lastIndex;
  }

  set lastIndex(i: number) {
    this.short.lastIndex = i;
    if (this.long !== undefined) this.long.lastIndex = i;
  }

  /** The re2 twin, made on first use: most programs never see a long line. */
  twin(): Matcher {
    if (this.long === undefined) {
      this.long = this.makeLong();
      this.long.lastIndex = this.short.lastIndex;
    }
    return this.long;
  }

  exec(s: string): RegExpExecArray | null {
    if (s.length <= LONG_SUBJECT) return this.short.exec(s);
    const long = this.twin();
    const m = long.exec(s);
    this.short.lastIndex = long.lastIndex;
    return m;
  }

  test(s: string): boolean {
    if (s.length <= LONG_SUBJECT) return this.short.test(s);
    const long = this.twin();
    const r = long.test(s);
    this.short.lastIndex = long.lastIndex;
    return r;
  }
}

/** An RE2 matcher reporting only some of its groups, renumbered like the V8 translation's. */
export class GroupSelection implements Matcher {
  constructor(
    readonly inner: RE2,
    private readonly groups: readonly number[],
  ) {}

  get source(): string {
    return this.inner.source;
  }

  get lastIndex(): number {
    return this.inner.lastIndex;
  }

  set lastIndex(i: number) {
    this.inner.lastIndex = i;
  }

  exec(s: string): RegExpExecArray | null {
    const m = this.inner.exec(s);
    if (m === null) return null;
    const picked = [m[0]!, ...this.groups.map((g) => m[g])] as unknown as RegExpExecArray;
    picked.index = m.index;
    picked.input = m.input;
    return picked;
  }

  test(s: string): boolean {
    return this.inner.test(s);
  }
}
