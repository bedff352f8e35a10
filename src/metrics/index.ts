// The metric store: what programs write and exporters read.
export type { MetricKind, MetricSpec, ValueType } from './types.js';
export { Datum } from './datum.js';
export { Metric } from './metric.js';
export { Store, StoreConflictError } from './store.js';
export { histogramUpperBounds, checkUpperBounds, bucketIndex } from './histogram.js';
export { labelKey } from './labelkey.js';
export { isValidMetricName, isValidLabelName, sanitizeMetricName, sanitizeLabelName } from './names.js';
