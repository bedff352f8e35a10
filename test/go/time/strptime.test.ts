// mtail's strptime: the yearless-syslog rule, the per-layout memo, and the
// seconds conversions of timestamp() and settime().
import t from 'tap';
import { LayoutParser, type ParsedTime } from '../../../src/go/time/parse.js';
import {
  fixedZone, GO_ZERO_TIME_MS, loadZone, mtailTimestamp, sameTimestamp, settimeMs, Strptime, TimeParseError, unixMs, unixSeconds, UTC_ZONE, type Zone,
} from '../../../src/go/time/index.js';

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  date.setUTCFullYear(y, mo - 1, d);
  return date.getTime();
}
const H = 3600_000;
const berlin = loadZone('Europe/Berlin');
const SYSLOG = 'Jan _2 15:04:05';

interface YearCase { name: string; layout: string; value: string; zone: Zone; now: number; want: number; currentYear?: boolean }

const yearCases: YearCase[] = [
  { name: 'yearless gets the current year', layout: SYSLOG, value: 'Mar  3 12:00:00', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(2026, 3, 3, 12) },
  { name: 'Feb 29 rolls into March in a common year', layout: SYSLOG, value: 'Feb 29 12:00:00', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(2026, 3, 1, 12) },
  { name: 'Feb 29 stays in a leap year', layout: SYSLOG, value: 'Feb 29 12:00:00', zone: UTC_ZONE, now: utc(2028, 1, 5), want: utc(2028, 2, 29, 12) },
  { name: 'future dates are not moved back a year', layout: SYSLOG, value: 'Dec 31 23:59:59', zone: UTC_ZONE, now: utc(2026, 1, 1), want: utc(2026, 12, 31, 23, 59, 59) },
  { name: 'local wall clock in the zone, summer', layout: SYSLOG, value: 'Jul  4 02:30:00', zone: berlin, now: utc(2026, 11, 22), want: utc(2026, 7, 4, 0, 30) },
  { name: 'local wall clock in the zone, winter', layout: SYSLOG, value: 'Jan  4 02:30:00', zone: berlin, now: utc(2026, 11, 22), want: utc(2026, 1, 4, 1, 30) },
  { name: 'the year is the current year in the zone', layout: SYSLOG, value: 'Jun  1 00:00:00', zone: berlin, now: utc(2026, 12, 31, 23, 30), want: utc(2027, 5, 31, 22) },
  { name: 'numeric offset kept', layout: 'Jan _2 15:04:05 -0700', value: 'Jul  4 02:30:00 -0100', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(2026, 7, 4, 3, 30) },
  { name: 'offset that is the zone\'s own', layout: 'Jan _2 15:04:05 -0700', value: 'Jul  4 02:30:00 +0200', zone: berlin, now: utc(2026, 11, 22), want: utc(2026, 7, 4, 0, 30) },
  { name: 'year 0 written out is patched too', layout: '2006-01-02 15:04:05', value: '0000-06-01 12:00:00', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(2026, 6, 1, 12) },
  { name: 'year 1 is left alone', layout: '2006-01-02 15:04:05', value: '0001-06-01 12:00:00', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(1, 6, 1, 12) },
  // Go's Year() is taken in the time's own location: +3 hours makes it year 1, so no patch.
  { name: 'GMT+3 pushes Dec 31 into year 1 (mtail leaves it)', layout: 'Jan _2 15:04:05 MST', value: 'Dec 31 23:30:00 GMT+3', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(0, 12, 31, 23, 30) },
  // CEST is +2 but Berlin in year 0 is at local mean time (+0:53:28): the time is in year -1 there.
  { name: 'CEST on Jan 1 falls into year -1 in Berlin (mtail leaves it)', layout: 'Jan _2 15:04:05 MST', value: 'Jan  1 00:30:00 CEST', zone: berlin, now: utc(2026, 11, 22), want: utc(0, 1, 1, 0, 30) - 2 * H },
  { name: 'switched off', layout: SYSLOG, value: 'Mar  3 12:00:00', zone: UTC_ZONE, now: utc(2026, 11, 22), want: utc(0, 3, 3, 12), currentYear: false },
];

for (const c of yearCases) {
  t.test(c.name, async (t) => {
    const strptime = new Strptime(c.zone, () => c.now, { syslogUseCurrentYear: c.currentYear ?? true });
    t.equal(strptime.parse(c.value, c.layout), c.want, `${c.layout} | ${c.value}`);
  });
}

/** `value` as a capture is: a slice of a longer line. */
function cutFromLine(value: string): string {
  const before = '<134>host app[1]: [';
  const cut = `${before}${value}] trailing text`.slice(before.length, before.length + value.length);
  if (cut !== value) throw new Error(`cutFromLine(${value}) gave ${cut}`);
  return cut;
}

// Captures are slices of their line (V8 cuts strings of 13 characters or more as slices), so
// the comparison is tried on slices of a longer text, as generated code hands them over.
t.test('sameTimestamp is === for timestamps cut from lines', async (t) => {
  const line = (ts: string) => `10.0.0.1 - - [${ts}] "GET / HTTP/1.1" 200 512 padding to make the line long`;
  const cut = (ts: string) => line(ts).slice(14, 14 + ts.length);
  const last = '22/Nov/2026:10:00:05 +0000';
  const cases: [value: string, want: boolean][] = [
    [last, true],
    ['22/Nov/2026:10:00:06 +0000', false], // the seconds
    ['22/Nov/2026:10:00:05 +0100', false], // the zone, last character the same
    ['23/Nov/2026:10:00:05 +0000', false], // the first character only
    ['22/Nov/2026:11:00:05 +0000', false], // the middle only
    ['22/Nov/2026:10:00:05 +00000', false], // longer, the same start
    ['22/Nov/2026:10:00:05 +000', false], // shorter, a prefix
    ['2/Nov/2026:10:00:05 +0000', false], // a suffix
    ['', false],
  ];
  for (const [value, want] of cases) {
    t.equal(sameTimestamp(cut(value), cut(last)), want, `${JSON.stringify(value)} (cut) vs the last (cut)`);
    t.equal(sameTimestamp(cut(value), last), want, `${JSON.stringify(value)} (cut) vs the last (whole)`);
    t.equal(sameTimestamp(value, cut(last)), value === last, `${JSON.stringify(value)} vs the last (cut)`);
  }
  t.equal(sameTimestamp('', ''), true, 'two empty values');
  t.equal(sameTimestamp('x', ''), false);
});

t.test('the memo returns the last result without parsing again', async (t) => {
  let clockReads = 0;
  const strptime = new Strptime(UTC_ZONE, () => { clockReads++; return utc(2026, 11, 22); });
  const first = strptime.parse('Mar  3 12:00:00', SYSLOG);
  t.equal(clockReads, 1, 'yearless parse reads the clock');
  t.equal(strptime.parse('Mar  3 12:00:00', SYSLOG), first, 'same result');
  t.equal(clockReads, 1, 'repeated value: no parse, no clock read');
  t.equal(strptime.parse('Mar  3 12:00:01', SYSLOG), first + 1000, 'new value parsed');
  t.equal(clockReads, 2);
  // An empty layout parses an empty value to year 0, which takes the current year.
  const empty = strptime.parse('', '');
  t.equal(clockReads, 3, 'the empty value parsed');
  t.equal(strptime.parse('', ''), empty, 'and remembered like any other');
  t.equal(clockReads, 3, 'an empty value repeated: no parse either');
});

t.test('values that differ only in a trailing fractional second parse as each would alone', async (t) => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const answer = (p: Strptime, v: string, layout: string): number | string => {
    try {
      return p.parse(v, layout);
    } catch (e) {
      return (e as Error).message;
    }
  };
  const cases: [layout: string, make: () => string][] = [
    ['02/Jan/2006:15:04:05.000', () => `2${rnd(3)}/Nov/2026:0${rnd(2)}:00:5${rnd(2)}${['.', ',', ':'][rnd(3)]}${rnd(1000)}`],
    ['2006-01-02T15:04:05.000000', () => `2026-11-22T00:00:0${rnd(2)}.${String(rnd(1_000_000)).padStart(rnd(4) === 0 ? 5 : 6, '0')}${rnd(8) === 0 ? 'x' : ''}`],
    ['Jan _2 15:04:05.0', () => `Nov 22 00:00:0${rnd(2)}.${rnd(12)}`],
  ];
  for (const [layout, make] of cases) {
    const memoised = new Strptime(berlin, () => utc(2026, 6, 1));
    let same = 0;
    for (let i = 0; i < 3000; i++) {
      const v = cutFromLine(make());
      const want = answer(new Strptime(berlin, () => utc(2026, 6, 1)), v, layout);
      const got = answer(memoised, v, layout);
      if (!Object.is(got, want)) {
        t.fail(`${layout}: ${v}: got ${got}, alone ${want}`);
        break;
      }
      same++;
    }
    t.equal(same, 3000, `${layout}: 3000 values as parsed alone`);
  }
});

t.test('values that differ from the last only in their seconds parse as each would alone', async (t) => {
  let seed = 11;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 12) % n; // (the low bits of this generator repeat quickly)
  };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
  const p2 = (n: number) => String(n).padStart(2, '0');
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  interface Wall { y: number; mo: number; d: number; h: number; mi: number; s: number }
  // A wall clock that mostly stands still or moves a few seconds, as a log's timestamps do,
  // and sometimes jumps; the layouts below format it (zones by the layout's own choice).
  const walk = (starts: readonly number[]) => {
    let at = starts[0];
    return (): Wall => {
      const r = rnd(20);
      if (r < 2) at = pick(starts) + rnd(7200) * 1000;
      else if (r < 8) at += (1 + rnd(3)) * 1000;
      const d = new Date(at);
      return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
    };
  };
  // Now and then a value is damaged: a digit made large (seconds out of range), a character
  // replaced, one too many or one too few.
  const damage = (v: string): string => {
    if (rnd(10) !== 0) return v;
    const digits = [...v].flatMap((c, i) => (c >= '0' && c <= '9' ? [i] : []));
    const i = rnd(3) === 0 ? rnd(v.length) : pick(digits.slice(-4));
    return pick([() => v.slice(0, i) + pick(['6', '9']) + v.slice(i + 1), () => v.slice(0, i) + pick(['x', ' ', '+', '.']) + v.slice(i + 1), () => v + '0', () => v.slice(1)])();
  };
  const around = (...isos: string[]) => isos.map((iso) => Date.parse(iso) - 3600_000);
  const cases: [name: string, layout: string, zone: Zone, make: () => string][] = (() => {
    const summer = walk(around('2026-03-29T02:00:00Z', '2026-10-25T02:00:00Z', '2026-11-22T10:00:00Z'));
    // Berlin's step from local mean time (+0:53:28) to CET came at 00:06:32 wall time: inside a minute.
    const lmt = walk(around('1893-04-01T00:30:00Z'));
    return [
      ['nginx, numeric offset', '02/Jan/2006:15:04:05 -0700', berlin, () => { const w = summer(); return `${p2(w.d)}/${MONTHS[w.mo - 1]}/${w.y}:${p2(w.h)}:${p2(w.mi)}:${p2(w.s)} ${pick(['+0000', '+0000', '+0100', '-0730'])}`; }],
      ['zone wall clock across DST changes', '2006-01-02 15:04:05', berlin, () => { const w = summer(); return `${w.y}-${p2(w.mo)}-${p2(w.d)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`; }],
      ['zone wall clock across a change inside a minute', '2006-01-02 15:04:05', berlin, () => { const w = lmt(); return `${w.y}-${p2(w.mo)}-${p2(w.d)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`; }],
      ['ISO 8601 with Z or an offset', '2006-01-02T15:04:05Z07:00', berlin, () => { const w = summer(); return `${w.y}-${p2(w.mo)}-${p2(w.d)}T${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}${pick(['Z', 'Z', '+01:00', '-00:30'])}`; }],
      ['zone abbreviations', 'Jan _2 15:04:05 MST 2006', berlin, () => { const w = summer(); return `${MONTHS[w.mo - 1]} ${String(w.d).padStart(2)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)} ${pick(['CET', 'CEST', 'UTC', 'GMT+3', 'XYZ'])} ${w.y}`; }],
      ['unpadded seconds, 12-hour clock', '3:4:5 PM 2006-01-02', berlin, () => { const w = summer(); return `${w.h % 12 || 12}:${w.mi}:${w.s} ${w.h < 12 ? 'AM' : 'PM'} ${w.y}-${p2(w.mo)}-${p2(w.d)}`; }],
      ['seconds and fraction before the date', '15:04:05.000 02/01/2006', UTC_ZONE, () => { const w = summer(); return `${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${String(rnd(1000)).padStart(3, '0')} ${p2(w.d)}/${p2(w.mo)}/${w.y}`; }],
      ['seconds and fraction at the end', '02/Jan/2006:15:04:05.000', berlin, () => { const w = summer(); return `${p2(w.d)}/${MONTHS[w.mo - 1]}/${w.y}:${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${String(rnd(1000)).padStart(3, '0')}`; }],
      // A zone name reads "GMT+h" digits: after a "+", the seconds are part of what it reads.
      ['seconds after a sign that a zone name may take', '2006-01-02 15:04 MST+05', UTC_ZONE, () => { const w = summer(); return `${w.y}-${p2(w.mo)}-${p2(w.d)} ${p2(w.h)}:${p2(w.mi)} GMT+${p2(w.s)}`; }],
      ['two seconds elements (the last counts)', 'at :05, 2006-01-02 15:04:05', UTC_ZONE, () => { const w = summer(); return `at :${p2(rnd(3) === 0 ? w.s : (w.s + 7) % 60)}, ${w.y}-${p2(w.mo)}-${p2(w.d)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`; }],
      ['yearless syslog', SYSLOG, berlin, () => { const w = summer(); return `${MONTHS[w.mo - 1]} ${String(w.d).padStart(2)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`; }],
    ];
  })();
  const answer = (p: Strptime, v: string, layout: string): number | string => {
    try {
      return p.parse(v, layout);
    } catch (e) {
      return (e as Error).message;
    }
  };
  const now = () => utc(2026, 6, 1);
  for (const [name, layout, zone, make] of cases) {
    const memoised = new Strptime(zone, now);
    let same = 0, errors = 0;
    for (let i = 0; i < 4000; i++) {
      const v = cutFromLine(damage(make()));
      const want = answer(new Strptime(zone, now), v, layout);
      const got = answer(memoised, v, layout);
      if (!Object.is(got, want)) {
        t.fail(`${name}: ${v}: got ${got}, alone ${want}`);
        break;
      }
      same++;
      if (typeof want === 'string') errors++;
    }
    t.equal(same, 4000, `${name} (${layout}): 4000 values as parsed alone, ${errors} of them errors`);
  }
});

t.test('a value that differs from the last only in its seconds is not parsed again', async (t) => {
  const parses: string[] = [];
  const parseInto = LayoutParser.prototype.parseInto;
  LayoutParser.prototype.parseInto = function (this: LayoutParser, value: string, out: ParsedTime) {
    parses.push(value);
    parseInto.call(this, value, out);
  };
  t.teardown(() => { LayoutParser.prototype.parseInto = parseInto; });
  const strptime = new Strptime(berlin);
  const nginx = '02/Jan/2006:15:04:05 -0700';
  const values = ['22/Nov/2026:10:00:00 +0100', '22/Nov/2026:10:00:00 +0100', '22/Nov/2026:10:00:01 +0100', '22/Nov/2026:10:00:59 +0100', '22/Nov/2026:10:00:60 +0100', '22/Nov/2026:10:00:07 +0000', '22/Nov/2026:10:01:07 +0000'];
  const got = values.map((v) => { try { return strptime.parse(v, nginx); } catch { return 'error'; } });
  t.same(got, [utc(2026, 11, 22, 9), utc(2026, 11, 22, 9), utc(2026, 11, 22, 9, 0, 1), utc(2026, 11, 22, 9, 0, 59), 'error', utc(2026, 11, 22, 10, 0, 7), utc(2026, 11, 22, 10, 1, 7)]);
  t.same(parses, ['22/Nov/2026:10:00:00 +0100', '22/Nov/2026:10:00:60 +0100', '22/Nov/2026:10:00:07 +0000', '22/Nov/2026:10:01:07 +0000'],
    'parsed whole: the first value, the bad seconds (out of range), and values that differ elsewhere');
  parses.length = 0;
  const haproxy = '02/Jan/2006:15:04:05.000';
  for (const v of ['22/Nov/2026:10:00:00.123', '22/Nov/2026:10:00:00.124', '22/Nov/2026:10:00:01.001', '22/Nov/2026:10:00:31.999']) strptime.parse(v, haproxy);
  t.same(parses, ['22/Nov/2026:10:00:00.123'], 'seconds and a trailing fraction: only the first value is parsed whole');
});

t.test('layouts are memoised separately', async (t) => {
  const strptime = new Strptime(UTC_ZONE);
  t.equal(strptime.parse('01/02/2024', '01/02/2006'), utc(2024, 1, 2), 'month first');
  t.equal(strptime.parse('01/02/2024', '02/01/2006'), utc(2024, 2, 1), 'same value, day first');
  t.equal(strptime.parse('01/02/2024', '01/02/2006'), utc(2024, 1, 2), 'back to month first');
});

t.test('a failing value throws every time, with Go\'s message', async (t) => {
  const strptime = new Strptime(UTC_ZONE);
  const message = 'parsing time "2024-13-01": month out of range';
  for (const attempt of [1, 2]) {
    let caught: unknown;
    try { strptime.parse('2024-13-01', '2006-01-02'); } catch (e) { caught = e; }
    t.ok(caught instanceof TimeParseError, `attempt ${attempt} throws`);
    t.equal((caught as Error | undefined)?.message, message);
  }
  t.equal(strptime.parse('2024-12-01', '2006-01-02'), utc(2024, 12, 1), 'and recovers on the next value');
});

t.test('many computed layouts stay correct past the cache size', async (t) => {
  const strptime = new Strptime(UTC_ZONE);
  for (let k = 0; k < 200; k++) {
    // Digits in a layout are elements ("1" is a month), so name each layout with letters.
    const tag = String(k).replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)));
    const layout = `x${tag} 2006-01-02`;
    t.equal(strptime.parse(`x${tag} 2024-05-${String(1 + (k % 28)).padStart(2, '0')}`, layout), utc(2024, 5, 1 + (k % 28)), layout);
  }
});

t.test('fixed zones work as the program zone', async (t) => {
  const strptime = new Strptime(fixedZone('X', -2 * 3600), () => utc(2026, 6, 1));
  t.equal(strptime.parse('Mar  3 12:00:00', SYSLOG), utc(2026, 3, 3, 14));
});

interface SecondsCase { name: string; ms: number; want: number }
const secondsCases: SecondsCase[] = [
  { name: 'whole second', ms: 1_700_000_000_000, want: 1_700_000_000 },
  { name: 'fraction is dropped', ms: 1_700_000_000_999.5, want: 1_700_000_000 },
  { name: 'just before 1970 floors to -1', ms: -0.5, want: -1 },
  { name: 'minus one and a half seconds', ms: -1500, want: -2 },
  { name: 'Go zero time', ms: GO_ZERO_TIME_MS, want: -62135596800 },
];
for (const c of secondsCases) {
  t.test(`unixSeconds: ${c.name}`, async (t) => { t.equal(unixSeconds(c.ms), c.want); });
}

t.test('unixMs never rounds into the next second', async (t) => {
  const ms = unixMs(1_700_000_000, 999_999_999);
  t.ok(ms < 1_700_000_001_000, `${ms} below the next second`);
  t.equal(unixSeconds(ms), 1_700_000_000);
  t.equal(unixMs(-1, 500_000_000), -500);
  t.equal(unixMs(0, 1_000_000), 1);
});

t.test('timestamp(): register, unset, or Go zero time', async (t) => {
  const now = utc(2026, 11, 22, 10, 0, 0, 750);
  t.equal(mtailTimestamp(utc(2024, 1, 1, 0, 0, 1, 999), now), utc(2024, 1, 1, 0, 0, 1) / 1000, 'register in seconds');
  t.equal(mtailTimestamp(undefined, now), utc(2026, 11, 22, 10) / 1000, 'unset: now');
  t.equal(mtailTimestamp(GO_ZERO_TIME_MS, now), utc(2026, 11, 22, 10) / 1000, 'zero time: now');
  t.equal(mtailTimestamp(settimeMs(0), now), 0, 'settime(0) is 1970, not unset');
  t.equal(settimeMs(1_700_000_000), 1_700_000_000_000);
});
