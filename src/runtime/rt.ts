import type { Datum, Metric } from '../metrics/index.js';
import { detach } from '../metrics/detach.js';
import { internLabel } from '../metrics/labels.js';
import { formatGoFloat, formatInt, parseGoFloat, parseGoInt } from '../go/strconv.js';
import { compareGoStrings } from '../go/strings.js';
import * as int64 from '../go/int64.js';
import { pow as goPow } from '../go/math.js';
import type { Int } from '../go/int64.js';
import { LiteralPrefilter } from './prefilter.js';
import { sameTimestamp, type Strptime, unixSeconds } from '../go/time/index.js';
import { JsonFields, LogfmtFields } from './fields.js';
import { DynamicRegexCache } from './dynregex.js';

/**
 * A run-time error of a program on one line: that program stops for that line only.
 * Not an Error: an Error captures a stack trace when it is made, which cost more than the
 * whole line on logs where some lines fail (a "-" size on every 20th line made a run 50 %
 * slower). Only the program's own catch ever sees it, and the site says where it failed.
 */
export class ProgramRuntimeError {
  constructor(readonly message: string, readonly site: number) {}
}

// mtail memoises strptime results by time string in a 64-entry LRU, failures included
// (as the zero time), so a repeated bad timestamp fails only on its first line.
const STRPTIME_MEMO_SIZE = 64;

/** V8's SlicedString::kMinLength: a shorter substring is a copy. */
const SLICED_MIN_LENGTH = 13;

/** Go's math.MaxInt32: mtail's bound on shift counts and strtol bases. */
const MAX_SHIFT = 2 ** 31 - 1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * What generated code calls besides metric handles: mtail's conversions,
 * integer arithmetic with Go's semantics, string builtins and datum updates.
 */
export class Runtime {
  /** mtail's strptime LRU (NaN: a failure), kept only while it holds a failure (memoFailures > 0). */
  private readonly memo = new Map<string, number>();
  private memoFailures = 0;
  // The most recent strptime value is already the newest LRU entry: no reordering needed.
  private lastValue: string | undefined;
  private lastResult = NaN;

  private readonly jsonFields = new JsonFields();
  private readonly logfmtFields = new LogfmtFields();

  private dynamicRegexes: DynamicRegexCache | undefined;

  constructor(
    private readonly strptimeParser: Strptime,
    /** The longest regex a string may be at run time (`=~ $x`), as for literals. */
    private readonly maxRegexLength = 1024,
  ) {}

  /**
   * `subject =~ source` where the regex is a string known only now: compiled on first use
   * and cached by string; a string that is not a valid RE2 expression fails this line.
   */
  dmatch(subject: string, source: string, site: number): boolean {
    const r = (this.dynamicRegexes ??= new DynamicRegexCache(this.maxRegexLength)).test(subject, source);
    if (typeof r === 'string') throw new ProgramRuntimeError(`cannot use ${JSON.stringify(source.length > 200 ? source.slice(0, 200) + '…' : source)} as a regular expression: ${r}`, site);
    return r;
  }

  /** json("a.b"): a field of the current line read as JSON, "" when absent (an extension). */
  json(line: string, path: string): string {
    return this.jsonFields.get(line, path);
  }

  /** logfmt("key"): a field of the current line read as logfmt, "" when absent (an extension). */
  logfmt(line: string, key: string): string {
    return this.logfmtFields.get(line, key);
  }

  fail(message: string, site: number): never {
    throw new ProgramRuntimeError(message, site);
  }

  noMatch(site: number): never {
    throw new ProgramRuntimeError('capture group read, but its pattern did not match this line', site);
  }

  s2i(s: string, site: number): Int {
    const v = parseGoInt(s, 10);
    if (v === undefined) throw new ProgramRuntimeError(`conversion of ${JSON.stringify(s)} to int failed`, site);
    return v;
  }

  s2f(s: string, site: number): number {
    const v = parseGoFloat(s);
    if (v === undefined) throw new ProgramRuntimeError(`conversion of ${JSON.stringify(s)} to float failed`, site);
    return v;
  }

  /** strconv.ParseInt(s, base, 64); mtail refuses a base outside 1 .. 2^31 - 2 before ParseInt sees it. */
  strtol(s: string, base: Int, site: number): Int {
    if (base <= 0 || base >= MAX_SHIFT) throw new ProgramRuntimeError(`strtol(${JSON.stringify(s)}, ${base}): base out of range`, site);
    const v = parseGoInt(s, Number(base));
    if (v === undefined) throw new ProgramRuntimeError(`strtol(${JSON.stringify(s)}, ${base}) failed`, site);
    return v;
  }

  notInt(v: unknown, site: number): never {
    throw new ProgramRuntimeError(`expected an int, got ${typeof v === 'number' ? 'float ' + formatGoFloat(v) : show(v)}`, site);
  }

  notFloat(v: unknown, site: number): never {
    throw new ProgramRuntimeError(`expected a float, got ${show(v)}`, site);
  }

  str(v: unknown, site: number): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isInteger(v) ? formatInt(v) : formatGoFloat(v, true);
    if (typeof v === 'bigint') return formatInt(v);
    throw new ProgramRuntimeError(`expected a string, got ${show(v)}`, site);
  }

  /**
   * i2s(s2i(s)), the label of an int capture: the text itself when it is already canonical
   * (digits without a leading zero or sign, short enough to be exact), so no number is
   * parsed or formatted on the common path.
   */
  intKey(s: string, site: number): string {
    const n = s.length;
    if (n > 0 && n <= 15) {
      let c = s.charCodeAt(0);
      if (c >= 0x31 && c <= 0x39) {
        let i = 1;
        for (; i < n; i++) {
          c = s.charCodeAt(i);
          if (c < 0x30 || c > 0x39) break;
        }
        if (i === n) return s;
      }
    }
    return formatInt(this.s2i(s, site));
  }

  /**
   * A captured value the block uses as several labels: its shared copy, so that the lookups
   * of every metric it labels compare it by identity (metrics/labels.ts). Only for long
   * values: V8 copies a short substring, which compares fast, but cuts a longer one as a
   * slice of the line, and every comparison of a slice takes a slow path.
   */
  label(s: string): string {
    return s.length < SLICED_MIN_LENGTH ? s : internLabel(s);
  }

  /** The check that a line holds `literal` before a regex runs (bound once, when the program loads). */
  prefilter(literal: string, gate?: LiteralPrefilter): LiteralPrefilter {
    return new LiteralPrefilter(literal, gate);
  }

  /** fmt's %d. */
  i2s(i: Int): string {
    return formatInt(i);
  }

  /** fmt's %g, for floats used as labels or concatenated. */
  f2s(f: number): string {
    return formatGoFloat(f);
  }

  /** strconv 'G', how mtail pops a float where a string is wanted. */
  fG(f: number): string {
    return formatGoFloat(f, true);
  }

  // Int arithmetic with Go's int64 semantics (src/go/int64.ts): plain number arithmetic
  // while operands and result are safe integers, the exact slow path otherwise.
  add(a: Int, b: Int): Int {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a + b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
    }
    return int64.add(a, b);
  }

  sub(a: Int, b: Int): Int {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a - b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
    }
    return int64.sub(a, b);
  }

  mul(a: Int, b: Int): Int {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = a * b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r + 0; // + 0: 0 * -1 is 0, not -0
    }
    return int64.mul(a, b);
  }

  idiv(a: Int, b: Int, site: number): Int {
    if (b === 0) throw new ProgramRuntimeError(`divide by zero: ${a} / 0`, site);
    return int64.div(a, b);
  }

  imod(a: Int, b: Int, site: number): Int {
    if (b === 0) throw new ProgramRuntimeError(`divide by zero: ${a} % 0`, site);
    return int64.mod(a, b);
  }

  /** int64(math.Pow(a, b)). */
  ipow(a: Int, b: Int): Int {
    return int64.pow(a, b);
  }

  /** Float `**`: Go's math.Pow, whose last bit often differs from Math.pow's. */
  fpow(a: number, b: number): number {
    return goPow(a, b);
  }

  /** Go's int64(f) of a float: truncated, and MinInt64 where it does not fit (amd64). */
  f2i(f: number): Int {
    const t = Math.trunc(f);
    return Number.isSafeInteger(t) ? t + 0 : int64.fromFloat(f);
  }

  // Bitwise operators on int64, not JavaScript's int32.
  and(a: Int, b: Int): Int {
    return fits32(a, b) ? (a as number) & (b as number) : int64.and(a, b);
  }
  or(a: Int, b: Int): Int {
    return fits32(a, b) ? (a as number) | (b as number) : int64.or(a, b);
  }
  xor(a: Int, b: Int): Int {
    return fits32(a, b) ? (a as number) ^ (b as number) : int64.xor(a, b);
  }
  not(a: Int): Int {
    return typeof a === 'number' && (a | 0) === a ? ~a : int64.not(a);
  }
  // mtail's VM refuses a shift count below 0 or from 2^31 - 1 on ("shift int out of range").
  shl(a: Int, b: Int, site: number): Int {
    if (b < 0 || b >= MAX_SHIFT) throw new ProgramRuntimeError('shift int out of range', site);
    return int64.shl(a, Number(b));
  }
  shr(a: Int, b: Int, site: number): Int {
    if (b < 0 || b >= MAX_SHIFT) throw new ProgramRuntimeError('shift int out of range', site);
    return int64.shr(a, Number(b));
  }

  /**
   * mtail's compare(), for operands whose types were not settled at compile time and for a
   * builtin's string result (see checker/lower.ts): a string that parses as a float is that
   * float, and then the other side must be a number too; two other strings compare as Go does.
   */
  cmp(a: unknown, b: unknown, op: string, site: number): boolean {
    // Mixed operands compare as floats in mtail: a big int is rounded as float64(i) rounds it.
    let x = typeof a === 'bigint' ? Number(a) : a;
    let y = typeof b === 'bigint' ? Number(b) : b;
    if (typeof x === 'string') {
      const f = parseGoFloat(x);
      if (f !== undefined) x = f;
      else if (typeof y === 'string') return order(compareGoStrings(x, y), op);
      else throw new ProgramRuntimeError(`cannot compare ${show(a)} with ${show(b)}`, site);
    }
    if (typeof y === 'string' && typeof x === 'number') {
      const f = parseGoFloat(y);
      if (f === undefined) throw new ProgramRuntimeError(`cannot compare ${show(a)} with ${show(b)}`, site);
      y = f;
    }
    if (typeof x !== 'number' || typeof y !== 'number') {
      throw new ProgramRuntimeError(`cannot compare ${show(a)} with ${show(b)}`, site);
    }
    switch (op) {
      case '<': return x < y;
      case '>': return x > y;
      // As mtail's VM: not >, not < (true when either side is NaN).
      case '<=': return !(x > y);
      case '>=': return !(x < y);
      case '==': return x === y;
      default: return x !== y;
    }
  }

  /** Go's order of two strings (UTF-8 bytes), for <, >, <= and >= on strings. */
  scmp(a: string, b: string): number {
    return compareGoStrings(a, b);
  }

  /** Go's len(): bytes of the UTF-8 encoding. */
  len(s: string): number {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
    return s.length;
  }

  /** strings.ToLower: rune by rune, without JavaScript's context rules (final sigma) or expansions. */
  lower(s: string): string {
    if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
    let out = '';
    for (const ch of s) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
    return out;
  }

  /** strings.ReplaceAll. */
  subst(old: string, repl: string, s: string): string {
    if (old === '') return [...s].reduce((acc, ch) => acc + ch + repl, repl);
    return s.split(old).join(repl);
  }

  /** Regexp.ReplaceAllLiteralString: no $ expansion; an empty match right after a match is skipped, as Go does. */
  rsubst(re: RegExp, repl: string, s: string): string {
    re.lastIndex = 0;
    let out = '';
    let last = 0;
    let prevEnd = -1;
    for (;;) {
      const m = re.exec(s);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) {
        if (start === prevEnd) {
          re.lastIndex = start + (s.codePointAt(start)! > 0xffff ? 2 : 1);
          if (start >= s.length) break;
          continue;
        }
        re.lastIndex = start + (start < s.length && s.codePointAt(start)! > 0xffff ? 2 : 1);
      }
      out += s.slice(last, start) + repl;
      last = end;
      prevEnd = end;
      if (start >= s.length) break;
    }
    return out + s.slice(last);
  }

  /**
   * strptime(): the new time register value (NaN when mtail would leave it unset).
   *
   * mtail's 64-entry LRU shows only through failures: a failed value still in it gives the
   * zero time without an error. A value stays in an LRU of 64 exactly while fewer than 64
   * other distinct values were asked since it was last asked, whatever came before, and a
   * successful parse always gives the same result. So the LRU is kept only while it holds
   * a failure (started afresh at the first one): on a log whose timestamps all parse and
   * differ on every line (HAProxy's milliseconds) each line is one parse, not a parse plus
   * a hash, an eviction and a copy of the value.
   */
  strptime(value: string, layout: string, site: number): number {
    const last = this.lastValue;
    if (last !== undefined && sameTimestamp(value, last)) return this.lastResult;
    if (this.memoFailures > 0) return this.strptimeMemo(value, layout, site);
    let ms: number;
    try {
      ms = this.strptimeParser.parse(value, layout);
    } catch (err) {
      this.memo.clear();
      return this.strptimeFailed(value, layout, site, err as Error);
    }
    this.lastValue = value;
    this.lastResult = ms;
    return ms;
  }

  /** strptime() while the LRU holds a failure: mtail's LRU, exactly. */
  private strptimeMemo(value: string, layout: string, site: number): number {
    const cached = this.memo.get(value);
    if (cached !== undefined) {
      this.memo.delete(value);
      this.memo.set(value, cached);
      this.lastValue = value;
      this.lastResult = cached;
      return cached;
    }
    if (this.memo.size >= STRPTIME_MEMO_SIZE) {
      const oldest = this.memo.entries().next().value!;
      this.memo.delete(oldest[0]);
      if (Number.isNaN(oldest[1]) && --this.memoFailures === 0) {
        // The last failure left: what else the LRU holds shows in nothing any more.
        this.memo.clear();
      }
    }
    value = detach(value); // a memo key outlives its line
    let ms: number;
    try {
      ms = this.strptimeParser.parse(value, layout);
    } catch (err) {
      return this.strptimeFailed(value, layout, site, err as Error);
    }
    if (this.memoFailures > 0) this.memo.set(value, ms);
    this.lastValue = value;
    this.lastResult = ms;
    return ms;
  }

  private strptimeFailed(value: string, layout: string, site: number, err: Error): never {
    value = detach(value);
    this.memo.set(value, NaN);
    this.memoFailures++;
    this.lastValue = value;
    this.lastResult = NaN;
    throw new ProgramRuntimeError(`strptime(${JSON.stringify(value)}, ${JSON.stringify(layout)}) failed: ${err.message}`, site);
  }

  timestamp(ts: number, now: number): number {
    return unixSeconds(ts === ts ? ts : now);
  }

  /** `+=` and `++` on an int metric: its datum holds an Int, and the sum wraps as Go's int64. */
  inc(d: Datum, by: Int, ts: number, now: number): Int {
    const v = d.value as Int;
    let r: Int;
    if (typeof v === 'number' && typeof by === 'number' && (r = v + by) <= MAX_SAFE && r >= -MAX_SAFE) d.value = r;
    else d.value = r = int64.add(v, by);
    d.time = ts === ts ? ts : now;
    return r;
  }

  /** `+=` and `++` on a float metric. */
  incFloat(d: Datum, by: number, ts: number, now: number): number {
    const r = (d.value as number) + by;
    d.value = r;
    d.time = ts === ts ? ts : now;
    return r;
  }

  set(d: Datum, v: Int | string, ts: number, now: number): void {
    d.value = typeof v === 'string' ? detach(v) : v;
    d.time = ts === ts ? ts : now;
  }

  append(d: Datum, s: string, ts: number, now: number): void {
    d.value = detach(String(d.value) + s);
    d.time = ts === ts ? ts : now;
  }

  observe(m: Metric, d: Datum, v: number, ts: number, now: number): void {
    m.observe(d, v);
    d.time = ts === ts ? ts : now;
  }

  expire(m: Metric, labels: string[], ms: number, site: number): void {
    if (!m.setExpiry(labels, ms)) throw new ProgramRuntimeError(`del ... after: no datum with labels ${JSON.stringify(labels)}`, site);
  }
}

/** A comparison's answer from a three-way result. */
function order(c: number, op: string): boolean {
  switch (op) {
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
    case '==': return c === 0;
    default: return c !== 0;
  }
}

/** A value for a message (JSON.stringify refuses bigints). */
function show(v: unknown): string {
  return typeof v === 'bigint' ? String(v) : JSON.stringify(v);
}

function fits32(a: Int, b: Int): boolean {
  return typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b;
}
