/**
 * Go's int64 on JavaScript values, as mtail's VM computes with it: exact over the whole
 * range, wrapping around on overflow.
 *
 * An Int is a number while it is a safe integer (|v| < 2^53) and a bigint beyond, never
 * both: each value has one representation, so `===`, `<` and `Map` keys compare ints
 * exactly, and the common case stays plain number arithmetic. The functions here are the
 * slow paths, taken when an operand is a bigint or a result leaves the safe range; the
 * run-time (src/runtime/rt.ts) tries the number operation first.
 */

import { pow as goPow } from './math.js';

/** An int64 value: a safe-integer number, or a bigint outside the safe range. */
export type Int = number | bigint;

export const MAX_INT64 = 0x7fffffffffffffffn;
export const MIN_INT64 = -0x8000000000000000n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The Int that is `b` wrapped to 64 bits, as Go's int64 arithmetic leaves it. */
export function wrap(b: bigint): Int {
  const w = BigInt.asIntN(64, b);
  return w >= MIN_SAFE && w <= MAX_SAFE ? Number(w) : w;
}

/** The Int of `b`, which must already lie in the int64 range. */
function canonical(b: bigint): Int {
  return b >= MIN_SAFE && b <= MAX_SAFE ? Number(b) : b;
}

export function add(a: Int, b: Int): Int {
  return wrap(BigInt(a) + BigInt(b));
}

export function sub(a: Int, b: Int): Int {
  return wrap(BigInt(a) - BigInt(b));
}

export function mul(a: Int, b: Int): Int {
  return wrap(BigInt(a) * BigInt(b));
}

/** a / b truncated toward zero; MinInt64 / -1 wraps to MinInt64. The caller rejects b == 0. */
export function div(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) + 0; // + 0: no -0
  return wrap(BigInt(a) / BigInt(b));
}

/** a % b with the sign of a. The caller rejects b == 0. */
export function mod(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') return (a % b) + 0;
  return wrap(BigInt(a) % BigInt(b));
}

export function and(a: Int, b: Int): Int {
  return canonical(BigInt(a) & BigInt(b));
}

export function or(a: Int, b: Int): Int {
  return canonical(BigInt(a) | BigInt(b));
}

export function xor(a: Int, b: Int): Int {
  return canonical(BigInt(a) ^ BigInt(b));
}

/** Go's ^a (mtail's `~`). */
export function not(a: Int): Int {
  return canonical(~BigInt(a));
}

/** a << n for 0 <= n: bits shifted past bit 63 are lost, so n >= 64 gives 0. */
export function shl(a: Int, n: number): Int {
  return n >= 64 ? 0 : wrap(BigInt(a) << BigInt(n));
}

/** a >> n for 0 <= n, arithmetic: n >= 64 gives 0 or -1 by the sign of a. */
export function shr(a: Int, n: number): Int {
  return canonical(BigInt(a) >> BigInt(Math.min(n, 63)));
}

/** float64(a), rounded to nearest even as Go converts. */
export function toFloat(a: Int): number {
  return typeof a === 'number' ? a : Number(a);
}

/**
 * int64(f) as Go compiles it for amd64 (CVTTSD2SQ): truncated toward zero, and
 * MinInt64 for NaN and anything outside the int64 range. Go leaves that case to the
 * implementation; mtail's Debian build is amd64.
 */
export function fromFloat(f: number): Int {
  const t = Math.trunc(f);
  if (Number.isSafeInteger(t)) return t + 0;
  // 2^63 is exactly representable; every double below it and at or above -2^63 fits.
  if (!(t >= -9223372036854775808 && t < 9223372036854775808)) return MIN_INT64;
  return BigInt(t);
}

/**
 * int64(math.Pow(float64(a), float64(b))), mtail's integer `**`: the power is a float,
 * so results beyond 2^53 are rounded, and out of range ones are MinInt64.
 */
export function pow(a: Int, b: Int): Int {
  return fromFloat(goPow(toFloat(a), toFloat(b)));
}

