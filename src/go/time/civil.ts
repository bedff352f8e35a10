// Proleptic Gregorian calendar arithmetic on plain integers, as Go's time
// package does it. Date.UTC is not usable here: it maps years 0..99 to
// 1900..1999, and Go layouts without a year produce year 0.

export const SECONDS_PER_DAY = 86400;

// Days before each month (index 1..12) in a non-leap year; index 13 = 365.
const DAYS_BEFORE = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Whether year (which may be 0 or negative) is a Gregorian leap year. */
export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in month (1..12) of year. */
export function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return DAYS_BEFORE[month + 1] - DAYS_BEFORE[month];
}

/** Days before the first of month (1..13) in a non-leap year. */
export function daysBefore(month: number): number {
  return DAYS_BEFORE[month];
}

/** Days from 1970-01-01 to year-month-day; month and day must be in range. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Calendar fields of a day count, written into a caller-owned record (no allocation). */
export interface CivilDate { year: number; month: number; day: number }

/** Inverse of daysFromCivil. */
export function civilFromDays(days: number, out: CivilDate): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out.month = month;
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  return out;
}

/** Year of a day count. */
export function yearOfDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  // Days from March 1: January and February (doy >= 306) belong to the next year.
  return yoe + era * 400 + (doy >= 306 ? 1 : 0);
}

/** Day of the week of a day count: 0 = Sunday. */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}
