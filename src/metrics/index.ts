// The metric store: what programs write and exporters read.
export type { MetricKind, MetricSpec, ValueType } from './types.js';
export { Datum } from './datum.js';
export { Metric } from './metric.js';
export { Store, StoreConflictError, type StoreOptions } from './store.js';
export {
  NativeHistogram,
  DEFAULT_NATIVE_HISTOGRAMS,
  checkNativeOptions,
  schemaRelativeError,
  bucketKey,
  bucketUpperBound,
  spansAndDeltas,
  type NativeHistogramOptions,
  type NativeHistogramData,
  type BucketSpan,
} from './native.js';
export { SeriesBudget, type SeriesCaps } from './budget.js';
export { histogramUpperBounds, checkUpperBounds, bucketIndex } from './histogram.js';
export { listKey, metricId } from './keys.js';
export { isValidMetricName, isValidLabelName, sanitizeMetricName, sanitizeLabelName } from './names.js';
