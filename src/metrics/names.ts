// Exposition names. mtail only turns '-' into '_' and silently drops any other
// invalid name; we sanitise every invalid character instead (DESIGN.md,
// compatibility exception 3), so the compiler can warn and still export.

const VALID_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const VALID_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True when `name` is a valid Prometheus/OpenMetrics metric name. */
export function isValidMetricName(name: string): boolean {
  return VALID_METRIC_NAME.test(name);
}

/** True when `name` is a valid Prometheus/OpenMetrics label name. */
export function isValidLabelName(name: string): boolean {
  return VALID_LABEL_NAME.test(name);
}

/** The metric name exporters use for `exportedName`: each invalid character (e.g. '-', '.') becomes '_'. */
export function sanitizeMetricName(name: string): string {
  if (VALID_METRIC_NAME.test(name)) return name;
  return sanitize(name, /[^a-zA-Z0-9_:]/u);
}

/** The label name exporters use for a key: each invalid character becomes '_'. */
export function sanitizeLabelName(name: string): string {
  if (VALID_LABEL_NAME.test(name)) return name;
  return sanitize(name, /[^a-zA-Z0-9_]/u);
}

function sanitize(name: string, invalid: RegExp): string {
  let out = '';
  // Iterate by code point so a character outside the BMP becomes one '_'.
  for (const ch of name) out += invalid.test(ch) ? '_' : ch;
  if (out === '' || (out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57)) out = '_' + out;
  return out;
}
