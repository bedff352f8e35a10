// Fallback for systems without zoneinfo files: offsets from Intl (ICU's copy
// of the same IANA data). Abbreviations are ICU's short names ("GMT+1" for
// most zones outside the Americas), so matching "CET" with the MST layout
// element only works with TZif data; offsets agree.

import { daysFromCivil } from './civil.js';
import type { Zone } from './zone.js';

/** Whether Intl knows the IANA zone name. */
export function intlKnowsZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A zone whose offsets come from Intl.DateTimeFormat. */
export class IntlZone implements Zone {
  readonly name: string;
  private readonly fields: Intl.DateTimeFormat;
  private readonly short: Intl.DateTimeFormat;
  private lastSec = NaN;
  private lastOffset = 0;

  constructor(name: string) {
    this.name = name;
    this.fields = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    this.short = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
  }

  offsetAt(utcMs: number): number {
    // Local mean time offsets have seconds, so measure at a whole second.
    const sec = Math.floor(utcMs / 1000);
    if (sec === this.lastSec) return this.lastOffset;
    const at = sec * 1000;
    let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, bc = false;
    for (const part of this.fields.formatToParts(at)) {
      const v = Number(part.value);
      switch (part.type) {
        case 'year': year = v; break;
        case 'month': month = v; break;
        case 'day': day = v; break;
        case 'hour': hour = v; break;
        case 'minute': minute = v; break;
        case 'second': second = v; break;
        case 'era': bc = part.value.startsWith('B'); break;
      }
    }
    if (bc) year = 1 - year;
    const wallSec = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    this.lastSec = sec;
    this.lastOffset = wallSec - sec;
    return this.lastOffset;
  }

  abbreviationAt(utcMs: number): string {
    const part = this.short.formatToParts(utcMs).find((p) => p.type === 'timeZoneName');
    return part?.value ?? this.name;
  }

  offsetOfAbbreviation(abbreviation: string, utcMs: number): number | undefined {
    // Without the zone's list of periods, try the period around utcMs and half a year away.
    for (const probe of [utcMs, utcMs + 182 * 86400000, utcMs - 182 * 86400000]) {
      const off = this.offsetAt(probe);
      const at = utcMs - off * 1000;
      if (this.abbreviationAt(at) === abbreviation) return this.offsetAt(at);
    }
    return undefined;
  }
}
