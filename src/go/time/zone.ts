/** A time zone: 'UTC', a fixed offset, or an IANA name (e.g. 'Europe/Berlin'). */
export interface Zone {
  readonly name: string;
  /** Seconds east of UTC in effect at the instant utcMs. */
  offsetAt(utcMs: number): number;
  /** The zone's abbreviation at utcMs ("CET", "CEST"), as Go's Location.lookup names it. */
  abbreviationAt?(utcMs: number): string;
  /**
   * Go's Location.lookupName: the offset this zone gives the abbreviation
   * (preferring the period in effect around utcMs, else any period of the
   * zone's history that used it), or undefined when the zone never used it.
   */
  offsetOfAbbreviation?(abbreviation: string, utcMs: number): number | undefined;
}

/** Go's time.UTC: offset 0, named "UTC", and no abbreviations to look up. */
export const UTC_ZONE: Zone = {
  name: 'UTC',
  offsetAt: () => 0,
  abbreviationAt: () => 'UTC',
  offsetOfAbbreviation: () => undefined,
};

/** Go's time.FixedZone(name, offsetSeconds). */
export function fixedZone(name: string, offsetSeconds: number): Zone {
  return {
    name,
    offsetAt: () => offsetSeconds,
    abbreviationAt: () => name,
    offsetOfAbbreviation: (abbreviation) => (abbreviation === name ? offsetSeconds : undefined),
  };
}
