// Conversions between the millisecond instants this package returns and the
// whole seconds mtail's timestamp() and settime() use.

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix ms: mtail's "time register not set". */
export const GO_ZERO_TIME_MS = -62135596800000;

/** Unix ms for Unix seconds plus nanoseconds (ms may be fractional), never rounding up into the next second. */
export function unixMs(sec: number, nsec: number): number {
  const base = sec * 1000 + Math.floor(nsec / 1e6);
  const subMs = nsec % 1e6;
  if (subMs === 0) return base;
  const ms = base + subMs / 1e6;
  // 999.9999 ms can round to the next whole ms, and so into the next second.
  return ms - base < 1 ? ms : nextDown(base + 1);
}

function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  return x - Math.abs(x) * Number.EPSILON;
}

/** Go's Time.Unix(): whole seconds, rounded towards minus infinity (mtail's timestamp()). */
export function unixSeconds(ms: number): number {
  let s = Math.floor(ms / 1000);
  if (s * 1000 > ms) s--;
  else if ((s + 1) * 1000 <= ms) s++;
  return s;
}

/** mtail's timestamp(): the time register in seconds, or the current time when it is unset or Go's zero time. */
export function mtailTimestamp(registerMs: number | undefined, nowMs: number): number {
  return registerMs === undefined || registerMs === GO_ZERO_TIME_MS ? unixSeconds(nowMs) : unixSeconds(registerMs);
}

/** mtail's settime(seconds): the time register value for a whole number of Unix seconds. */
export function settimeMs(seconds: number): number {
  return seconds * 1000;
}
