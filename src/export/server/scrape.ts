// The /metrics and /json bodies, and how they reach the client: the encoders
// produce chunks lazily, and the response pulls the next one only when the
// socket (or gzip) has room, so a scrape of a large store never holds the whole
// exposition and a slow client slows only its own scrape. While the socket
// drains, the event loop is free: log lines keep flowing during a big scrape.

import type { ServerResponse } from 'node:http';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Store } from '../../metrics/index.js';
import {
  OPENMETRICS_CONTENT_TYPE,
  OPENMETRICS_EOF,
  PROMETHEUS_CONTENT_TYPE,
  openMetricsChunks,
  prometheusChunks,
  renderJson,
} from '../encoders.js';
import type { MetricsFormat } from './negotiate.js';

/** What a scrape of /metrics writes, besides the store. */
export interface ScrapeOptions {
  progLabel: boolean;
  emitTimestamps: boolean;
  selfMetrics?: () => Store;
}

/** Content-Type of each /metrics format. */
export const CONTENT_TYPES: Record<MetricsFormat, string> = {
  prometheus: PROMETHEUS_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
  // The encoder itself is loaded only when a scraper asks for it (protobuf.ts).
  protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
};

/** The protobuf /metrics body: the store, then the daemon's own store (no prog label). Loads the encoder on first use. */
export async function protobufBody(store: Store, opts: ScrapeOptions): Promise<Iterable<Uint8Array>> {
  const { protobufChunks } = await import('../protobuf.js');
  const own = opts.selfMetrics?.();
  const chunks = function* (): Generator<Uint8Array, void, undefined> {
    yield* protobufChunks(store, { progLabel: opts.progLabel, timestamps: opts.emitTimestamps });
    if (own !== undefined) yield* protobufChunks(own, { progLabel: false, timestamps: opts.emitTimestamps });
  };
  return chunks();
}

/** The text /metrics body in `format`: the store, then the daemon's own families, then OpenMetrics' `# EOF`. */
export function* metricsBody(store: Store, format: 'prometheus' | 'openmetrics', opts: ScrapeOptions): Generator<string, void, undefined> {
  const exposition = { progLabel: opts.progLabel, timestamps: opts.emitTimestamps };
  const openMetrics = format === 'openmetrics';
  yield* openMetrics ? openMetricsChunks(store, exposition, false) : prometheusChunks(store, exposition);
  if (opts.selfMetrics !== undefined) {
    // The same writer walks the daemon's own store: no prog label, it is no program's.
    const own = opts.selfMetrics();
    const ownOpts = { progLabel: false, timestamps: opts.emitTimestamps };
    yield* openMetrics ? openMetricsChunks(own, ownOpts, false) : prometheusChunks(own, ownOpts);
  }
  if (openMetrics) yield OPENMETRICS_EOF;
}

/** The /json body. */
export function* jsonBody(store: Store): Generator<string, void, undefined> {
  // The JSON encoder pushes rather than yields; it is for people and tools, not
  // scrapes, so its chunks are taken at once and sent as the socket drains.
  const chunks: string[] = [];
  renderJson(store, {}, (chunk) => chunks.push(chunk));
  yield* chunks;
}

/**
 * Sends `chunks` as the body of `res` (headers must be set), through gzip when
 * `gzip`. Resolves when the body is sent; rejects when the client went away or
 * a chunk could not be made, after which the response is destroyed.
 */
export async function sendChunks(res: ServerResponse, chunks: Iterable<string | Uint8Array>, gzip: boolean): Promise<void> {
  // A byte stream (not object mode) whose high-water mark is about one chunk: at most one chunk waits here.
  const source = Readable.from(chunks, { objectMode: false, highWaterMark: 16 * 1024 });
  const sink: Writable = res;
  if (gzip) await pipeline(source, createGzip(), sink);
  else await pipeline(source, sink);
}
