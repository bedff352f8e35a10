// Prometheus remote write 1.0: every interval the store (through the same walk
// as /metrics) becomes WriteRequest protobufs of at most maxSamplesPerSend
// samples each, snappy-compressed, in a bounded in-memory queue that one
// sender drains in order. 5xx, 429 and network errors are retried with
// exponential backoff (the request stays at the head, so samples stay in time
// order, as receivers require); other 4xx answers are final: the samples are
// counted as failed and dropped. When a new collection does not fit, the
// oldest waiting requests make room and their samples are counted as dropped.

import http from 'node:http';
import https from 'node:https';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { compress } from 'snappyjs';
import type { Store } from '../../metrics/index.js';
import { spansAndDeltas } from '../../metrics/index.js';
import type { SampleFamily } from '../families.js';
import { writeDeltas, writeSpans } from '../protowire.js';
import { storeSeries, type Series } from '../series.js';
import { authorization, clientAgent, type ClientAuth } from './client.js';

/** Everything one remote-write target needs (its credentials and TLS: ClientAuth). */
export interface RemoteWriteOptions extends ClientAuth {
  url: string;
  intervalMs: number;
  timeoutMs: number;
  /** Most samples waiting in the queue. */
  queueCapacity: number;
  maxSamplesPerSend: number;
  /** Added to every series that has no label of that name. */
  externalLabels: Record<string, string>;
  progLabel: boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  userAgent?: string;
  logger?: { log(level: string, event: string, fields?: Record<string, unknown>): void };
}

interface Batch {
  body: Uint8Array;
  samples: number;
}

type Outcome = { ok: true } | { ok: false; retry: boolean; status?: number; error: string; retryAfterMs?: number };

/** Pushes a store to one remote-write URL; start() begins, stop() flushes and ends. */
export class RemoteWriter {
  private readonly queue: Batch[] = [];
  private queuedSamples = 0;
  private sending = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly agent: http.Agent;
  private readonly target: URL;
  /** The URL without credentials, as the self-metrics and logs show it. */
  readonly name: string;
  readonly stats = { queued: 0, sent: 0, failed: 0, dropped: 0, retried: 0, lastSuccessMs: 0 };

  constructor(
    private readonly store: Store,
    private readonly opts: RemoteWriteOptions,
    private readonly extra: () => readonly SampleFamily[] = () => [],
  ) {
    this.target = new URL(opts.url);
    if (this.target.protocol !== 'http:' && this.target.protocol !== 'https:') throw new Error(`--remote-write.url ${opts.url}: only http and https are supported`);
    const shown = new URL(opts.url);
    shown.username = '';
    shown.password = '';
    this.name = shown.toString();
    this.agent = clientAgent(this.target, opts.tls, true);
  }

  /** Collects now and every interval after. */
  start(): void {
    this.collect();
    this.timer = setInterval(() => this.collect(), this.opts.intervalMs);
  }

  /** Samples waiting to be sent. */
  get queueLength(): number {
    return this.queuedSamples;
  }

  /** Takes one snapshot of the store into the queue and makes sure the sender runs. */
  collect(now = Date.now()): void {
    if (this.stopped) return;
    let batch: Series[] = [];
    for (const s of storeSeries(this.store, { progLabel: this.opts.progLabel }, this.extra())) {
      batch.push(s);
      if (batch.length >= this.opts.maxSamplesPerSend) {
        this.enqueue({ body: compress(encodeWriteRequest(batch, now, this.opts.externalLabels)), samples: batch.length });
        batch = [];
      }
    }
    if (batch.length > 0) this.enqueue({ body: compress(encodeWriteRequest(batch, now, this.opts.externalLabels)), samples: batch.length });
    void this.pump();
  }

  private enqueue(b: Batch): void {
    this.stats.queued += b.samples;
    // The head may be in flight: room is made from the oldest request behind it.
    const first = this.sending ? 1 : 0;
    while (this.queuedSamples + b.samples > this.opts.queueCapacity && this.queue.length > first) {
      const [old] = this.queue.splice(first, 1);
      this.queuedSamples -= old!.samples;
      this.stats.dropped += old!.samples;
    }
    if (this.queuedSamples + b.samples > this.opts.queueCapacity) {
      this.stats.dropped += b.samples;
      return;
    }
    this.queue.push(b);
    this.queuedSamples += b.samples;
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let backoff = this.opts.minBackoffMs ?? 100;
    const maxBackoff = this.opts.maxBackoffMs ?? 5000;
    let failing = false;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        const outcome = await this.send(head);
        if (outcome.ok || !outcome.retry) {
          this.queue.shift();
          this.queuedSamples -= head.samples;
          if (outcome.ok) {
            this.stats.sent += head.samples;
            this.stats.lastSuccessMs = Date.now();
            if (failing) this.opts.logger?.log('info', 'remote_write_recovered', { url: this.name });
            failing = false;
          } else {
            this.stats.failed += head.samples;
            this.opts.logger?.log('warn', 'remote_write_rejected', { url: this.name, status: outcome.status, error: outcome.error, samples: head.samples });
          }
          backoff = this.opts.minBackoffMs ?? 100;
          continue;
        }
        if (this.stopped) break;
        this.stats.retried += head.samples;
        if (!failing) this.opts.logger?.log('warn', 'remote_write_failed', { url: this.name, status: outcome.status, error: outcome.error, note: 'retrying with backoff' });
        failing = true;
        await this.sleep(outcome.retryAfterMs ?? backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    } finally {
      this.sending = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private send(b: Batch): Promise<Outcome> {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'User-Agent': this.opts.userAgent ?? 'logmetrics',
      'Content-Length': b.body.length,
    };
    let auth: string | undefined;
    try {
      auth = authorization(this.opts);
    } catch (e) {
      // A secret file being rotated may be missing for a moment: retried like a network error.
      return Promise.resolve({ ok: false, retry: true, error: (e as Error).message });
    }
    if (auth !== undefined) headers.Authorization = auth;
    const mod = this.target.protocol === 'https:' ? https : http;
    return new Promise<Outcome>((resolve) => {
      const req = mod.request(this.target, { method: 'POST', headers, agent: this.agent, timeout: this.opts.timeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 512) text += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ ok: true });
          const error = `HTTP ${status}: ${text.trim().slice(0, 200)}`;
          const retryAfter = Number(res.headers['retry-after']);
          // The spec: retry 5xx, may retry 429, never other 4xx.
          const retry = status >= 500 || status === 429;
          resolve({ ok: false, retry, status, error, retryAfterMs: status === 429 && retryAfter > 0 ? retryAfter * 1000 : undefined });
        });
        res.on('error', (e) => resolve({ ok: false, retry: true, error: e.message }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.opts.timeoutMs} ms`)));
      req.on('error', (e) => resolve({ ok: false, retry: true, error: e.message }));
      req.end(b.body);
    });
  }

  /**
   * Stops collecting, takes a last snapshot and keeps sending until the queue is
   * empty or `graceMs` passed; whatever is left then is counted as dropped.
   */
  async stop(graceMs = 5000): Promise<void> {
    clearInterval(this.timer);
    this.collect();
    this.stopped = true;
    const deadline = Date.now() + graceMs;
    // Once stopped, the sender gives up at the first failure; try again until the deadline.
    while (this.queue.length > 0 && Date.now() < deadline) {
      if (!this.sending) void this.pump();
      await new Promise((r) => setTimeout(r, 20));
    }
    this.wake?.();
    this.agent.destroy();
    while (this.sending) await new Promise((r) => setTimeout(r, 10));
    for (const b of this.queue.splice(0)) {
      this.stats.dropped += b.samples;
      this.queuedSamples -= b.samples;
    }
  }

  /** The self-metrics of this target. */
  families(): SampleFamily[] {
    const l = { url: this.name };
    return [
      { name: 'logmetrics_remote_write_samples_queued_total', type: 'counter', help: 'Samples collected for remote write.', samples: [[l, this.stats.queued]] },
      { name: 'logmetrics_remote_write_samples_total', type: 'counter', help: 'Samples the receiver accepted.', samples: [[l, this.stats.sent]] },
      { name: 'logmetrics_remote_write_samples_failed_total', type: 'counter', help: 'Samples the receiver refused (4xx other than 429); not retried.', samples: [[l, this.stats.failed]] },
      { name: 'logmetrics_remote_write_samples_dropped_total', type: 'counter', help: 'Samples dropped because the queue was full (or left at shutdown).', samples: [[l, this.stats.dropped]] },
      { name: 'logmetrics_remote_write_samples_retried_total', type: 'counter', help: 'Samples of requests retried after a 5xx, 429 or network error.', samples: [[l, this.stats.retried]] },
      { name: 'logmetrics_remote_write_queue_samples', type: 'gauge', help: 'Samples waiting to be sent.', samples: [[l, this.queuedSamples]] },
      { name: 'logmetrics_remote_write_queue_capacity_samples', type: 'gauge', help: 'Most samples the queue holds.', samples: [[l, this.opts.queueCapacity]] },
      { name: 'logmetrics_remote_write_last_success_timestamp_seconds', type: 'gauge', help: 'When the receiver last accepted a request (0: never).', samples: [[l, this.stats.lastSuccessMs / 1000]] },
    ];
  }
}

/** A prompb.WriteRequest holding `series`, every sample at `timestampMs`. */
export function encodeWriteRequest(series: readonly Series[], timestampMs: number, externalLabels: Record<string, string> = {}): Uint8Array {
  const w = new BinaryWriter();
  const external = Object.entries(externalLabels);
  for (const s of series) {
    w.tag(1, WireType.LengthDelimited).fork();
    for (const [name, value] of sortedLabels(s.labels, external)) {
      w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name).tag(2, WireType.LengthDelimited).string(value).join();
    }
    if (s.native === undefined) {
      w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Bit64).double(s.value).tag(2, WireType.Varint).int64(timestampMs).join();
    } else {
      const h = s.native.histogram;
      w.tag(4, WireType.LengthDelimited).fork();
      w.tag(1, WireType.Varint).uint64(s.native.count);
      w.tag(3, WireType.Bit64).double(s.native.sum);
      w.tag(4, WireType.Varint).sint32(h.schema);
      w.tag(5, WireType.Bit64).double(h.zeroThreshold);
      w.tag(6, WireType.Varint).uint64(h.zeroCount);
      const neg = spansAndDeltas(h.negative);
      const pos = spansAndDeltas(h.positive);
      writeSpans(w, 8, neg.spans);
      writeDeltas(w, 9, neg.deltas);
      writeSpans(w, 11, pos.spans);
      writeDeltas(w, 12, pos.deltas);
      w.tag(15, WireType.Varint).int64(timestampMs);
      w.join();
    }
    w.join();
  }
  return w.finish();
}

/** Labels sorted by name, external labels added where missing, empty values left out (as Prometheus does). */
function sortedLabels(labels: ReadonlyArray<[string, string]>, external: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const out = labels.filter(([, v]) => v !== '');
  for (const [k, v] of external) if (v !== '' && !labels.some(([n]) => n === k)) out.push([k, v]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

