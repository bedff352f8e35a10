// Zones read from TZif files (/usr/share/zoneinfo), which is where Go's
// LoadLocation gets them on Linux. Reading the same data with the same lookup
// rules gives the same offsets and, unlike Intl, the same abbreviations
// ("CET", "CEST") that Go matches for the MST layout element.

import { parsePosixTz, posixTzPeriod, type PosixTz, type ZonePeriod } from './posix-tz.js';
import type { Zone } from './zone.js';

interface ZoneType { name: string; offset: number; isDst: boolean }

/** The contents of a TZif file that Go uses. */
export interface TzifData {
  types: ZoneType[];
  /** Transition instants (Unix seconds), ascending, and the type index of each. */
  when: number[];
  index: number[];
  /** POSIX TZ rule for times after the last transition ('' when absent). */
  extend: string;
}

/** Parses TZif bytes (versions 1-4); throws on malformed data. */
export function parseTzif(buf: Uint8Array): TzifData {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (): never => { throw new Error('malformed time zone information'); };
  let p = 0;
  const header = () => {
    if (p + 44 > buf.length || buf[p] !== 0x54 || buf[p + 1] !== 0x5a || buf[p + 2] !== 0x69 || buf[p + 3] !== 0x66) bad();
    const version = buf[p + 4];
    const counts: number[] = [];
    for (let k = 0; k < 6; k++) counts.push(view.getUint32(p + 20 + 4 * k));
    p += 44;
    const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts;
    return { version, isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt };
  };
  let h = header();
  let timeSize = 4;
  if (h.version !== 0) {
    // Version 2+ repeats the data with 64-bit times after the 32-bit block.
    p += h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt;
    h = header();
    timeSize = 8;
  }
  const need = h.timecnt * (timeSize + 1) + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  if (p + need > buf.length || h.typecnt === 0) bad();
  const when: number[] = [];
  for (let k = 0; k < h.timecnt; k++, p += timeSize) {
    when.push(timeSize === 8 ? Number(view.getBigInt64(p)) : view.getInt32(p));
  }
  const index: number[] = [];
  for (let k = 0; k < h.timecnt; k++) {
    if (buf[p] >= h.typecnt) bad();
    index.push(buf[p++]);
  }
  const rawTypes: { offset: number; isDst: boolean; abbr: number }[] = [];
  for (let k = 0; k < h.typecnt; k++, p += 6) {
    rawTypes.push({ offset: view.getInt32(p), isDst: buf[p + 4] !== 0, abbr: buf[p + 5] });
  }
  const chars = buf.subarray(p, p + h.charcnt);
  p += h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  const types = rawTypes.map((t) => {
    let end = t.abbr;
    while (end < chars.length && chars[end] !== 0) end++;
    return { name: Buffer.from(chars.subarray(t.abbr, end)).toString('latin1'), offset: t.offset, isDst: t.isDst };
  });
  let extend = '';
  if (timeSize === 8 && p < buf.length && buf[p] === 0x0a) {
    const nl = buf.indexOf(0x0a, p + 1);
    if (nl > p) extend = Buffer.from(buf.subarray(p + 1, nl)).toString('latin1');
  }
  return { types, when, index, extend };
}

/** A zone backed by TZif data, looked up as Go's Location.lookup does. */
export class TzifZone implements Zone {
  readonly name: string;
  private readonly types: ZoneType[];
  private readonly when: number[];
  private readonly index: number[];
  private readonly extend: PosixTz | undefined;
  private readonly firstType: number;
  // The last period looked up: consecutive log lines are close in time.
  private cached: ZonePeriod = { name: '', offset: 0, isDst: false, start: 0, end: 0 };

  constructor(name: string, data: TzifData) {
    this.name = name;
    this.types = data.types;
    if (data.when.length === 0) {
      // Go's stand-in transition covering all time (fixed zones like Etc/GMT+5).
      this.when = [-Infinity];
      this.index = [0];
    } else {
      this.when = data.when;
      this.index = data.index;
    }
    this.extend = data.extend === '' ? undefined : parsePosixTz(data.extend);
    this.firstType = this.lookupFirstType();
  }

  offsetAt(utcMs: number): number {
    return this.period(Math.floor(utcMs / 1000)).offset;
  }

  abbreviationAt(utcMs: number): string {
    return this.period(Math.floor(utcMs / 1000)).name;
  }

  offsetOfAbbreviation(abbreviation: string, utcMs: number): number | undefined {
    const sec = Math.floor(utcMs / 1000);
    for (const t of this.types) {
      if (t.name !== abbreviation) continue;
      const p = this.period(sec - t.offset);
      if (p.name === abbreviation) return p.offset;
    }
    for (const t of this.types) if (t.name === abbreviation) return t.offset;
    return undefined;
  }

  /** The period containing Unix second sec. */
  period(sec: number): ZonePeriod {
    const c = this.cached;
    if (c.start <= sec && sec < c.end) return c;
    const p = this.lookup(sec);
    this.cached = p;
    return p;
  }

  private lookup(sec: number): ZonePeriod {
    const when = this.when;
    if (sec < when[0]) {
      const t = this.types[this.firstType];
      return { name: t.name, offset: t.offset, isDst: t.isDst, start: -Infinity, end: when[0] };
    }
    let lo = 0, hi = when.length, end = Infinity;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      if (sec < when[m]) { end = when[m]; hi = m; } else lo = m;
    }
    if (lo === when.length - 1 && this.extend !== undefined) return posixTzPeriod(this.extend, when[lo], sec);
    const t = this.types[this.index[lo]];
    return { name: t.name, offset: t.offset, isDst: t.isDst, start: when[lo], end };
  }

  // Go's lookupFirstZone (after tzcode's localtime.c): the type for times before the first transition.
  private lookupFirstType(): number {
    if (!this.index.includes(0)) return 0;
    if (this.types[this.index[0]].isDst) {
      for (let k = this.index[0] - 1; k >= 0; k--) if (!this.types[k].isDst) return k;
    }
    const k = this.types.findIndex((t) => !t.isDst);
    return k < 0 ? 0 : k;
  }
}
