// Pieces of the protobuf wire format that the exposition (io.prometheus.client) and remote
// write (prometheus.Histogram) encode alike: a native histogram's spans and bucket deltas.

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { BucketSpan } from '../metrics/index.js';

/** Repeated BucketSpan {sint32 offset = 1; uint32 length = 2} as field `field`. */
export function writeSpans(w: BinaryWriter, field: number, spans: BucketSpan[]): void {
  for (const s of spans) w.tag(field, WireType.LengthDelimited).fork().tag(1, WireType.Varint).sint32(s.offset).tag(2, WireType.Varint).uint32(s.length).join();
}

/** Packed repeated sint64 deltas as field `field`; nothing when there are none. */
export function writeDeltas(w: BinaryWriter, field: number, deltas: number[]): void {
  if (deltas.length === 0) return;
  w.tag(field, WireType.LengthDelimited).fork();
  for (const d of deltas) w.sint64(d);
  w.join();
}
