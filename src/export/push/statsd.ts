// StatsD's line protocol, as mtail's internal/exporter/statsd.go writes it:
// `PREFIXprog.name.key.value:VALUE|TYPE`, one UDP datagram per label set, with
// TYPE `c` for counters, `g` for gauges, `ms` for timers. mtail gives
// histograms no type (`...:SUM|`), and so do we: a receiver that wants
// histograms should use /metrics.

import type { Datum, Metric } from '../../metrics/index.js';
import { formatLabels, type PushFormatter, valueString } from './lines.js';

const TYPE: Record<string, string> = { counter: 'c', gauge: 'g', timer: 'ms' };

/** The statsd formatter for `-statsd_prefix`; each result is one datagram, without a newline. */
export function statsdFormatter(prefix: string): PushFormatter {
  return (m: Metric, d: Datum): string =>
    `${prefix}${m.spec.program}.${formatLabels(m.spec.exportedName, m, d, '.', '.', '_')}:${valueString(m, d)}|${TYPE[m.spec.kind] ?? ''}`;
}
