// Go's time.ParseInLocation(layout, value, zone), with the layout compiled
// once into steps. Parsing walks the value by index: no regex, no substrings
// except for error messages and zone abbreviations.

import { daysBefore, daysFromCivil, daysIn, isLeap, SECONDS_PER_DAY } from './civil.js';
import { goQuote, TimeParseError } from './errors.js';
import { compileSteps, Std, type LayoutStep } from './layout.js';
import {
  atoi, getnum, getnum3, isDigit, lookupName, num3Length, numLength, timeZoneLength,
  LONG_DAY_NAMES, LONG_MONTH_NAMES, SHORT_DAY_NAMES, SHORT_MONTH_NAMES,
} from './scan.js';
import type { Zone } from './zone.js';

/**
 * A parsed instant as Go's time.Time holds it: Unix seconds (floored) plus
 * nanoseconds, and its location: the parser's zone, or a fixed offset.
 */
export interface ParsedTime {
  sec: number;
  nsec: number;
  /** False: the time's location is the zone; true: a fixed offset (Go's FixedZone, or UTC). */
  fixed: boolean;
  fixedOffset: number;
  /** The year as written (or implied): Go's Year() can differ from it only near New Year. */
  year: number;
}

/** A fresh ParsedTime to parse into. */
export function newParsedTime(): ParsedTime {
  return { sec: 0, nsec: 0, fixed: false, fixedOffset: 0, year: 0 };
}

/** Go's Date(wall fields, zone) for wall Unix seconds: which offset applies to a local time, including in DST gaps and overlaps. */
export function zoneWallToUnix(zone: Zone, wallSec: number): number {
  return wallSec - zone.offsetAt((wallSec - zone.offsetAt(wallSec * 1000)) * 1000);
}

const isISO8601 = (std: Std) => std >= Std.ISO8601TZ && std <= Std.ISO8601ColonSecondsTZ;
const commaOrPeriod = (s: string, i: number) => s[i] === '.' || s[i] === ',';

/** A Go layout compiled for one zone; parseInto fills a ParsedTime or throws TimeParseError. */
export class LayoutParser {
  readonly layout: string;
  private readonly steps: readonly LayoutStep[];
  private readonly zone: Zone;
  // Scratch results of the helpers below; a parser is used by one caller at a time.
  private pos = 0;
  private rangeErr = '';

  /**
   * The width of a fixed fractional second (`.000`) that ends the layout right after the
   * seconds, point included; 0 when the layout ends otherwise. Two values of such a layout
   * that agree up to it parse alike up to it (see Strptime's memo).
   */
  readonly fracTail: number;

  /**
   * After a successful parseInto: where the two digits of the seconds are in the value, or -1
   * when the layout's seconds cannot be read on their own (see withSeconds).
   */
  secondsAt = -1;
  /** The step whose seconds withSeconds may replace, or -1 (see the constructor). */
  private readonly secondsStep: number;
  // What the last successful parseInto found: its wall clock, its seconds field and its zone.
  private lastWall = 0;
  private lastSecond = 0;
  private lastUtc = false;
  private lastZoneOffset = -1;
  private lastZoneName = '';

  constructor(layout: string, zone: Zone) {
    this.layout = layout;
    this.steps = compileSteps(layout);
    this.zone = zone;
    const n = this.steps.length;
    const [sec, frac, end] = [this.steps[n - 3], this.steps[n - 2], this.steps[n - 1]];
    const fixed = n >= 3 && (sec.std === Std.Second || sec.std === Std.ZeroSecond) && frac.std === Std.FracSecond0 && frac.prefix === '' &&
      frac.fracDigits >= 1 && frac.fracDigits <= 9 && end.std === Std.End && end.prefix === '';
    this.fracTail = fixed ? 1 + frac.fracDigits : 0;
    // The seconds can be read alone when nothing else in the layout reads their digits: one
    // seconds element, after literal text that stops every scan of an earlier element (a digit
    // could extend a number, a sign the "GMT+h" of a zone name; scans of names, spaces and the
    // like only ask whether a character is a digit, which two digits answer alike).
    const seconds = this.steps.flatMap((step, k) => (step.std === Std.Second || step.std === Std.ZeroSecond ? [k] : []));
    const before = seconds.length === 1 ? this.steps[seconds[0]].prefix : '';
    this.secondsStep = before !== '' && !/^[\d+-]/.test(before) ? seconds[0] : -1;
  }

  /**
   * The time of the last value parsed with its two-digit seconds field replaced by `second`
   * (0 to 59): the instant parseInto gives for a value that differs from the last one only
   * in those digits (secondsAt says where they are). Fills out.sec and out.fixed only.
   */
  withSeconds(second: number, out: ParsedTime): void {
    this.lastWall += second - this.lastSecond;
    this.lastSecond = second;
    this.resolveZone(this.lastWall, this.lastUtc, this.lastZoneOffset, this.lastZoneName, out);
  }

  /** The seconds field of the last value parsed (or given to withSeconds). */
  get seconds(): number {
    return this.lastSecond;
  }

  /** The nanoseconds of a fracTail-wide fractional second at value[at], as parseInto reads it; -1 when malformed. */
  fracNanos(value: string, at: number): number {
    if (!commaOrPeriod(value, at)) return -1;
    let ns = 0;
    for (let i = at + 1; i < at + this.fracTail; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      ns = ns * 10 + d;
    }
    for (let k = this.fracTail; k < 10; k++) ns *= 10;
    return ns;
  }

  /** Parses value into out (reused by the caller); throws TimeParseError. */
  parseInto(value: string, out: ParsedTime): void {
    const steps = this.steps, n = value.length;
    let year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
    let utc = false, zoneOffset = -1, zoneName = '', amSet = false, pmSet = false;
    let pos = 0, secondsAt = -1;
    for (let k = 0; ; k++) {
      const step = steps[k];
      if (step.prefix.length > 0) {
        pos = step.prefixHasSpace ? skipSpaced(step.prefix, value, pos) : skipExact(step.prefix, value, pos);
        if (pos < 0) throw new TimeParseError(this.layout, value, step.prefix, value.slice(~pos), '');
      }
      if (step.std === Std.End) {
        if (pos !== n) throw new TimeParseError(this.layout, value, '', value.slice(pos), `: extra text: ${goQuote(value.slice(pos))}`);
        break;
      }
      const hold = pos;
      let bad = false;
      this.rangeErr = '';
      switch (step.std) {
        case Std.Year: {
          if (n - pos < 2) { bad = true; break; }
          year = atoi(value, pos, pos + 2);
          pos += 2;
          if (Number.isNaN(year)) { bad = true; break; }
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case Std.LongYear:
          if (n - pos < 4 || !isDigit(value, pos)) { bad = true; break; }
          year = atoi(value, pos, pos + 4);
          pos += 4;
          bad = Number.isNaN(year);
          break;
        case Std.Month: case Std.LongMonth: {
          const table = step.std === Std.Month ? SHORT_MONTH_NAMES : LONG_MONTH_NAMES;
          const m = lookupName(table, value, pos);
          if (m < 0) { bad = true; break; }
          month = m + 1;
          pos += table[m].length;
          break;
        }
        case Std.NumMonth: case Std.ZeroMonth:
          month = getnum(value, pos, step.std === Std.ZeroMonth);
          if (month < 0) { bad = true; break; }
          pos += numLength(value, pos);
          if (month === 0 || month > 12) this.rangeErr = 'month';
          break;
        case Std.WeekDay: case Std.LongWeekDay: {
          // Checked for syntax, otherwise ignored, as in Go.
          const table = step.std === Std.WeekDay ? SHORT_DAY_NAMES : LONG_DAY_NAMES;
          const d = lookupName(table, value, pos);
          if (d < 0) { bad = true; break; }
          pos += table[d].length;
          break;
        }
        case Std.Day: case Std.UnderDay: case Std.ZeroDay:
          if (step.std === Std.UnderDay && value[pos] === ' ') pos++;
          day = getnum(value, pos, step.std === Std.ZeroDay);
          if (day < 0) { bad = true; break; }
          pos += numLength(value, pos);
          break;
        case Std.UnderYearDay: case Std.ZeroYearDay:
          if (step.std === Std.UnderYearDay) for (let s = 0; s < 2 && value[pos] === ' '; s++) pos++;
          yday = getnum3(value, pos, step.std === Std.ZeroYearDay);
          if (yday < 0) { bad = true; break; }
          pos += num3Length(value, pos);
          break;
        case Std.Hour:
          hour = getnum(value, pos, false);
          if (hour < 0) { hour = 0; bad = true; break; }
          pos += numLength(value, pos);
          if (hour >= 24) this.rangeErr = 'hour';
          break;
        case Std.Hour12: case Std.ZeroHour12:
          hour = getnum(value, pos, step.std === Std.ZeroHour12);
          if (hour < 0) { hour = 0; bad = true; break; }
          pos += numLength(value, pos);
          if (hour > 12) this.rangeErr = 'hour';
          break;
        case Std.Minute: case Std.ZeroMinute:
          min = getnum(value, pos, step.std === Std.ZeroMinute);
          if (min < 0) { min = 0; bad = true; break; }
          pos += numLength(value, pos);
          if (min >= 60) this.rangeErr = 'minute';
          break;
        case Std.Second: case Std.ZeroSecond:
          sec = getnum(value, pos, step.std === Std.ZeroSecond);
          if (sec < 0) { sec = 0; bad = true; break; }
          if (k === this.secondsStep && numLength(value, pos) === 2) secondsAt = pos;
          pos += numLength(value, pos);
          if (sec >= 60) { this.rangeErr = 'second'; break; }
          // Go accepts a fractional second right after the seconds even when the layout has none.
          if (n - pos >= 2 && commaOrPeriod(value, pos) && isDigit(value, pos + 1) && !step.nextIsFrac) {
            let end = pos + 2;
            while (isDigit(value, end)) end++;
            nsec = this.nanoseconds(value, pos, end - pos);
            bad = nsec < 0 && this.rangeErr === '';
            pos = end;
          }
          break;
        case Std.PM: case Std.pm: {
          if (n - pos < 2) { bad = true; break; }
          const upper = step.std === Std.PM;
          if (value.startsWith(upper ? 'PM' : 'pm', pos)) pmSet = true;
          else if (value.startsWith(upper ? 'AM' : 'am', pos)) amSet = true;
          else bad = true;
          pos += 2;
          break;
        }
        case Std.ISO8601TZ: case Std.ISO8601ShortTZ: case Std.ISO8601ColonTZ:
        case Std.ISO8601SecondsTZ: case Std.ISO8601ColonSecondsTZ:
        case Std.NumTZ: case Std.NumShortTZ: case Std.NumColonTZ:
        case Std.NumSecondsTZ: case Std.NumColonSecondsTZ: {
          if (value[pos] === 'Z' && isISO8601(step.std)) { pos++; utc = true; break; }
          const offset = this.numericOffset(step.std, value, pos);
          if (offset === undefined) { bad = true; break; }
          pos = this.pos;
          zoneOffset = offset;
          break;
        }
        case Std.TZ: {
          if (value.startsWith('UTC', pos)) { utc = true; pos += 3; break; }
          const len = timeZoneLength(value, pos);
          if (len === 0) { bad = true; break; }
          zoneName = value.slice(pos, pos + len);
          pos += len;
          break;
        }
        case Std.FracSecond0: {
          const width = 1 + step.fracDigits;
          if (n - pos < width) { bad = true; break; }
          nsec = this.nanoseconds(value, pos, width);
          bad = nsec < 0 && this.rangeErr === '';
          pos += width;
          break;
        }
        case Std.FracSecond9: {
          if (n - pos < 2 || !commaOrPeriod(value, pos) || !isDigit(value, pos + 1)) break; // omitted
          let end = pos + 1;
          while (isDigit(value, end)) end++;
          nsec = this.nanoseconds(value, pos, end - pos);
          pos = end;
          break;
        }
      }
      if (this.rangeErr !== '') {
        throw new TimeParseError(this.layout, value, step.stdText, value.slice(pos), `: ${this.rangeErr} out of range`);
      }
      if (bad) throw new TimeParseError(this.layout, value, step.stdText, value.slice(hold), '');
    }
    if (pmSet && hour < 12) hour += 12;
    else if (amSet && hour === 12) hour = 0;

    if (yday >= 0) {
      let m = 0, d = 0;
      if (isLeap(year)) {
        if (yday === 31 + 29) { m = 2; d = 29; } else if (yday > 31 + 29) yday--;
      }
      if (yday < 1 || yday > 365) throw this.dateError(value, ': day-of-year out of range');
      if (m === 0) {
        m = Math.floor((yday - 1) / 31) + 1;
        if (daysBefore(m + 1) < yday) m++;
        d = yday - daysBefore(m);
      }
      if (month >= 0 && month !== m) throw this.dateError(value, ': day-of-year does not match month');
      month = m;
      if (day >= 0 && day !== d) throw this.dateError(value, ': day-of-year does not match day');
      day = d;
    } else {
      if (month < 0) month = 1;
      if (day < 0) day = 1;
    }
    if (day < 1 || day > daysIn(month, year)) throw this.dateError(value, ': day out of range');

    const wall = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
    out.nsec = nsec;
    out.year = year;
    this.resolveZone(wall, utc, zoneOffset, zoneName, out);
    this.secondsAt = secondsAt;
    this.lastWall = wall;
    this.lastSecond = sec;
    this.lastUtc = utc;
    this.lastZoneOffset = zoneOffset;
    this.lastZoneName = zoneName;
  }

  // The instant and location Go picks for wall-clock seconds given what the value said about its zone.
  private resolveZone(wall: number, utc: boolean, zoneOffset: number, zoneName: string, out: ParsedTime): void {
    const zone = this.zone;
    if (utc) {
      out.sec = wall; out.fixed = true; out.fixedOffset = 0;
    } else if (zoneOffset !== -1) {
      // Go's "no offset seen" is -1, so an offset of exactly -00:00:01 counts as none, as it does in Go.
      const t = wall - zoneOffset;
      out.sec = t;
      const ms = t * 1000;
      const same = zone.offsetAt(ms) === zoneOffset && (zoneName === '' || (zone.abbreviationAt?.(ms) ?? zone.name) === zoneName);
      out.fixed = !same;
      out.fixedOffset = zoneOffset;
    } else if (zoneName !== '') {
      const known = zone.offsetOfAbbreviation?.(zoneName, wall * 1000);
      if (known !== undefined) {
        out.sec = wall - known; out.fixed = false; out.fixedOffset = 0;
      } else {
        // Unknown abbreviation: Go records the name with offset 0 (GMT+h: h hours) but does not move the instant.
        out.sec = wall; out.fixed = true;
        out.fixedOffset = zoneName.length > 3 && zoneName.startsWith('GMT') ? atoi(zoneName, 3, zoneName.length) * 3600 : 0;
      }
    } else {
      out.sec = zoneWallToUnix(zone, wall); out.fixed = false; out.fixedOffset = 0;
    }
  }

  private dateError(value: string, detail: string): TimeParseError {
    return new TimeParseError(this.layout, value, '', '', detail);
  }

  /** Go's parseNanoseconds over value[at, at+width): -1 on a bad number or range error (rangeErr set). */
  private nanoseconds(value: string, at: number, width: number): number {
    if (!commaOrPeriod(value, at)) return -1;
    // Digits past the ninth are ignored.
    const used = width > 10 ? 10 : width;
    let ns = atoi(value, at + 1, at + used);
    if (Number.isNaN(ns)) return -1;
    if (ns < 0) { this.rangeErr = 'fractional second'; return -1; }
    for (let k = used; k < 10; k++) ns *= 10;
    return ns;
  }

  /** A numeric zone offset in seconds at value[at]; sets this.pos past it; undefined if malformed. */
  private numericOffset(std: Std, value: string, at: number): number | undefined {
    const n = value.length - at;
    let width: number, minAt = -1, secAt = -1;
    switch (std) {
      case Std.ISO8601ColonTZ: case Std.NumColonTZ:
        if (n < 6 || value[at + 3] !== ':') return undefined;
        width = 6; minAt = at + 4; break;
      case Std.ISO8601ShortTZ: case Std.NumShortTZ:
        if (n < 3) return undefined;
        width = 3; break;
      case Std.ISO8601ColonSecondsTZ: case Std.NumColonSecondsTZ:
        if (n < 9 || value[at + 3] !== ':' || value[at + 6] !== ':') return undefined;
        width = 9; minAt = at + 4; secAt = at + 7; break;
      case Std.ISO8601SecondsTZ: case Std.NumSecondsTZ:
        if (n < 7) return undefined;
        width = 7; minAt = at + 3; secAt = at + 5; break;
      default:
        if (n < 5) return undefined;
        width = 5; minAt = at + 3; break;
    }
    this.pos = at + width;
    // Go stops at the first bad field, leaving later ones 0, then range-checks before reporting it.
    let bad = false, hh = getnum(value, at + 1, true), mm = 0, ss = 0;
    if (hh < 0) { hh = 0; bad = true; } else if (minAt >= 0) {
      mm = getnum(value, minAt, true);
      if (mm < 0) { mm = 0; bad = true; } else if (secAt >= 0) {
        ss = getnum(value, secAt, true);
        if (ss < 0) { ss = 0; bad = true; }
      }
    }
    // Greater-than, not >=: offsets of 24 hours or 60 minutes are accepted, as in Go.
    if (hh > 24) this.rangeErr = 'time zone offset hour';
    if (mm > 60) this.rangeErr = 'time zone offset minute';
    if (ss > 60) this.rangeErr = 'time zone offset second';
    if (this.rangeErr !== '') return 0;
    const sign = value[at];
    if (bad || (sign !== '+' && sign !== '-')) return undefined;
    const offset = (hh * 60 + mm) * 60 + ss;
    return sign === '-' ? -offset : offset;
  }
}

/** Matches a literal with no spaces; returns the new position, or ~position of the mismatch. */
function skipExact(prefix: string, value: string, pos: number): number {
  if (value.startsWith(prefix, pos)) return pos + prefix.length;
  let k = 0;
  while (k < prefix.length && value[pos + k] === prefix[k]) k++;
  return ~(pos + k);
}

/** Go's skip(): like skipExact, but a run of spaces in the literal matches any run (even none at the end) in the value. */
function skipSpaced(prefix: string, value: string, pos: number): number {
  let k = 0;
  while (k < prefix.length) {
    if (prefix[k] === ' ') {
      if (pos < value.length && value[pos] !== ' ') return ~pos;
      while (k < prefix.length && prefix[k] === ' ') k++;
      while (pos < value.length && value[pos] === ' ') pos++;
      continue;
    }
    if (pos >= value.length || value[pos] !== prefix[k]) return ~pos;
    k++;
    pos++;
  }
  return pos;
}
