// Chooses the engine for a pattern: V8's RegExp when the translation is exact
// and V8 can fall back to its linear-time engine for it, else re2.
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
}

export interface CompiledMatcher {
  matcher: Matcher;
  engine: 'v8' | 're2';
  /** Why the pattern runs on re2 (absent for V8). */
  reason?: string;
}

let linearFallbackEnabled = false;

/** Enables V8's linear-time engine on excessive backtracking; must run before any RegExp is compiled (idempotent). */
export function enableLinearFallback(): void {
  if (linearFallbackEnabled) return;
  // After --regexp-backtracks-before-fallback (default 50,000) backtracks, a
  // match restarts on the linear engine: milliseconds instead of hours.
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
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
  if (!translation.ok) reason = translation.reason;
  else if (hasLinearFallback(translation.source, translation.flags)) {
    return { matcher: new RegExp(translation.source, translation.flags), engine: 'v8' };
  } else reason = 'V8 would have no linear-time fallback for the translation';
  const re2 = new RE2(re2Source(pattern), 'u');
  const all = keepGroups === undefined || (keepGroups.length === check.info.groupCount && keepGroups.every((g, i) => g === i + 1));
  return { matcher: all ? re2 : new GroupSelection(re2, keepGroups), engine: 're2', reason };
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
