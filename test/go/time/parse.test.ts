// Go layout parsing (time.ParseInLocation semantics), one named case per row.
// Expected instants are written as UTC wall clocks plus the offset the case
// is about, computed with Date, not with the code under test.
import t from 'tap';
import { compileLayout, fixedZone, loadZone, TimeParseError, UTC_ZONE, type Zone } from '../../../src/go/time/index.js';

/** Unix ms of a UTC wall clock; setUTCFullYear because Date.UTC maps years 0..99 to 19xx. */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  date.setUTCFullYear(y, mo - 1, d);
  return date.getTime();
}
const H = 3600_000;
const M = 60_000;

const berlin = loadZone('Europe/Berlin');
const newYork = loadZone('America/New_York');
const plus1 = fixedZone('PLUS1', 3600);

interface Case {
  name: string;
  layout: string;
  value: string;
  zone?: Zone;
  want: number | { error: string };
  /** For sub-millisecond results: allowed difference in ms. */
  tolerance?: number;
}

const NGINX = '02/Jan/2006:15:04:05 -0700';
const RFC3339 = '2006-01-02T15:04:05Z07:00';
const DATETIME = '2006-01-02 15:04:05';
const ANSIC = 'Mon Jan _2 15:04:05 2006';
const RFC1123 = 'Mon, 02 Jan 2006 15:04:05 MST';
const MST = '2006-01-02 15:04:05 MST';
const err = (error: string) => ({ error });

const cases: Case[] = [
  // Common log layouts.
  { name: 'nginx/apache with negative offset', layout: NGINX, value: '10/Oct/2000:13:55:36 -0700', want: utc(2000, 10, 10, 13, 55, 36) + 7 * H },
  { name: 'nginx/apache with +0000', layout: NGINX, value: '01/Jan/1970:00:00:00 +0000', want: 0 },
  { name: 'nginx offset wins over the zone', layout: NGINX, value: '04/Jul/2024:12:00:00 +0200', zone: berlin, want: utc(2024, 7, 4, 10) },
  { name: 'nginx +1400', layout: NGINX, value: '29/Feb/2000:12:00:00 +1400', want: utc(2000, 2, 29, 12) - 14 * H },
  { name: 'nginx 29 Feb 1900 is not a day', layout: NGINX, value: '29/Feb/1900:12:00:00 +0000', want: err('parsing time "29/Feb/1900:12:00:00 +0000": day out of range') },
  { name: 'RFC3339 with Z', layout: RFC3339, value: '2024-03-10T12:34:56Z', want: utc(2024, 3, 10, 12, 34, 56) },
  { name: 'RFC3339 with +05:30', layout: RFC3339, value: '2024-03-10T12:34:56+05:30', want: utc(2024, 3, 10, 12, 34, 56) - 5.5 * H },
  { name: 'RFC3339 with unlisted fraction', layout: RFC3339, value: '2024-03-10T12:34:56.25-01:00', want: utc(2024, 3, 10, 12, 34, 56, 250) + H },
  { name: 'RFC3339 needs the colon', layout: RFC3339, value: '2024-03-10T12:34:56+0100', want: err('parsing time "2024-03-10T12:34:56+0100" as "2006-01-02T15:04:05Z07:00": cannot parse "+0100" as "Z07:00"') },
  { name: 'literal Z with milliseconds', layout: '2006-01-02T15:04:05.000Z', value: '2024-03-10T12:34:56.789Z', want: utc(2024, 3, 10, 12, 34, 56, 789) },
  { name: 'literal Z is not an offset', layout: '2006-01-02T15:04:05.000Z', value: '2024-03-10T12:34:56.789+00:00', want: err('parsing time "2024-03-10T12:34:56.789+00:00" as "2006-01-02T15:04:05.000Z": cannot parse "+00:00" as "Z"') },
  { name: 'syslog without year is year 0', layout: 'Jan _2 15:04:05', value: 'Mar  3 12:00:00', want: utc(0, 3, 3, 12) },
  { name: 'syslog two-digit day', layout: 'Jan _2 15:04:05', value: 'Dec 24 23:59:59', want: utc(0, 12, 24, 23, 59, 59) },
  { name: 'syslog Feb 29 in (leap) year 0', layout: 'Jan _2 15:04:05', value: 'Feb 29 06:00:00', want: utc(0, 2, 29, 6) },
  { name: 'slashes', layout: '2006/01/02 15:04:05', value: '2024/03/05 17:08:09', want: utc(2024, 3, 5, 17, 8, 9) },
  { name: 'ANSIC', layout: ANSIC, value: 'Thu Mar  7 09:05:01 2024', want: utc(2024, 3, 7, 9, 5, 1) },
  { name: 'ANSIC names ignore case', layout: ANSIC, value: 'thu MAR  7 09:05:01 2024', want: utc(2024, 3, 7, 9, 5, 1) },
  { name: 'weekday is not checked against the date', layout: ANSIC, value: 'Fri Jan  2 15:04:05 2006', want: utc(2006, 1, 2, 15, 4, 5) },
  { name: 'weekday must be a weekday', layout: 'Monday Jan 2 2006', value: 'Fryday Mar 8 2024', want: err('parsing time "Fryday Mar 8 2024" as "Monday Jan 2 2006": cannot parse "Fryday Mar 8 2024" as "Monday"') },
  { name: 'RFC1123 GMT', layout: RFC1123, value: 'Tue, 05 Mar 2024 17:08:09 GMT', want: utc(2024, 3, 5, 17, 8, 9) },
  { name: 'unix date', layout: 'Mon Jan _2 15:04:05 MST 2006', value: 'Tue Mar  5 17:08:09 UTC 2024', want: utc(2024, 3, 5, 17, 8, 9) },
  { name: 'compact digits', layout: '20060102150405', value: '20240305170809', want: utc(2024, 3, 5, 17, 8, 9) },
  { name: 'long month, 12-hour clock', layout: 'January 2, 2006 3:04:05 PM', value: 'July 4, 1999 12:00:01 PM', want: utc(1999, 7, 4, 12, 0, 1) },
  { name: 'long month ignores case', layout: 'January 2, 2006 3:04:05 PM', value: 'july 4, 1999 12:00:01 AM', want: utc(1999, 7, 4, 0, 0, 1) },
  { name: 'lower-case pm', layout: '2006-01-02 3:04pm', value: '2024-01-02 11:59pm', want: utc(2024, 1, 2, 23, 59) },
  { name: 'PM is case-sensitive', layout: 'January 2, 2006 3:04:05 PM', value: 'July 4, 1999 12:00:01 am', want: err('parsing time "July 4, 1999 12:00:01 am" as "January 2, 2006 3:04:05 PM": cannot parse "am" as "PM"') },
  { name: '13 PM', layout: 'Jan 2 2006 3PM', value: 'Jan 2 2024 13PM', want: err('parsing time "Jan 2 2024 13PM": hour out of range') },

  // Zones: the default zone, DST gaps and overlaps as Go's Date resolves them.
  { name: 'Berlin winter', layout: DATETIME, value: '2024-01-15 12:00:00', zone: berlin, want: utc(2024, 1, 15, 12) - H },
  { name: 'Berlin summer', layout: DATETIME, value: '2024-07-15 12:00:00', zone: berlin, want: utc(2024, 7, 15, 12) - 2 * H },
  { name: 'Berlin last second before the gap', layout: DATETIME, value: '2024-03-31 01:59:59', zone: berlin, want: utc(2024, 3, 31, 0, 59, 59) },
  { name: 'Berlin in the gap moves forward', layout: DATETIME, value: '2024-03-31 02:30:00', zone: berlin, want: utc(2024, 3, 31, 1, 30) },
  { name: 'Berlin after the gap', layout: DATETIME, value: '2024-03-31 03:00:00', zone: berlin, want: utc(2024, 3, 31, 1) },
  { name: 'Berlin overlap takes the later (CET) one', layout: DATETIME, value: '2024-10-27 02:30:00', zone: berlin, want: utc(2024, 10, 27, 1, 30) },
  { name: 'Berlin after 2037 (TZ rule footer)', layout: DATETIME, value: '2045-07-01 12:00:00', zone: berlin, want: utc(2045, 7, 1, 10) },
  // New York: 02:30 as UTC is still EST, 07:30Z is EDT, so Go lands an hour earlier, at 01:30 EST.
  { name: 'New York in the gap moves back', layout: DATETIME, value: '2024-03-10 02:30:00', zone: newYork, want: utc(2024, 3, 10, 6, 30) },
  { name: 'New York overlap takes the earlier (EDT) one', layout: DATETIME, value: '2024-11-03 01:30:00', zone: newYork, want: utc(2024, 11, 3, 5, 30) },
  { name: 'fixed zone', layout: DATETIME, value: '2024-03-10 12:00:00', zone: plus1, want: utc(2024, 3, 10, 11) },
  { name: '-00:00:01 counts as no offset (Go quirk)', layout: '2006-01-02 15:04:05 -07:00:00', value: '2024-01-10 12:00:00 -00:00:01', zone: berlin, want: utc(2024, 1, 10, 11) },

  // MST: abbreviations known to the zone, UTC/GMT, unknown ones.
  { name: 'CEST in Berlin summer', layout: MST, value: '2024-07-10 12:00:00 CEST', zone: berlin, want: utc(2024, 7, 10, 10) },
  { name: 'CEST in Berlin winter still +2', layout: MST, value: '2024-01-10 12:00:00 CEST', zone: berlin, want: utc(2024, 1, 10, 10) },
  { name: 'CET in Berlin summer still +1', layout: MST, value: '2024-07-10 12:00:00 CET', zone: berlin, want: utc(2024, 7, 10, 11) },
  { name: 'EST in New York summer still -5', layout: MST, value: '2024-07-10 12:00:00 EST', zone: newYork, want: utc(2024, 7, 10, 17) },
  { name: 'RFC1123 CEST in Berlin', layout: RFC1123, value: 'Wed, 10 Jul 2024 12:00:00 CEST', zone: berlin, want: utc(2024, 7, 10, 10) },
  { name: 'UTC in Berlin', layout: MST, value: '2024-07-10 12:00:00 UTC', zone: berlin, want: utc(2024, 7, 10, 12) },
  { name: 'unknown abbreviation is offset 0', layout: MST, value: '2024-07-10 12:00:00 PDT', want: utc(2024, 7, 10, 12) },
  { name: 'CEST unknown to UTC', layout: MST, value: '2024-07-10 12:00:00 CEST', want: utc(2024, 7, 10, 12) },
  { name: 'GMT+5 does not move the instant', layout: MST, value: '2024-07-10 12:00:00 GMT+5', want: utc(2024, 7, 10, 12) },
  { name: '+03 as a name does not move the instant', layout: MST, value: '2024-07-10 12:00:00 +03', want: utc(2024, 7, 10, 12) },
  { name: 'ChST', layout: MST, value: '2024-07-10 12:00:00 ChST', want: utc(2024, 7, 10, 12) },
  { name: 'five capitals must end in T', layout: MST, value: '2024-07-10 12:00:00 ABCDE', want: err('parsing time "2024-07-10 12:00:00 ABCDE" as "2006-01-02 15:04:05 MST": cannot parse "ABCDE" as "MST"') },
  { name: 'abbreviation needs capitals', layout: MST, value: '2024-07-10 12:00:00 Abc', want: err('parsing time "2024-07-10 12:00:00 Abc" as "2006-01-02 15:04:05 MST": cannot parse "Abc" as "MST"') },

  // Numeric offsets.
  { name: 'Z0700 with +0100', layout: '2006-01-02T15:04:05Z0700', value: '2024-03-10T12:34:56+0100', want: utc(2024, 3, 10, 11, 34, 56) },
  { name: 'Z0700 with Z', layout: '2006-01-02T15:04:05Z0700', value: '2024-03-10T12:34:56Z', want: utc(2024, 3, 10, 12, 34, 56) },
  { name: 'Z07 with -03', layout: '2006-01-02 15:04:05 Z07', value: '2024-03-10 12:34:56 -03', want: utc(2024, 3, 10, 15, 34, 56) },
  { name: '-07 with +05', layout: '2006-01-02 15:04:05 -07', value: '2024-03-10 12:34:56 +05', want: utc(2024, 3, 10, 7, 34, 56) },
  { name: '-07:00', layout: '2006-01-02 15:04:05 -07:00', value: '2024-03-10 12:34:56 -08:00', want: utc(2024, 3, 10, 20, 34, 56) },
  { name: 'Z070000', layout: '2006-01-02 15:04:05 Z070000', value: '2024-03-10 12:34:56 +053015', want: utc(2024, 3, 10, 12, 34, 56) - (5 * H + 30 * M + 15_000) },
  { name: '-070000', layout: '2006-01-02 15:04:05 -070000', value: '2024-03-10 12:34:56 -010203', want: utc(2024, 3, 10, 12, 34, 56) + H + 2 * M + 3000 },
  { name: '-07:00:00', layout: '2006-01-02 15:04:05 -07:00:00', value: '2024-03-10 12:34:56 -01:02:03', want: utc(2024, 3, 10, 12, 34, 56) + H + 2 * M + 3000 },
  { name: 'Z07:00:00 with Z', layout: '2006-01-02 15:04:05 Z07:00:00', value: '2024-03-10 12:34:56 Z', want: utc(2024, 3, 10, 12, 34, 56) },
  { name: 'offset of 24 hours accepted', layout: '2006-01-02 15:04:05 -0700', value: '2024-03-10 12:34:56 +2400', want: utc(2024, 3, 10, 12, 34, 56) - 24 * H },
  { name: 'offset of 25 hours', layout: '2006-01-02 15:04:05 -0700', value: '2024-03-10 12:34:56 +2500', want: err('parsing time "2024-03-10 12:34:56 +2500": time zone offset hour out of range') },
  { name: 'offset sign', layout: '2006-01-02 15:04:05 -0700', value: '2024-03-10 12:34:56 *0100', want: err('parsing time "2024-03-10 12:34:56 *0100" as "2006-01-02 15:04:05 -0700": cannot parse "*0100" as "-0700"') },

  // Years, days of the year, ranges.
  { name: 'two-digit year 69 is 1969', layout: '06-01-02', value: '69-01-01', want: utc(1969, 1, 1) },
  { name: 'two-digit year 68 is 2068', layout: '06-01-02', value: '68-12-31', want: utc(2068, 12, 31) },
  { name: 'two-digit year -5 is 1995 (Go quirk)', layout: '06 Jan 02', value: '-5 Jan 02', want: utc(1995, 1, 2) },
  { name: 'year 0 written out', layout: DATETIME, value: '0000-06-01 12:00:00', want: utc(0, 6, 1, 12) },
  { name: 'year 9999', layout: DATETIME, value: '9999-12-31 23:59:59', want: utc(9999, 12, 31, 23, 59, 59) },
  { name: 'day of year 60 in a leap year', layout: '2006 002 15:04', value: '2024 060 10:00', want: utc(2024, 2, 29, 10) },
  { name: 'day of year 60 in a common year', layout: '2006 002 15:04', value: '2023 060 10:00', want: utc(2023, 3, 1, 10) },
  { name: 'space-padded day of year', layout: '2006 __2', value: '2024   7', want: utc(2024, 1, 7) },
  { name: 'day of year 366 in a common year', layout: '__2 2006', value: '366 2023', want: err('parsing time "366 2023": day-of-year out of range') },
  { name: 'day of year agrees with the date', layout: '2006-01-02 002', value: '2024-03-01 061', want: utc(2024, 3, 1) },
  { name: 'day of year contradicts the day', layout: '2006-01-02 002', value: '2024-03-02 061', want: err('parsing time "2024-03-02 061": day-of-year does not match day') },
  { name: 'day of year contradicts the month', layout: '2006-01 002', value: '2024-02 061', want: err('parsing time "2024-02 061": day-of-year does not match month') },
  { name: 'month 13', layout: DATETIME, value: '2024-13-10 12:34:56', want: err('parsing time "2024-13-10 12:34:56": month out of range') },
  { name: 'month 0', layout: DATETIME, value: '2024-00-10 12:34:56', want: err('parsing time "2024-00-10 12:34:56": month out of range') },
  { name: 'Feb 30', layout: '2006-01-02', value: '2024-02-30', want: err('parsing time "2024-02-30": day out of range') },
  { name: 'Feb 29 in a common year', layout: '2006-01-02', value: '2023-02-29', want: err('parsing time "2023-02-29": day out of range') },
  { name: 'Apr 31', layout: '2006-01-02', value: '2024-04-31', want: err('parsing time "2024-04-31": day out of range') },
  { name: 'hour 24', layout: '2006-01-02 15:04', value: '2024-03-10 24:00', want: err('parsing time "2024-03-10 24:00": hour out of range') },
  { name: 'minute 60', layout: DATETIME, value: '2024-03-10 12:60:00', want: err('parsing time "2024-03-10 12:60:00": minute out of range') },
  { name: 'second 60', layout: DATETIME, value: '2024-03-10 12:00:60', want: err('parsing time "2024-03-10 12:00:60": second out of range') },

  // Literal text, spaces, widths.
  { name: 'extra text', layout: DATETIME, value: '2024-03-10 12:34:56 junk', want: err('parsing time "2024-03-10 12:34:56 junk": extra text: " junk"') },
  { name: 'literal mismatch', layout: DATETIME, value: '2024-03-10 1x:34:56', want: err('parsing time "2024-03-10 1x:34:56" as "2006-01-02 15:04:05": cannot parse "x:34:56" as ":"') },
  { name: '01 needs two digits', layout: DATETIME, value: '2024-3-10 12:00:00', want: err('parsing time "2024-3-10 12:00:00" as "2006-01-02 15:04:05": cannot parse "3-10 12:00:00" as "01"') },
  { name: 'unpadded fields', layout: '2006-1-2 3:4:5', value: '2024-3-9 7:8:9', want: utc(2024, 3, 9, 7, 8, 9) },
  { name: 'a layout space matches many', layout: '2006-01-02 15:04', value: '2024-03-10    15:04', want: utc(2024, 3, 10, 15, 4) },
  { name: 'layout spaces match one', layout: '2006-01-02   15:04', value: '2024-03-10 15:04', want: utc(2024, 3, 10, 15, 4) },
  { name: 'trailing layout space matches none at the end', layout: '2006-01-02 15:04 ', value: '2024-03-10 15:04', want: utc(2024, 3, 10, 15, 4) },
  { name: 'year with a fifth digit', layout: 'Jan 2006', value: 'Jan 20241', want: err('parsing time "Jan 20241": extra text: "1"') },
  { name: 'quotes in messages are escaped', layout: '2006', value: '"24', want: err('parsing time "\\"24" as "2006": cannot parse "\\"24" as "2006"') },

  // How Go reads a layout: elements win over literal text, except where Go says otherwise.
  { name: '"Jan" before a lower-case letter is text', layout: 'Janet 2006', value: 'Janet 2024', want: utc(2024, 1, 1) },
  { name: '"Mon" before a lower-case letter is text', layout: 'Month 2006', value: 'Month 2024', want: utc(2024, 1, 1) },
  { name: '"_2006" is an underscore and the year', layout: '_2006', value: '_2024', want: utc(2024, 1, 1) },
  { name: 'a digit 2 in the text is the day', layout: 'v2 2006', value: 'v9 2024', want: utc(2024, 1, 9) },

  // Fractional seconds.
  { name: '.000', layout: '2006-01-02 15:04:05.000', value: '2024-03-10 12:34:56.789', want: utc(2024, 3, 10, 12, 34, 56, 789) },
  { name: ',000 accepts a period too', layout: '2006-01-02 15:04:05,000', value: '2024-03-10 12:34:56.999', want: utc(2024, 3, 10, 12, 34, 56, 999) },
  { name: '.000 needs all digits', layout: '2006-01-02 15:04:05.000', value: '2024-03-10 12:34:56.99', want: err('parsing time "2024-03-10 12:34:56.99" as "2006-01-02 15:04:05.000": cannot parse ".99" as ".000"') },
  { name: '.999 may be absent', layout: '2006-01-02 15:04:05.999', value: '2024-03-10 12:34:56', want: utc(2024, 3, 10, 12, 34, 56) },
  { name: '.999 takes more digits', layout: '2006-01-02 15:04:05.999', value: '2024-03-10 12:34:56.12345', want: utc(2024, 3, 10, 12, 34, 56) + 123.45, tolerance: 1e-3 },
  { name: 'unlisted comma fraction', layout: DATETIME, value: '2024-03-10 12:34:56,5', want: utc(2024, 3, 10, 12, 34, 56, 500) },
  { name: 'nanoseconds', layout: '2006-01-02T15:04:05.999999999Z07:00', value: '2024-03-10T12:34:56.123456789-08:00', want: utc(2024, 3, 10, 20, 34, 56) + 123.456789, tolerance: 1e-3 },
  { name: 'digits past nanoseconds are dropped', layout: DATETIME, value: '2024-03-10 12:34:56.1234567891', want: utc(2024, 3, 10, 12, 34, 56) + 123.456789, tolerance: 1e-3 },
  { name: 'a bare period after seconds is literal text', layout: DATETIME, value: '2024-01-02 03:04:05.', want: err('parsing time "2024-01-02 03:04:05.": extra text: "."') },
  { name: 'signed fraction (Go quirk)', layout: '2006-01-02 15:04:05.000', value: '2024-07-10 12:00:00.-12', want: err('parsing time "2024-07-10 12:00:00.-12": fractional second out of range') },
  { name: 'before 1970 with a fraction', layout: DATETIME, value: '1969-12-31 23:59:59.5', want: -500 },
];

t.ok(cases.length >= 60, `at least 60 cases (${cases.length})`);

for (const c of cases) {
  t.test(c.name, async (t) => {
    const parse = compileLayout(c.layout, c.zone ?? UTC_ZONE);
    if (typeof c.want === 'number') {
      const got = parse(c.value);
      if (c.tolerance === undefined) t.equal(got, c.want, `${c.layout} | ${c.value}`);
      else t.ok(Math.abs(got - c.want) < c.tolerance, `${got} within ${c.tolerance} of ${c.want}`);
    } else {
      const message = (c.want as { error: string }).error;
      let caught: unknown;
      try { parse(c.value); } catch (e) { caught = e; }
      t.ok(caught instanceof TimeParseError, 'throws a TimeParseError');
      t.equal((caught as Error | undefined)?.message, message);
    }
  });
}

t.test('a compiled parser can be reused for many values', async (t) => {
  const parse = compileLayout(NGINX, UTC_ZONE);
  for (let day = 1; day <= 28; day++) {
    const dd = String(day).padStart(2, '0');
    t.equal(parse(`${dd}/Feb/2024:06:07:08 +0100`), utc(2024, 2, day, 5, 7, 8), `day ${day}`);
  }
});
