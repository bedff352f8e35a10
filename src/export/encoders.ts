// The encoders that turn the metric store into exposition text (the HTTP server imports from here).
export type { ExpositionOptions, Family, TextDialect } from './exposition.js';
export { groupFamilies, exposedType } from './exposition.js';
export { renderPrometheus, prometheusText, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
export { renderOpenMetrics, openMetricsText, OPENMETRICS_CONTENT_TYPE } from './openmetrics.js';
export { renderJson, jsonText, JSON_CONTENT_TYPE, type JsonOptions } from './json.js';
