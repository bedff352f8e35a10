import { daysFromCivil, civilFromDays, SECONDS_PER_DAY, yearOfDays, type CivilDate } from './civil.js';
import { LayoutParser, newParsedTime, zoneWallToUnix, type ParsedTime } from './parse.js';
import { unixMs } from './unix.js';
import type { Zone } from './zone.js';

/** Options of mtail's strptime. */
export interface StrptimeOptions {
  /** mtail's --syslog_use_current_year (default true): a parsed year 0 becomes the current year. */
  syslogUseCurrentYear?: boolean;
}

// A program may pass computed layouts; past this many, the cache starts over.
const MAX_LAYOUTS = 64;

class LayoutMemo {
  lastValue: string | undefined = undefined;
  lastMs = 0;
  lastError: Error | undefined = undefined;
  /** For a layout ending in a fixed fractional second: the last parsed value before it, and its seconds. */
  lastHead: string | undefined = undefined;
  lastSec = 0;
  constructor(readonly parser: LayoutParser) {}
}

/**
 * mtail's strptime builtin: Go's time.ParseInLocation in the program's zone,
 * then mtail's yearless-syslog rule. Compiled layouts are cached per layout
 * string, with the last value and its result, since consecutive log lines
 * usually share a timestamp. Throws TimeParseError.
 */
export class Strptime {
  readonly zone: Zone;
  private readonly nowMs: () => number;
  private readonly syslogUseCurrentYear: boolean;
  private readonly layouts = new Map<string, LayoutMemo>();
  private readonly parsed: ParsedTime = newParsedTime();
  private readonly civil: CivilDate = { year: 0, month: 0, day: 0 };

  constructor(zone: Zone, nowMs: () => number = Date.now, options: StrptimeOptions = {}) {
    this.zone = zone;
    this.nowMs = nowMs;
    this.syslogUseCurrentYear = options.syslogUseCurrentYear ?? true;
  }

  /** Parses value with the Go layout; returns Unix ms (fractional below 1 ms). */
  parse(value: string, layout: string): number {
    let memo = this.layouts.get(layout);
    if (memo === undefined) {
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      memo = new LayoutMemo(new LayoutParser(layout, this.zone));
      this.layouts.set(layout, memo);
    } else if (value === memo.lastValue) {
      if (memo.lastError !== undefined) throw memo.lastError;
      return memo.lastMs;
    } else if (memo.lastHead !== undefined && value.length === memo.lastValue!.length && value.startsWith(memo.lastHead)) {
      // Only the fractional second differs from the last good value (HAProxy's milliseconds):
      // everything before it parses as it did, so only the digits are read.
      const ns = memo.parser.fracNanos(value, memo.lastHead.length);
      if (ns >= 0) {
        memo.lastValue = value;
        memo.lastMs = unixMs(memo.lastSec, ns);
        return memo.lastMs;
      }
    }
    memo.lastValue = value;
    memo.lastHead = undefined;
    try {
      memo.parser.parseInto(value, this.parsed);
    } catch (err) {
      memo.lastError = err as Error;
      throw err;
    }
    memo.lastError = undefined;
    const yearZero = this.syslogUseCurrentYear && this.parsed.year >= -1 && this.parsed.year <= 1;
    if (yearZero) this.patchYearZero(this.parsed);
    else if (memo.parser.fracTail > 0) {
      // (A patched year depends on the clock: such values are always parsed whole.)
      memo.lastHead = value.slice(0, value.length - memo.parser.fracTail);
      memo.lastSec = this.parsed.sec;
    }
    memo.lastMs = unixMs(this.parsed.sec, this.parsed.nsec);
    return memo.lastMs;
  }

  // mtail: if tm.Year() == 0 { tm = tm.AddDate(time.Now().In(loc).Year(), 0, 0) }. Year() and
  // AddDate work on the wall clock of the time's own location (zone or fixed offset).
  private patchYearZero(t: ParsedTime): void {
    const zone = this.zone;
    const offset = t.fixed ? t.fixedOffset : zone.offsetAt(t.sec * 1000);
    const local = t.sec + offset;
    const days = Math.floor(local / SECONDS_PER_DAY);
    if (yearOfDays(days) !== 0) return;
    const now = this.nowMs();
    const nowYear = yearOfDays(Math.floor((Math.floor(now / 1000) + zone.offsetAt(now)) / SECONDS_PER_DAY));
    const { month, day } = civilFromDays(days, this.civil);
    // Day overflow (Feb 29 into a common year) rolls into March, as Go's Date normalises it.
    const wall = (daysFromCivil(nowYear, month, 1) + day - 1) * SECONDS_PER_DAY + (local - days * SECONDS_PER_DAY);
    t.sec = t.fixed ? wall - t.fixedOffset : zoneWallToUnix(zone, wall);
  }
}
