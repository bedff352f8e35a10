// Time handling for mtail programs: Go layouts (strptime), zones, and the
// seconds conversions of timestamp() and settime().
export { type Zone, UTC_ZONE, fixedZone } from './zone.js';
export { loadZone } from './load-zone.js';
export { TimeParseError } from './errors.js';
export { compileLayout } from './compile.js';
export { sameTimestamp, Strptime, type StrptimeOptions } from './strptime.js';
export { GO_ZERO_TIME_MS, mtailTimestamp, settimeMs, unixMs, unixSeconds } from './unix.js';
export { checkStrptimeLayout } from './check-layout.js';
