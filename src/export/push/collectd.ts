// collectd's unixsock plain-text protocol, as mtail's internal/exporter/collectd.go
// writes it: `PUTVAL "HOST/PREFIXmtail-PROG/TYPE-NAME-key-value" interval=SECONDS
// TIME:VALUE`, TYPE being the metric kind (counter, gauge, histogram; timers are
// gauges). collectd answers each command with a status line ("0 Success: ...",
// or a negative number and the reason), which the pusher reads.

import type { Datum, Metric } from '../../metrics/index.js';
import { formatLabels, type PushFormatter, timeString, valueString } from './lines.js';

/** The collectd formatter for `-collectd_prefix`, this host's name and the push interval. */
export function collectdFormatter(prefix: string, hostname: string, intervalMs: number): PushFormatter {
  const interval = Math.trunc(intervalMs / 1000);
  return (m: Metric, d: Datum): string => {
    const type = m.spec.kind === 'timer' ? 'gauge' : m.spec.kind;
    const id = `${hostname}/${prefix}mtail-${m.spec.program}/${type}-${formatLabels(m.spec.exportedName, m, d, '-', '-', '_')}`;
    return `PUTVAL "${id}" interval=${interval} ${timeString(d)}:${valueString(m, d)}\n`;
  };
}
