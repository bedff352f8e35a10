// Prometheus text exposition format 0.0.4, as mtail serves on /metrics.

import type { Store } from '../metrics/index.js';
import { sanitizeMetricName } from '../metrics/index.js';
import { renderText, textChunks, type ExpositionOptions, type TextDialect } from './exposition.js';
import { escapeHelpPrometheus, formatTimestampMs } from './textformat.js';

export type { ExpositionOptions } from './exposition.js';

/** Content-Type of the Prometheus text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const prometheusDialect: TextDialect = {
  familyName: (m) => sanitizeMetricName(m.spec.exportedName),
  counterSuffix: '',
  escapeHelp: escapeHelpPrometheus,
  formatTimestamp: formatTimestampMs,
  countBeforeSum: false,
  sumWithNegativeBounds: true,
  trailer: '',
};

/** Writes every exported metric of `store` in the Prometheus text format, in chunks, through `write`. */
export function renderPrometheus(store: Store, opts: ExpositionOptions, write: (chunk: string) => void): void {
  renderText(store, opts, write, prometheusDialect);
}

/** The Prometheus text exposition of `store` as lazy chunks (see textChunks). */
export function prometheusChunks(store: Store, opts: ExpositionOptions): Generator<string, void, undefined> {
  return textChunks(store, opts, prometheusDialect);
}

/** The Prometheus text exposition of `store` as one string (tests, one-shot runs). */
export function prometheusText(store: Store, opts: ExpositionOptions = {}): string {
  const chunks: string[] = [];
  renderPrometheus(store, opts, (c) => chunks.push(c));
  return chunks.join('');
}
