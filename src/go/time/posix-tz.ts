// POSIX TZ rule strings ("CET-1CEST,M3.5.0,M10.5.0/3"), the footer of a TZif
// file that describes times after its last transition. Semantics follow Go's
// time.tzset, including its quirks (the year is taken from the UTC instant).

import { daysBefore, daysFromCivil, daysIn, isLeap, SECONDS_PER_DAY, weekdayOfDays, yearOfDays } from './civil.js';

const enum RuleKind { Julian, DayOfYear, MonthWeekDay }

interface Rule { kind: RuleKind; day: number; week: number; mon: number; time: number }

/** A parsed TZ rule string. */
export interface PosixTz {
  stdName: string;
  stdOffset: number;
  /** Absent when the rule has no daylight saving time. */
  dst?: { name: string; offset: number; start: Rule; end: Rule };
}

/** One period of a zone: abbreviation, offset, and [start, end) in Unix seconds. */
export interface ZonePeriod { name: string; offset: number; isDst: boolean; start: number; end: number }

class Cursor {
  constructor(public s: string, public i = 0) {}
  peek(): string { return this.s[this.i] ?? ''; }
  atEnd(): boolean { return this.i >= this.s.length; }
}

function parseName(c: Cursor): string | undefined {
  if (c.atEnd()) return undefined;
  if (c.peek() === '<') {
    const close = c.s.indexOf('>', c.i);
    if (close < 0) return undefined;
    const name = c.s.slice(c.i + 1, close);
    c.i = close + 1;
    return name;
  }
  let j = c.i;
  while (j < c.s.length && !'0123456789,-+'.includes(c.s[j])) j++;
  if (j - c.i < 3) return undefined;
  const name = c.s.slice(c.i, j);
  c.i = j;
  return name;
}

function parseNum(c: Cursor, min: number, max: number): number | undefined {
  const start = c.i;
  let n = 0;
  while (!c.atEnd() && c.peek() >= '0' && c.peek() <= '9') {
    n = n * 10 + (c.s.charCodeAt(c.i) - 48);
    if (n > max) return undefined;
    c.i++;
  }
  if (c.i === start || n < min) return undefined;
  return n;
}

/** [+-]hh[:mm[:ss]] in seconds, sign as written (POSIX: positive = west). */
function parseOffset(c: Cursor): number | undefined {
  if (c.atEnd()) return undefined;
  let neg = false;
  if (c.peek() === '+') c.i++;
  else if (c.peek() === '-') { c.i++; neg = true; }
  const hours = parseNum(c, 0, 24 * 7);
  if (hours === undefined) return undefined;
  let off = hours * 3600;
  if (c.peek() === ':') {
    c.i++;
    const mins = parseNum(c, 0, 59);
    if (mins === undefined) return undefined;
    off += mins * 60;
    if (c.peek() === ':') {
      c.i++;
      const secs = parseNum(c, 0, 59);
      if (secs === undefined) return undefined;
      off += secs;
    }
  }
  return neg ? -off : off;
}

function parseRule(c: Cursor): Rule | undefined {
  const r: Rule = { kind: RuleKind.DayOfYear, day: 0, week: 0, mon: 0, time: 2 * 3600 };
  if (c.peek() === 'J') {
    c.i++;
    r.kind = RuleKind.Julian;
    const day = parseNum(c, 1, 365);
    if (day === undefined) return undefined;
    r.day = day;
  } else if (c.peek() === 'M') {
    c.i++;
    r.kind = RuleKind.MonthWeekDay;
    const mon = parseNum(c, 1, 12);
    if (mon === undefined || c.peek() !== '.') return undefined;
    c.i++;
    const week = parseNum(c, 1, 5);
    if (week === undefined || c.peek() !== '.') return undefined;
    c.i++;
    const day = parseNum(c, 0, 6);
    if (day === undefined) return undefined;
    r.mon = mon; r.week = week; r.day = day;
  } else {
    const day = parseNum(c, 0, 365);
    if (day === undefined) return undefined;
    r.day = day;
  }
  if (c.peek() !== '/') return r;
  c.i++;
  const time = parseOffset(c);
  if (time === undefined) return undefined;
  r.time = time;
  return r;
}

/** Parses a TZ rule string; undefined when Go would reject it. */
export function parsePosixTz(s: string): PosixTz | undefined {
  const c = new Cursor(s);
  const stdName = parseName(c);
  const stdRaw = stdName === undefined ? undefined : parseOffset(c);
  if (stdName === undefined || stdRaw === undefined) return undefined;
  // POSIX offsets are added to local time to get UTC; ours are the opposite.
  const stdOffset = -stdRaw;
  if (c.atEnd() || c.peek() === ',') return { stdName, stdOffset };
  const dstName = parseName(c);
  if (dstName === undefined) return undefined;
  let dstOffset = stdOffset + 3600;
  if (!c.atEnd() && c.peek() !== ',') {
    const raw = parseOffset(c);
    if (raw === undefined) return undefined;
    dstOffset = -raw;
  }
  if (c.atEnd()) { c.s = ',M3.2.0,M11.1.0'; c.i = 0; } // tzcode's default rules
  if (c.peek() !== ',' && c.peek() !== ';') return undefined;
  c.i++;
  const start = parseRule(c);
  if (start === undefined || c.peek() !== ',') return undefined;
  c.i++;
  const end = parseRule(c);
  if (end === undefined || !c.atEnd()) return undefined;
  return { stdName, stdOffset, dst: { name: dstName, offset: dstOffset, start, end } };
}

/** Seconds after the start of year (UTC) at which rule r fires, for a zone at offset off. */
function ruleTime(year: number, r: Rule, off: number): number {
  let d: number;
  if (r.kind === RuleKind.Julian) {
    d = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  } else if (r.kind === RuleKind.DayOfYear) {
    d = r.day;
  } else {
    const firstDow = weekdayOfDays(daysFromCivil(year, r.mon, 1));
    d = r.day - firstDow;
    if (d < 0) d += 7;
    for (let i = 1; i < r.week; i++) {
      if (d + 7 >= daysIn(r.mon, year)) break;
      d += 7;
    }
    d += daysBefore(r.mon) + (isLeap(year) && r.mon > 2 ? 1 : 0);
  }
  return d * SECONDS_PER_DAY + r.time - off;
}

/** The period of tz containing Unix second sec (after a TZif table's last transition at lastTx). */
export function posixTzPeriod(tz: PosixTz, lastTx: number, sec: number): ZonePeriod {
  const dst = tz.dst;
  if (dst === undefined) return { name: tz.stdName, offset: tz.stdOffset, isDst: false, start: lastTx, end: Infinity };
  const days = Math.floor(sec / SECONDS_PER_DAY);
  const year = yearOfDays(days);
  const yearStart = daysFromCivil(year, 1, 1) * SECONDS_PER_DAY;
  // Go computes seconds-in-year with a truncated remainder; kept for identical results.
  const ysec = (days - yearStart / SECONDS_PER_DAY) * SECONDS_PER_DAY + (sec % SECONDS_PER_DAY);
  let startSec = ruleTime(year, dst.start, tz.stdOffset);
  let endSec = ruleTime(year, dst.end, dst.offset);
  let stdName = tz.stdName, dstName = dst.name, stdOffset = tz.stdOffset, dstOffset = dst.offset;
  let stdIsDst = false, dstIsDst = true;
  if (endSec < startSec) {
    // Southern hemisphere: daylight time spans the new year.
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
    [stdIsDst, dstIsDst] = [dstIsDst, stdIsDst];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, isDst: stdIsDst, start: yearStart, end: startSec + yearStart };
  if (ysec >= endSec) {
    // Go ends this period 365 days after the year's start, which misses Dec 31 of leap years.
    const nextYear = daysFromCivil(year + 1, 1, 1) * SECONDS_PER_DAY;
    return { name: stdName, offset: stdOffset, isDst: stdIsDst, start: endSec + yearStart, end: nextYear };
  }
  return { name: dstName, offset: dstOffset, isDst: dstIsDst, start: startSec + yearStart, end: endSec + yearStart };
}
