/**
 * Go's math.Pow as mtail 3.0.0~rc50 computes it (Go 1.19, amd64), bit for bit: mtail's float
 * `**` and its int `**` (int64(math.Pow(...))) both call it. Go's Pow is not V8's: it splits
 * y into an integer part, done by repeated squaring of frexp's mantissa, and a fraction, done
 * as Exp(yf * Log(x)) with the amd64 assembly Exp and Log. That Exp has two paths, chosen by
 * the CPU: fused multiply-adds where it has AVX2 and FMA (x86-64 since 2013), rounded steps
 * elsewhere; the same CPU flags choose here. V8's Math.pow gave another last bit for 2,053 of
 * 3,000 random float pairs; this gives mtail's for all of them, on both paths
 * (fixtures/differential/82-float-pow, test/differential/pow.test.ts).
 *
 * The algorithms are Go's (src/math/pow.go, exp_amd64.s after SLEEF, log_amd64.s after
 * FreeBSD's e_log.c), rewritten step for step: each operation rounds where Go's does.
 */

import { readFileSync } from 'node:fs';

// A double's bits as two words (no bigint on the common paths): little-endian, high word second.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const U64 = new BigUint64Array(F64.buffer);

/** The high word of x: sign, exponent field, top 20 bits of the fraction. */
function highOf(x: number): number {
  F64[0] = x;
  return U32[1]!;
}

/** The exponent field of x (0 for zeros and subnormals, 0x7ff for infinities and NaN). */
function fieldOf(x: number): number {
  return (highOf(x) >>> 20) & 0x7ff;
}

/** The double whose high word is `high` and low word `low`. */
function fromWords(high: number, low: number): number {
  U32[1] = high;
  U32[0] = low;
  return F64[0]!;
}

const FRACTION = 0xfffffffffffffn;

// ---------------------------------------------------------------- fused multiply-add

/** a = m × 2^e with m an integer, for a finite double. */
function decompose(a: number): [bigint, number] {
  F64[0] = a;
  const b = U64[0]!;
  const field = Number((b >> 52n) & 0x7ffn);
  const m = field === 0 ? b & FRACTION : (b & FRACTION) | (1n << 52n);
  return [b >> 63n ? -m : m, field === 0 ? -1074 : field - 1075];
}

/** a × b + c rounded once (to nearest, ties to even), through exact integers: the slow path. */
export function fmaExact(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const mp = ma * mb;
  const ep = ea + eb;
  const low = Math.min(ep, ec);
  const sum = (mp << BigInt(ep - low)) + (mc << BigInt(ec - low));
  // An exact zero takes its sign from IEEE addition, which a * b + c computes exactly here.
  if (sum === 0n) return a * b + c;
  const negative = sum < 0n;
  const abs = negative ? -sum : sum;
  const top = low + abs.toString(2).length - 1; // exponent of the leading bit
  const lsb = Math.max(top - 52, -1074); // the last bit a double keeps there
  let q = abs;
  const shift = lsb - low;
  if (shift > 0) {
    q = abs >> BigInt(shift);
    const rest = abs - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
  } else if (shift < 0) {
    q = abs << BigInt(-shift);
  }
  // q has at most 54 bits and q × 2^lsb is a double (or beyond the largest): exact.
  const v = lsb > 1023 ? Infinity : Number(q) * 2 ** lsb;
  return negative ? -v : v;
}

const SPLITTER = 134217729; // 2^27 + 1
const WIDE = 2 ** 480;
const NARROW = 2 ** -480;
const SUM_BOUND = 2 ** 960;

/**
 * The hardware's fused multiply-add (VFMADD): a × b + c rounded once. Error-free
 * transformations give the exact value as r + w + v (Dekker's product, Knuth's sums); r is
 * the answer unless w + v reaches toward half a unit of r's last place, where (and outside
 * the ranges the transformations are exact in) the integer path decides.
 */
export function fma(a: number, b: number, c: number): number {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (!(aa >= NARROW && aa <= WIDE && ab >= NARROW && ab <= WIDE && Math.abs(c) <= SUM_BOUND)) {
    return aa === 0 || ab === 0 ? a * b + c : fmaExact(a, b, c);
  }
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // p + e = a × b
  const s = p + c;
  let z = s - p;
  const t2 = p - (s - z) + (c - z); // s + t2 = p + c
  const u = t2 + e;
  z = u - t2;
  const v = t2 - (u - z) + (e - z); // u + v = t2 + e
  const r = s + u;
  if (v === 0) return r; // the exact value is s + u, which the addition rounded once
  z = r - s;
  const w = s - (r - z) + (u - z); // r + w = s + u
  // The exact value is r + (w + v), and r is its rounding unless that reaches half the gap to
  // the next double on its side; the gap toward zero is half as wide below a power of two.
  const high = highOf(r);
  const powerOfTwo = (high & 0xfffff) === 0 && U32[0] === 0;
  const field = (high >>> 20) & 0x7ff;
  let gap = field > 52 ? fromWords((field - 52) << 20, 0) : 2 ** (Math.max(field, 1) - 1075);
  if (powerOfTwo && field > 1 && (w + v < 0) !== (r < 0)) gap /= 2;
  if (Math.abs(w) + Math.abs(v) < gap * 0.4999) return r;
  return fmaExact(a, b, c);
}

// ---------------------------------------------------------------- Exp (exp_amd64.s)

const LOG2E = 1.442695040888963407359924681001892;
const LN2U = 0.69314718055966295651160180568695068359375;
const LN2L = 0.28235290563031577122588448175013436025525412068e-12;
const EXP_OVERFLOW = 7.09782712893384e2;
// Taylor coefficients 1/8! … 1/3!, then 1/2 and 1, as the assembly applies them.
const EXP_SERIES = [
  1.9841269841269841270e-4, 1.3888888888888888889e-3, 8.3333333333333333333e-3, 4.1666666666666666667e-2,
  1.6666666666666666667e-1, 0.5, 1.0,
];
const EXP_FIRST = 2.4801587301587301587e-5;

/** CVTSD2SL: to int32 rounding half to even; out of range or NaN gives the "integer indefinite" -2^31. */
function toInt32Nearest(x: number): number {
  if (!(x >= -2147483648.5 && x < 2147483647.5)) return -2147483648;
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

let useFma: boolean | undefined;

/**
 * Whether Go's amd64 Exp takes its FMA path on this machine, as Go decides it at start
 * (cpu.X86.HasAVX2 && cpu.X86.HasFMA): from the kernel's CPU flags. Elsewhere, the FMA path
 * (arm64's Exp fuses its multiply-adds too).
 */
export function goExpUsesFma(): boolean {
  if (useFma !== undefined) return useFma;
  useFma = true;
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      const flags = new Set((/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'latin1'))?.[1] ?? '').trim().split(/\s+/));
      useFma = flags.has('fma') && flags.has('avx2');
    } catch {
      // no /proc: keep the common case
    }
  }
  return useFma;
}

/** Go's math.Exp on amd64, on the path this machine's CPU gives it. */
export function exp(x: number): number {
  return goExpUsesFma() ? expFma(x) : expSse(x);
}

/**
 * Go's math.Exp on amd64 with FMA: e^x as 2^k × e^r, e^r from a Taylor series of r/16 squared
 * four times. No subnormal results: below 2^-1022 it gives 0.
 */
export function expFma(x: number): number {
  if (fieldOf(x) === 0x7ff) return x === -Infinity ? 0 : x; // NaN and +Inf are returned
  if (x > EXP_OVERFLOW) return Infinity;
  const k = toInt32Nearest(LOG2E * x);
  let r = fma(-k, LN2U, x);
  r = fma(-k, LN2L, r);
  r *= 0.0625;
  let s = EXP_FIRST;
  for (const coefficient of EXP_SERIES) s = fma(r, s, coefficient);
  r *= s;
  for (let i = 0; i < 3; i++) r *= r + 2;
  r = fma(r + 2, r, 1);
  return scaled(r, k);
}

/** The same without FMA (a CPU without AVX2 and FMA, or GODEBUG=cpu.fma=off): each step rounds. */
export function expSse(x: number): number {
  if (fieldOf(x) === 0x7ff) return x === -Infinity ? 0 : x;
  if (x > EXP_OVERFLOW) return Infinity;
  const k = toInt32Nearest(LOG2E * x);
  let r = x - k * LN2U;
  r -= k * LN2L;
  r *= 0.0625;
  let s = EXP_FIRST * r;
  for (let i = 0; i < EXP_SERIES.length - 1; i++) s = (s + EXP_SERIES[i]!) * r;
  s += 1;
  r *= s;
  for (let i = 0; i < 4; i++) r *= r + 2;
  return scaled(r + 1, k);
}

/** fr × 2^k, as the assembly's last step builds the power: 0 below the normal range, +Inf above. */
function scaled(fr: number, k: number): number {
  const biased = k + 0x3ff;
  if (biased <= 0) return 0;
  if (biased >= 0x7ff) return Infinity;
  return fr * fromWords(biased << 20, 0);
}

// ---------------------------------------------------------------- Log (log_amd64.s)

const HALF_SQRT2 = 7.07106781186547524401e-1;
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const L1 = 6.666666666666735130e-1;
const L2 = 3.999999999940941908e-1;
const L3 = 2.857142874366239149e-1;
const L4 = 2.222219843214978396e-1;
const L5 = 1.818357216161805012e-1;
const L6 = 1.531383769920937332e-1;
const L7 = 1.479819860511658591e-1;

/** Go's math.Log on amd64 (its frexp reads the bits, so subnormals are taken as they lie). */
export function log(x: number): number {
  if (x === 0) return -Infinity;
  const high = highOf(x);
  const low = U32[0]!;
  if (high >>> 31 !== 0) return NaN; // NaN with its sign bit set too, as the assembly tests the bits
  if (high >= 0x7ff00000) return x;
  let f1 = fromWords((high & 0xfffff) | 0x3fe00000, low);
  let k = (high >>> 20) - 0x3fe;
  // The assembly's compare is "not less than" with the operands this way round: equal counts.
  if (f1 <= HALF_SQRT2) {
    k -= 1;
    f1 *= 2;
  }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (((L7 * s4 + L5) * s4 + L3) * s4 + L1);
  const t2 = s4 * ((L6 * s4 + L4) * s4 + L2);
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

// ---------------------------------------------------------------- Frexp, Ldexp, Pow

/** Go's math.Frexp: f = frac × 2^exp with |frac| in [0.5, 1), for finite non-zero f. */
export function frexp(f: number): [number, number] {
  let exp = 0;
  if (Math.abs(f) < 2.2250738585072014e-308) {
    f *= 2 ** 52; // subnormal: normalise first
    exp = -52;
  }
  const high = highOf(f);
  exp += ((high >>> 20) & 0x7ff) - 1022;
  return [fromWords((high & 0x800fffff) | 0x3fe00000, U32[0]!), exp];
}

/** Go's math.Ldexp: frac × 2^exp, rounding once where the result is subnormal. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const [f, e] = frexp(frac);
  exp += e;
  if (exp < -1075) return f < 0 ? -0 : 0;
  if (exp > 1024) return f < 0 ? -Infinity : Infinity;
  // Two steps keep each power of two representable; only the last multiplication rounds.
  const half = Math.trunc(exp / 2);
  return f * 2 ** half * 2 ** (exp - half);
}

function isOddInt(y: number): boolean {
  return Number.isInteger(y) && Math.abs(y) < 2 ** 53 && Math.abs(y) % 2 === 1;
}

/** Go's math.Pow (Go 1.19, amd64), special cases in Go's order. */
export function pow(x: number, y: number): number {
  return powWith(x, y, exp);
}

/** pow() with a given Exp (tests hold each of Go's two paths to mtail). */
export function powWith(x: number, y: number, exp: (x: number) => number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) && Object.is(x, -0) ? -Infinity : Infinity;
    return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return powWith(1 / x, -y, exp); // Pow(-0, -y)
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = exp(yf * log(x));
  }
  let [x1, xe] = frexp(x);
  // yi < 2^63 is an integer double: halving and parity are exact without a bigint.
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      // catastrophic overflow: ldexp settles it
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
