import { detach } from './detach.js';

/**
 * One shared copy of each label value seen lately (at most MAX_INTERNED at a time).
 *
 * A datum lookup hashes and compares its label values at every level of a metric's index.
 * A value captured from a line is a fresh string each line, so each comparison with the
 * stored key compares characters, and V8 takes a slow path for strings cut from a longer one.
 * Generated code passes a captured label value through `internLabel` once per match, and
 * metrics store their keys through it too: the lookups of the other metrics that use the
 * same value then find the very same string, which compares by identity.
 * Interning changes no result, only speed: the table may forget a value at any time.
 */
const interned = new Map<string, string>();

/**
 * Bounds the table against hostile, ever-new label values: at most this many values (a full
 * table starts over), none longer than MAX_INTERNED_LENGTH, so it never holds more than about
 * 2 M characters, whatever the lines.
 */
export const MAX_INTERNED = 16_384;
export const MAX_INTERNED_LENGTH = 128;

/** The shared copy of `s` (equal to it, detached from the line it was cut from); a long value is only detached. */
export function internLabel(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return detach(s);
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned.clear();
  const copy = detach(s);
  interned.set(copy, copy);
  return copy;
}

/** How many values the table holds (tests). */
export function internedCount(): number {
  return interned.size;
}
