/** The kinds of metric an mtail program can declare. */
export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'timer' | 'text';

/** How a datum's value is stored and printed: ints print as integers, text metrics are strings. */
export type ValueType = 'int' | 'float' | 'string';

/** Everything the store and the exporters need to know about one declared metric. */
export interface MetricSpec {
  /** Program name, exported as the `prog` label, e.g. "apache.mtail". */
  program: string;
  /** Name in the program. */
  name: string;
  /** Name from `as "..."`, else `name`; exporters sanitise it. */
  exportedName: string;
  kind: MetricKind;
  valueType: ValueType;
  /** Label names from `by`, in declaration order. */
  keys: string[];
  /** Histogram upper bounds, strictly ascending, without +Inf (see histogramUpperBounds). */
  buckets?: number[];
  /** `limit N`: the most datums the metric keeps; 0 or absent means no limit. */
  limit?: number;
  /** Hidden metrics hold program state and are never exported. */
  hidden: boolean;
  /** Where it was declared, "file.mtail:3:1"; exporters print it in HELP. */
  source: string;
  /** HELP text: the daemon's own, or the comment above a program's declaration; default "defined at <source>". */
  help?: string;
}
