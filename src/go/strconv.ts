/** Go's number conversions and formats, as mtail's VM uses them (strconv, fmt). */
import { type Int, wrap } from './int64.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** strconv.ParseInt(s, base, 64); undefined on a syntax or range error. */
export function parseGoInt(s: string, base: number): Int | undefined {
  // Fast path for the common case, plain decimal digits that fit a double exactly.
  if (base === 10 && s.length > 0 && s.length <= 15) {
    let v = 0;
    let k = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
    if (k < s.length) {
      for (; k < s.length; k++) {
        const c = s.charCodeAt(k) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (k === s.length) return s.charCodeAt(0) === 45 ? 0 - v : v; // 0 - v: never -0
    }
  }
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  let digits = s.slice(i);
  let b = base;
  let underscores = false;
  if (b === 0) {
    // Base from the prefix, and underscores allowed, as Go does for base 0.
    b = 10;
    underscores = true;
    const p = digits.slice(0, 2).toLowerCase();
    if (p === '0x') { b = 16; digits = digits.slice(2); }
    else if (p === '0b') { b = 2; digits = digits.slice(2); }
    else if (p === '0o') { b = 8; digits = digits.slice(2); }
    else if (digits.length > 1 && digits[0] === '0') { b = 8; digits = digits.slice(1); }
    if (digits.startsWith('_')) digits = digits.slice(1);
  } else if (b < 2 || b > 36) {
    return undefined;
  }
  if (digits === '') return undefined;
  if (underscores) {
    if (/(^_|__|_$)/.test(digits)) return undefined;
    digits = digits.replaceAll('_', '');
  }
  let v = 0n;
  const bb = BigInt(b);
  for (const ch of digits.toLowerCase()) {
    const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
    if (d >= b) return undefined;
    v = v * bb + BigInt(d);
  }
  if (neg) v = -v;
  if (v > INT64_MAX || v < INT64_MIN) return undefined;
  return wrap(v);
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22

/**
 * The value of a plain decimal (digits with at most one point and an optional sign: `0.125`,
 * `-3`, `.5`, `7.`, what log fields hold nearly always), or undefined for anything else, read
 * without the regex below, which costs more than the conversion. With at most 15 digits, the
 * digits as an integer and the power of ten are exact doubles and one division rounds
 * correctly (Clinger's fast path, as strtod and Go's ParseFloat take it), three times faster
 * than Number(); longer ones go through Number(), which rounds correctly too.
 */
function plainDecimal(s: string): number | undefined {
  const n = s.length;
  const sign = n > 0 ? s.charCodeAt(0) : 0;
  let i = sign === 43 || sign === 45 ? 1 : 0;
  let digits = 0;
  let fraction = -1;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else return undefined;
  }
  if (digits === 0) return undefined;
  if (digits > 15) return Number(s);
  const r = fraction > 0 ? v / POWERS_OF_TEN[fraction]! : v;
  return sign === 45 ? -r : r;
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/;
const SPECIAL = /^[+-]?(inf|infinity|nan)$/i;

/**
 * strconv.ParseFloat(s, 64); undefined where it returns an error: a syntax error, or a number
 * beyond float64's range (ErrRange: "1e400" is an error in Go, "inf" is not).
 */
export function parseGoFloat(s: string): number | undefined {
  const plain = plainDecimal(s);
  if (plain !== undefined) return Number.isFinite(plain) ? plain : undefined;
  if (DECIMAL_FLOAT.test(s)) {
    if (s.includes('_')) return undefined; // Go allows underscores only with a base prefix
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }
  const sp = SPECIAL.exec(s);
  if (sp) {
    if (sp[1].toLowerCase() === 'nan') return NaN;
    return s[0] === '-' ? -Infinity : Infinity;
  }
  const hx = HEX_FLOAT.exec(s);
  if (hx) {
    const int = (hx[2] ?? '').replaceAll('_', '');
    const frac = (hx[3] ?? '').replaceAll('_', '');
    if (int === '' && frac === '') return undefined;
    let v = 0;
    for (const ch of int + frac) v = v * 16 + parseInt(ch, 16);
    v = v * Math.pow(2, Number(hx[4]) - 4 * frac.length);
    if (!Number.isFinite(v)) return undefined;
    return hx[1] === '-' ? -v : v;
  }
  return undefined;
}

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64), which is also fmt's %v and shortest %g:
 * exponent form below 1e-4 and from 1e6 (1e+06, 2.5e-05), NaN, +Inf, -Inf. mtail
 * uses it for strings made from floats and, via client_golang, for `le` label values
 * and JSON bucket keys; label values are identity, so the spelling must match.
 * `upper` gives %G's E.
 */
export function formatGoFloat(f: number, upper = false): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // toExponential() with no argument gives the shortest round-trip digits, as Go's shortest formatting.
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    out = `${m}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${e}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return f < 0 ? `-${out}` : out;
}

/** Decimal text of an integer (fmt's %d), without JavaScript's exponent form for large values. */
export function formatInt(i: Int): string {
  return typeof i === 'bigint' || Number.isSafeInteger(i) ? String(i) : BigInt(Math.trunc(i)).toString();
}
