// Graphite's plaintext protocol, as mtail's internal/exporter/graphite.go writes
// it: `PREFIXprog.name.key.value VALUE SECONDS`, one line per label set; a
// histogram adds `.bin_UPPER` (per-bucket, not cumulative; `bin_inf` last) and
// `.count` lines before its sum. Deviations: bins come in ascending order
// (mtail walks a Go map, so its order changes from push to push), and each
// label set's own buckets are written (rc50 writes the first label set's
// buckets under every label set of a histogram).

import { formatGoFloat } from '../../go/strconv.js';
import type { Datum, Metric } from '../../metrics/index.js';
import { formatLabels, type PushFormatter, timeString, valueString } from './lines.js';

/** The graphite formatter for `-graphite_prefix` (prepended as is; mtail adds no dot). */
export function graphiteFormatter(prefix: string): PushFormatter {
  return (m: Metric, d: Datum): string => {
    const path = prefix + m.spec.program + '.' + formatLabels(m.spec.exportedName, m, d, '.', '.', '_');
    const time = timeString(d);
    let out = '';
    if (m.spec.kind === 'histogram') {
      const bounds = m.upperBounds;
      for (let i = 0; i <= bounds.length; i++) {
        const bin = i < bounds.length ? formatGoFloat(bounds[i]!) : 'inf';
        out += `${path}.bin_${bin} ${d.buckets === undefined ? 0 : d.buckets[i]!} ${time}\n`;
      }
      out += `${path}.count ${d.count} ${time}\n`;
    }
    return out + `${path} ${valueString(m, d)} ${time}\n`;
  };
}
