// Small scanners over a value string at a position, mirroring the helpers of
// Go's time.Parse (getnum, getnum3, lookup, atoi, parseTimeZone). They return
// -1 (or NaN for signed numbers) instead of allocating errors, and the caller
// advances its own position.

const ZERO = 48;

/** Whether s[i] is an ASCII digit. */
export function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= ZERO && c <= ZERO + 9;
}

/** One or two digits (exactly two when fixed) at i; -1 if absent. Length via numLength. */
export function getnum(s: string, i: number, fixed: boolean): number {
  if (!isDigit(s, i)) return -1;
  if (!isDigit(s, i + 1)) return fixed ? -1 : s.charCodeAt(i) - ZERO;
  return (s.charCodeAt(i) - ZERO) * 10 + s.charCodeAt(i + 1) - ZERO;
}

/** How many characters getnum consumed for a successful result at i. */
export function numLength(s: string, i: number): number {
  return isDigit(s, i + 1) ? 2 : 1;
}

/** One to three digits (exactly three when fixed) at i; -1 if absent. */
export function getnum3(s: string, i: number, fixed: boolean): number {
  let n = 0, k = 0;
  for (; k < 3 && isDigit(s, i + k); k++) n = n * 10 + s.charCodeAt(i + k) - ZERO;
  if (k === 0 || (fixed && k !== 3)) return -1;
  return n;
}

/** Digits getnum3 consumed at i. */
export function num3Length(s: string, i: number): number {
  let k = 0;
  while (k < 3 && isDigit(s, i + k)) k++;
  return k;
}

/** Go's atoi on s[start:end]: optional sign, then only digits (possibly none); NaN otherwise. */
export function atoi(s: string, start: number, end: number): number {
  let neg = false;
  if (start < end && (s[start] === '-' || s[start] === '+')) {
    neg = s[start] === '-';
    start++;
  }
  let x = 0;
  for (let i = start; i < end; i++) {
    if (!isDigit(s, i)) return NaN;
    x = x * 10 + s.charCodeAt(i) - ZERO;
  }
  return neg ? -x : x;
}

/** Case-insensitive match of name at s[i] the way Go's time.match does it (letters fold, others exact). */
function matchFold(s: string, i: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    let c1 = s.charCodeAt(i + k);
    let c2 = name.charCodeAt(k);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 0x61 || c1 > 0x7a) return false;
    }
  }
  return true;
}

/** Index of the first table entry that s starts with at i (ignoring case), or -1. */
export function lookupName(table: readonly string[], s: string, i: number): number {
  for (let k = 0; k < table.length; k++) {
    const name = table[k];
    if (s.length - i >= name.length && matchFold(s, i, name)) return k;
  }
  return -1;
}

export const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const SHORT_DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const SHORT_MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const LONG_MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** Go's parseSignedOffset: length of "+hh"/"-h" (at most 23) at i, or 0. */
function signedOffsetLength(s: string, i: number): number {
  const sign = s[i];
  if (sign !== '+' && sign !== '-') return 0;
  let k = i + 1, x = 0;
  while (isDigit(s, k)) { x = x * 10 + s.charCodeAt(k) - ZERO; k++; }
  if (k === i + 1 || x > 23) return 0;
  return k - i;
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;

/**
 * Go's parseTimeZone: the length of a zone abbreviation at s[i] ("MST",
 * "CEST", "ChST", "GMT+3", "+03"), or 0 when there is none.
 */
export function timeZoneLength(s: string, i: number): number {
  const n = s.length - i;
  if (n < 3) return 0;
  if (n >= 4 && (s.startsWith('ChST', i) || s.startsWith('MeST', i))) return 4;
  if (s.startsWith('GMT', i)) return 3 + (n > 3 ? signedOffsetLength(s, i + 3) : 0);
  if (s[i] === '+' || s[i] === '-') return signedOffsetLength(s, i);
  let upper = 0;
  while (upper < 6 && upper < n && isUpper(s.charCodeAt(i + upper))) upper++;
  switch (upper) {
    case 3: return 3;
    case 4: return s[i + 3] === 'T' || s.startsWith('WITA', i) ? 4 : 0;
    case 5: return s[i + 4] === 'T' ? 5 : 0;
    default: return 0;
  }
}
