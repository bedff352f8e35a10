import fs from 'node:fs';
import path from 'node:path';
import { IntlZone, intlKnowsZone } from './intl-zone.js';
import { parseTzif, TzifZone } from './tzif.js';
import { UTC_ZONE, type Zone } from './zone.js';

// Where Go's LoadLocation looks on Unix, in its order.
const ZONEINFO_DIRS = ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo/'];

function readTzifZone(name: string, file: string): Zone | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    return new TzifZone(name, parseTzif(bytes));
  } catch (err) {
    throw new Error(`time zone ${JSON.stringify(name)}: ${file} is not a TZif file (${(err as Error).message})`);
  }
}

function fromZoneinfo(name: string, env: NodeJS.ProcessEnv): Zone | undefined {
  const dirs = env.ZONEINFO ? [env.ZONEINFO, ...ZONEINFO_DIRS] : ZONEINFO_DIRS;
  for (const dir of dirs) {
    const zone = readTzifZone(name, path.join(dir, name));
    if (zone !== undefined) return zone;
  }
  return undefined;
}

/**
 * Go's time.LoadLocation: '' and 'UTC' are UTC, 'Local' is the process's
 * zone (TZ, else /etc/localtime), anything else an IANA name read from the
 * zoneinfo files (Intl when there are none). Throws for an unknown zone.
 */
export function loadZone(name: string, env: NodeJS.ProcessEnv = process.env): Zone {
  if (name === '' || name === 'UTC') return UTC_ZONE;
  if (name === 'Local') return localZone(env);
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) {
    throw new Error(`invalid time zone name ${JSON.stringify(name)}: IANA names have no "..", and no leading slash`);
  }
  const zone = fromZoneinfo(name, env) ?? (intlKnowsZone(name) ? new IntlZone(name) : undefined);
  if (zone === undefined) {
    throw new Error(`unknown time zone ${JSON.stringify(name)}: not in ${ZONEINFO_DIRS[0]} and not known to Intl (IANA names look like "Europe/Berlin")`);
  }
  return zone;
}

/** Go's time.Local, decided the way Go decides it from TZ. */
function localZone(env: NodeJS.ProcessEnv): Zone {
  let tz = env.TZ;
  if (tz === undefined) {
    const zone = readTzifZone('Local', '/etc/localtime');
    if (zone !== undefined) return zone;
    const intlName = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    return intlName && intlName !== 'UTC' && intlKnowsZone(intlName) ? new IntlZone(intlName) : UTC_ZONE;
  }
  if (tz.startsWith(':')) tz = tz.slice(1);
  if (tz.startsWith('/')) return readTzifZone(tz === '/etc/localtime' ? 'Local' : tz, tz) ?? UTC_ZONE;
  if (tz !== '' && tz !== 'UTC') {
    return fromZoneinfo(tz, env) ?? (intlKnowsZone(tz) ? new IntlZone(tz) : UTC_ZONE);
  }
  return UTC_ZONE;
}
