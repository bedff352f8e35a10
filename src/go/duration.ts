// Go's time.ParseDuration, which mtail uses for `del ... after`, and our CLI for its duration flags.

/** Go's time.ParseDuration plus mtail's `d` for days, in milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-')) { sign = -1; rest = rest.slice(1); }
  let total = 0;
  const re = /^(\d*\.?\d+)(ns|us|µs|ms|s|m|h|d)/;
  if (rest === '') return undefined;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m) return undefined;
    total += parseFloat(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}
