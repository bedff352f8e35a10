// OpenMetrics 1.0 text exposition: counters sample as `<family>_total`,
// timestamps are in seconds, the output ends with `# EOF`, and no UNIT lines.

import type { Metric, Store } from '../metrics/index.js';
import { sanitizeMetricName } from '../metrics/index.js';
import { renderText, textChunks, type ExpositionOptions, type TextDialect } from './exposition.js';
import { escapeHelpOpenMetrics, formatTimestampSeconds } from './textformat.js';

export type { ExpositionOptions } from './exposition.js';

/** Content-Type of OpenMetrics text. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The line that ends an OpenMetrics exposition. */
export const OPENMETRICS_EOF = '# EOF\n';

/** A counter's family name leaves out `_total`, which its sample name then adds back. */
function familyName(m: Metric): string {
  const name = sanitizeMetricName(m.spec.exportedName);
  return m.spec.kind === 'counter' && name.endsWith('_total') && name.length > 6 ? name.slice(0, -6) : name;
}

const openMetricsDialect: TextDialect = {
  familyName,
  counterSuffix: '_total',
  escapeHelp: escapeHelpOpenMetrics,
  formatTimestamp: formatTimestampSeconds,
  countBeforeSum: true,
  // The spec: with negative bucket thresholds the sum is no longer a counter, so it MUST NOT be exposed.
  sumWithNegativeBounds: false,
  trailer: OPENMETRICS_EOF,
};

/** Writes every exported metric of `store` as OpenMetrics text, in chunks, through `write`. */
export function renderOpenMetrics(store: Store, opts: ExpositionOptions, write: (chunk: string) => void): void {
  renderText(store, opts, write, openMetricsDialect);
}

/**
 * The OpenMetrics exposition of `store` as lazy chunks (see textChunks); with
 * `eof: false` the caller appends more families and then OPENMETRICS_EOF itself.
 */
export function openMetricsChunks(store: Store, opts: ExpositionOptions, eof = true): Generator<string, void, undefined> {
  return textChunks(store, opts, openMetricsDialect, eof);
}

/** The OpenMetrics exposition of `store` as one string (tests, one-shot runs). */
export function openMetricsText(store: Store, opts: ExpositionOptions = {}): string {
  const chunks: string[] = [];
  renderOpenMetrics(store, opts, (c) => chunks.push(c));
  return chunks.join('');
}
