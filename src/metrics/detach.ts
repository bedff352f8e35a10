/**
 * A copy of `s` that shares no memory with the string it was cut from.
 *
 * Lines of an ASCII chunk are slices of one decoded chunk string, and V8 slices (and the
 * captures cut from them) point into their parent. Whatever outlives its line (label values,
 * string values, memo keys) is detached first, so it keeps only its own characters alive and
 * not the whole chunk it came from. Concatenation then slicing makes V8 flatten a fresh copy.
 */
export function detach(s: string): string {
  return (s + ' ').slice(0, -1);
}
