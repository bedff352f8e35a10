// Families of plain samples that live outside the store (the daemon's own
// logmetrics_* and process_* metrics): the encoders that do not write text
// (protobuf, remote write) take them in this shape.

/** One family of counter or gauge samples. */
export interface SampleFamily {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: Array<[labels: Record<string, string>, value: number]>;
}
