// The Prometheus protobuf exposition (io.prometheus.client.MetricFamily,
// length-delimited), which a Prometheus with native histograms enabled asks
// for: it is the only exposition that carries them. Histograms carry their
// classic buckets and, when the store keeps them, the native buckets too.
// Messages are written field by field with @bufbuild/protobuf's BinaryWriter
// (no generated code); field numbers are those of client_model's metrics.proto.

import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { Datum, Metric, NativeHistogram, Store } from '../metrics/index.js';
import { spansAndDeltas } from '../metrics/index.js';
import { alreadyExported, duplicateTracker, exportedLabelNames, groupFamilies, numeric, type ExpositionOptions, type Family } from './exposition.js';
import type { SampleFamily } from './families.js';
import { prometheusDialect } from './prometheus.js';
import { writeDeltas, writeSpans } from './protowire.js';

/** Content-Type of the delimited protobuf exposition. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

// io.prometheus.client.MetricType
const COUNTER = 0;
const GAUGE = 1;
const HISTOGRAM = 4;

/** Bytes gathered before a chunk is handed on. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The store (and then `extra`, the daemon's own families) as delimited
 * MetricFamily messages, in chunks of about 64 KiB: one message per family,
 * families in the order of the text exposition.
 */
export function* protobufChunks(store: Store, opts: ExpositionOptions, extra: readonly SampleFamily[] = []): Generator<Uint8Array, void, undefined> {
  let w = new BinaryWriter();
  let pending = 0;
  const flush = function* (force: boolean): Generator<Uint8Array, void, undefined> {
    if (pending === 0 || (!force && pending < CHUNK_BYTES)) return;
    yield w.finish();
    w = new BinaryWriter();
    pending = 0;
  };
  for (const family of groupFamilies(store, (m) => prometheusDialect.familyName(m))) {
    const bytes = encodeFamily(family, opts);
    w.raw(delimit(bytes));
    pending += bytes.length;
    yield* flush(false);
  }
  for (const f of extra) {
    if (f.samples.length === 0) continue;
    const bytes = encodeSampleFamily(f);
    w.raw(delimit(bytes));
    pending += bytes.length;
    yield* flush(false);
  }
  yield* flush(true);
}

/** The whole exposition as one buffer (tests, small stores). */
export function protobufBytes(store: Store, opts: ExpositionOptions = {}, extra: readonly SampleFamily[] = []): Uint8Array {
  return Buffer.concat([...protobufChunks(store, opts, extra)]);
}

function delimit(bytes: Uint8Array): Uint8Array {
  return new BinaryWriter().uint32(bytes.length).raw(bytes).finish();
}

function encodeFamily(family: Family, opts: ExpositionOptions): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).string(family.name);
  const { source, help } = family.metrics[0]!.spec;
  const text = help ?? (source !== '' ? `defined at ${source}` : '');
  if (text !== '') w.tag(2, WireType.LengthDelimited).string(text);
  w.tag(3, WireType.Varint).int32(family.type === 'counter' ? COUNTER : family.type === 'gauge' ? GAUGE : HISTOGRAM);
  const progLabel = opts.progLabel ?? true;
  const seen = duplicateTracker(family, progLabel);
  for (const m of family.metrics) {
    const names = exportedLabelNames(m.spec.keys, progLabel, family.type === 'histogram');
    for (const d of m.datums()) {
      if (seen !== undefined && alreadyExported(seen, names, d)) continue;
      w.tag(4, WireType.LengthDelimited).fork();
      if (progLabel) writeLabel(w, 'prog', m.spec.program);
      for (let i = 0; i < names.length; i++) writeLabel(w, names[i]!, d.labels[i]!);
      if (family.type === 'histogram') writeHistogram(w, m, d);
      else w.tag(family.type === 'counter' ? 3 : 2, WireType.LengthDelimited).fork().tag(1, WireType.Bit64).double(numeric(d.value)).join();
      if (opts.timestamps) w.tag(6, WireType.Varint).int64(Math.floor(d.time));
      w.join();
    }
  }
  return w.finish();
}

function writeLabel(w: BinaryWriter, name: string, value: string): void {
  w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name).tag(2, WireType.LengthDelimited).string(value).join();
}

function writeHistogram(w: BinaryWriter, m: Metric, d: Datum): void {
  w.tag(7, WireType.LengthDelimited).fork();
  w.tag(1, WireType.Varint).uint64(d.count);
  w.tag(2, WireType.Bit64).double(numeric(d.value));
  // Classic buckets, cumulative; the +Inf bucket is implicit (the sample count).
  let cumulative = 0;
  for (let i = 0; i < m.upperBounds.length; i++) {
    cumulative += d.buckets?.[i] ?? 0;
    w.tag(3, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint64(cumulative).tag(2, WireType.Bit64).double(m.upperBounds[i]!).join();
  }
  if (d.native !== undefined) writeNative(w, d.native);
  w.join();
}

function writeNative(w: BinaryWriter, h: NativeHistogram): void {
  w.tag(5, WireType.Varint).sint32(h.schema);
  w.tag(6, WireType.Bit64).double(h.zeroThreshold);
  w.tag(7, WireType.Varint).uint64(h.zeroCount);
  const neg = spansAndDeltas(h.negative);
  const pos = spansAndDeltas(h.positive);
  // A histogram with no bucket at all still gets a span, so a scraper knows it is native.
  if (pos.spans.length === 0 && neg.spans.length === 0 && h.zeroCount === 0) pos.spans.push({ offset: 0, length: 0 });
  writeSpans(w, 9, neg.spans);
  writeDeltas(w, 10, neg.deltas);
  writeSpans(w, 12, pos.spans);
  writeDeltas(w, 13, pos.deltas);
}

function encodeSampleFamily(f: SampleFamily): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).string(f.name);
  if (f.help !== '') w.tag(2, WireType.LengthDelimited).string(f.help);
  w.tag(3, WireType.Varint).int32(f.type === 'counter' ? COUNTER : GAUGE);
  for (const [labels, value] of f.samples) {
    w.tag(4, WireType.LengthDelimited).fork();
    for (const [k, v] of Object.entries(labels)) writeLabel(w, k, v);
    w.tag(f.type === 'counter' ? 3 : 2, WireType.LengthDelimited).fork().tag(1, WireType.Bit64).double(value).join();
    w.join();
  }
  return w.finish();
}
