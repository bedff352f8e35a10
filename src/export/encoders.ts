// The encoders that turn the metric store into exposition text (the HTTP server imports from here).
export type { ExpositionOptions, Family, TextDialect } from './exposition.js';
export { groupFamilies, exposedType } from './exposition.js';
export { renderPrometheus, prometheusChunks, prometheusText, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
export {
  renderOpenMetrics,
  openMetricsChunks,
  openMetricsText,
  OPENMETRICS_CONTENT_TYPE,
  OPENMETRICS_EOF,
} from './openmetrics.js';
export { renderJson, renderMtailOneShotJson, jsonText, JSON_CONTENT_TYPE, type JsonOptions } from './json.js';
