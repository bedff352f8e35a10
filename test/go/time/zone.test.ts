// Zones: loading as Go's LoadLocation does, and offsets from the zoneinfo
// files checked against ICU (Intl), an independent copy of the tz database.
import t from 'tap';
import { loadZone, UTC_ZONE } from '../../../src/go/time/index.js';
import { IntlZone } from '../../../src/go/time/intl-zone.js';
import { parsePosixTz, posixTzPeriod } from '../../../src/go/time/posix-tz.js';
import { parseTzif, TzifZone } from '../../../src/go/time/tzif.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);

t.test('UTC names', async (t) => {
  t.equal(loadZone(''), UTC_ZONE, 'empty is UTC, as mtail\'s default --override_timezone');
  t.equal(loadZone('UTC'), UTC_ZONE);
  t.equal(UTC_ZONE.offsetAt(utc(2024, 7, 1)), 0);
});

interface BadName { name: string; zone: string; message: RegExp }
const badNames: BadName[] = [
  { name: 'unknown zone', zone: 'Nowhere/Atlantis', message: /unknown time zone "Nowhere\/Atlantis"/ },
  { name: 'path escape', zone: '../etc/passwd', message: /invalid time zone name/ },
  { name: 'absolute path', zone: '/etc/localtime', message: /invalid time zone name/ },
  { name: 'not a TZif file', zone: 'zone.tab', message: /is not a TZif file/ },
];
for (const c of badNames) {
  t.test(`loadZone rejects: ${c.name}`, async (t) => { t.throws(() => loadZone(c.zone), c.message); });
}

interface OffsetCase { name: string; zone: string; at: number; offset: number; abbreviation: string }
const offsetCases: OffsetCase[] = [
  { name: 'Berlin winter', zone: 'Europe/Berlin', at: utc(2024, 1, 15), offset: 3600, abbreviation: 'CET' },
  { name: 'Berlin summer', zone: 'Europe/Berlin', at: utc(2024, 7, 15), offset: 7200, abbreviation: 'CEST' },
  { name: 'Berlin at the spring transition', zone: 'Europe/Berlin', at: utc(2024, 3, 31, 1), offset: 7200, abbreviation: 'CEST' },
  { name: 'Berlin a second before it', zone: 'Europe/Berlin', at: utc(2024, 3, 31, 1) - 1000, offset: 3600, abbreviation: 'CET' },
  { name: 'Berlin local mean time', zone: 'Europe/Berlin', at: utc(1850, 1, 1), offset: 3208, abbreviation: 'LMT' },
  { name: 'Berlin in 2100 (TZ rule footer)', zone: 'Europe/Berlin', at: utc(2100, 7, 1), offset: 7200, abbreviation: 'CEST' },
  { name: 'New York summer', zone: 'America/New_York', at: utc(2024, 7, 1), offset: -4 * 3600, abbreviation: 'EDT' },
  { name: 'Sydney January (southern summer)', zone: 'Australia/Sydney', at: utc(2024, 1, 15), offset: 11 * 3600, abbreviation: 'AEDT' },
  { name: 'Sydney January 2090 (footer, southern)', zone: 'Australia/Sydney', at: utc(2090, 1, 15), offset: 11 * 3600, abbreviation: 'AEDT' },
  { name: 'Kathmandu', zone: 'Asia/Kathmandu', at: utc(2024, 1, 15), offset: 5 * 3600 + 45 * 60, abbreviation: '+0545' },
  { name: 'Etc/GMT+5 (no transitions)', zone: 'Etc/GMT+5', at: utc(2024, 1, 15), offset: -5 * 3600, abbreviation: '-05' },
];
for (const c of offsetCases) {
  t.test(`offset: ${c.name}`, async (t) => {
    const zone = loadZone(c.zone);
    t.equal(zone.offsetAt(c.at), c.offset, 'offset');
    t.equal(zone.abbreviationAt?.(c.at), c.abbreviation, 'abbreviation');
  });
}

t.test('abbreviation lookup as Go\'s Location.lookupName', async (t) => {
  const berlin = loadZone('Europe/Berlin');
  t.equal(berlin.offsetOfAbbreviation?.('CEST', utc(2024, 7, 10)), 7200, 'in effect');
  t.equal(berlin.offsetOfAbbreviation?.('CEST', utc(2024, 1, 10)), 7200, 'not in effect: any period using it');
  t.equal(berlin.offsetOfAbbreviation?.('CET', utc(2024, 7, 10)), 3600);
  t.equal(berlin.offsetOfAbbreviation?.('LMT', utc(2024, 7, 10)), 3208);
  t.equal(berlin.offsetOfAbbreviation?.('EST', utc(2024, 7, 10)), undefined, 'never used in Berlin');
});

t.test('Local follows TZ as Go does', async (t) => {
  const summer = utc(2024, 7, 1);
  t.equal(loadZone('Local', { TZ: 'Europe/Berlin' }).offsetAt(summer), 7200, 'TZ=Europe/Berlin');
  t.equal(loadZone('Local', { TZ: ':America/New_York' }).offsetAt(summer), -4 * 3600, 'leading colon');
  t.equal(loadZone('Local', { TZ: '/usr/share/zoneinfo/Asia/Tokyo' }).offsetAt(summer), 9 * 3600, 'a file path');
  t.equal(loadZone('Local', { TZ: '' }), UTC_ZONE, 'empty TZ is UTC');
  t.equal(loadZone('Local', { TZ: 'Nowhere/Atlantis' }), UTC_ZONE, 'unknown TZ falls back to UTC');
});

// Every transition from 1970 to 2100 (table, then TZ rule footer), one second either side, against ICU.
const differentialZones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata', 'Europe/London'];
for (const name of differentialZones) {
  t.test(`transitions agree with Intl: ${name}`, async (t) => {
    const tzif = loadZone(name) as TzifZone;
    t.ok(tzif instanceof TzifZone, 'loaded from zoneinfo');
    const intl = new IntlZone(name);
    let sec = utc(1970, 1, 1) / 1000, checked = 0, mismatches = 0;
    const end = utc(2100, 1, 1) / 1000;
    for (let guard = 0; sec < end && guard < 2000; guard++) {
      for (const probe of [sec - 1, sec]) {
        checked++;
        if (tzif.offsetAt(probe * 1000) !== intl.offsetAt(probe * 1000)) {
          mismatches++;
          if (mismatches <= 3) t.fail(`${name} at ${new Date(probe * 1000).toISOString()}: ${tzif.offsetAt(probe * 1000)} vs ${intl.offsetAt(probe * 1000)}`);
        }
      }
      const p = tzif.period(sec);
      // Footer periods end at the year's end even without a transition; step past either way.
      sec = Number.isFinite(p.end) ? Math.max(p.end, sec + 1) : end;
    }
    t.equal(mismatches, 0, `${checked} instants agree`);
  });
}

interface PosixCase { name: string; rule: string; at: number; offset: number; abbreviation: string }
const posixCases: PosixCase[] = [
  { name: 'EU rule, summer', rule: 'CET-1CEST,M3.5.0,M10.5.0/3', at: utc(2050, 7, 1), offset: 7200, abbreviation: 'CEST' },
  { name: 'EU rule, last Sunday of March 2050 (27th) at 01:00Z', rule: 'CET-1CEST,M3.5.0,M10.5.0/3', at: utc(2050, 3, 27, 1), offset: 7200, abbreviation: 'CEST' },
  { name: 'EU rule, a second earlier', rule: 'CET-1CEST,M3.5.0,M10.5.0/3', at: utc(2050, 3, 27, 1) - 1000, offset: 3600, abbreviation: 'CET' },
  { name: 'southern rule in January', rule: 'AEST-10AEDT,M10.1.0,M4.1.0/3', at: utc(2050, 1, 10), offset: 11 * 3600, abbreviation: 'AEDT' },
  { name: 'southern rule in July', rule: 'AEST-10AEDT,M10.1.0,M4.1.0/3', at: utc(2050, 7, 10), offset: 10 * 3600, abbreviation: 'AEST' },
  { name: 'quoted numeric names, no DST', rule: '<+0545>-5:45', at: utc(2050, 7, 10), offset: 5 * 3600 + 45 * 60, abbreviation: '+0545' },
  { name: 'default US rules (second Sunday of March 2050 is the 13th)', rule: 'EST5EDT', at: utc(2050, 3, 13, 7), offset: -4 * 3600, abbreviation: 'EDT' },
  { name: 'Julian day J60 is March 1st', rule: 'XST3XDT,J60/0,J300/0', at: utc(2048, 3, 1, 3), offset: -2 * 3600, abbreviation: 'XDT' },
  { name: 'Julian day J60, a second earlier', rule: 'XST3XDT,J60/0,J300/0', at: utc(2048, 3, 1, 3) - 1000, offset: -3 * 3600, abbreviation: 'XST' },
];
for (const c of posixCases) {
  t.test(`TZ rule: ${c.name}`, async (t) => {
    const tz = parsePosixTz(c.rule);
    t.ok(tz, 'parses');
    const p = posixTzPeriod(tz!, 0, c.at / 1000);
    t.equal(p.offset, c.offset, 'offset');
    t.equal(p.name, c.abbreviation, 'abbreviation');
  });
}

t.test('TZ rules Go rejects', async (t) => {
  for (const rule of ['', 'AB1', 'CET-1CEST,M3.5.0', 'CET-1CEST,M13.5.0,M10.5.0', 'CET-1CEST,M3.5.0,M10.5.0x']) {
    t.equal(parsePosixTz(rule), undefined, JSON.stringify(rule));
  }
});

t.test('malformed TZif data', async (t) => {
  t.throws(() => parseTzif(new Uint8Array(10)), /malformed/);
  t.throws(() => parseTzif(Buffer.from('TZif2' + '\0'.repeat(60))), /malformed/);
});
