// Histogram bucket layout and observation, following mtail's current source
// (internal/metrics/datum/buckets.go, internal/runtime/compiler/codegen):
// an observation goes to the first bucket whose upper bound is >= the value,
// so a value at or below the lowest bound counts in the first bucket and the
// +Inf bucket always equals the count. (Debian's mtail 3.0.0~rc50 still
// drops values at or below the lowest lower bound from every bucket.)

/**
 * Upper bounds for `histogram h buckets b0, b1, ...`, as mtail's code generator
 * builds them: b0 > 0 opens a bucket (0, b0]; b0 <= 0 is only the lower edge of
 * the first bucket (b0, b1], so it is not an upper bound itself.
 */
export function histogramUpperBounds(declared: readonly number[]): number[] {
  if (declared.length === 0) return [];
  return declared[0]! > 0 ? declared.slice() : declared.slice(1);
}

/** Describes why `bounds` cannot be histogram upper bounds, or returns undefined when they can. */
export function checkUpperBounds(bounds: readonly number[]): string | undefined {
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i]!;
    if (Number.isNaN(b) || b === Infinity || b === -Infinity) {
      return `bucket bound ${b} must be finite (+Inf is implicit)`;
    }
    if (i > 0 && !(b > bounds[i - 1]!)) {
      return `bucket bounds must be strictly ascending: ${bounds[i - 1]} then ${b}`;
    }
  }
  return undefined;
}

/** Index of the bucket an observation falls in: the first bound >= v, else the +Inf slot. */
export function bucketIndex(bounds: Float64Array, v: number): number {
  const n = bounds.length;
  let i = 0;
  // NaN compares false with everything and lands in +Inf, as in Prometheus clients.
  while (i < n && !(v <= bounds[i]!)) i++;
  return i;
}
