// The push loop of mtail's exporter (internal/exporter/export.go): every
// interval, for each target, open a fresh connection (TCP for graphite, UDP
// for statsd, a unix stream socket for collectd), write every label set's
// line, close. A target that cannot be reached is logged and tried again at
// the next interval; -metric_push_write_deadline bounds each push.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { Store } from '../../metrics/index.js';
import type { Logger } from '../../log/index.js';
import { pushLines, type PushFormatter } from './lines.js';

/** One place mtail-style metrics are pushed to. */
export interface PushTarget {
  /** Name in logs: graphite, statsd, collectd. */
  name: string;
  network: 'tcp' | 'udp' | 'unix';
  /** host:port, or the socket path for unix. */
  address: string;
  format: PushFormatter;
}

export interface MtailPusherOptions {
  store: Store;
  targets: PushTarget[];
  intervalMs: number;
  /** Longest a push to one target may take (mtail's -metric_push_write_deadline, 10s). */
  deadlineMs: number;
  logger?: Logger;
}

/** Splits Go's host:port ("[::1]:2003", ":8125" meaning this host). */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(address);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${JSON.stringify(address)} is not host:port`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? 'localhost' : host, port };
}

/** Pushes the store to every target each interval, until stop(). */
export class MtailPusher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Targets whose last push failed, so a target that stays down is logged once, not every interval. */
  private readonly failing = new Set<string>();

  constructor(private readonly opts: MtailPusherOptions) {
    for (const t of opts.targets) if (t.network !== 'unix') splitHostPort(t.address);
  }

  start(): void {
    if (this.opts.targets.length === 0 || this.opts.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      // A push still under way when the next tick comes is not doubled.
      if (this.running === undefined) this.running = this.pushOnce().finally(() => (this.running = undefined));
    }, this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One push to every target; failures are logged, never thrown. */
  async pushOnce(): Promise<void> {
    for (const target of this.opts.targets) {
      const key = `${target.name} ${target.address}`;
      try {
        const lines = await this.pushTo(target);
        if (this.failing.delete(key)) this.opts.logger?.log('info', 'push_recovered', { target: target.name, address: target.address });
        this.opts.logger?.log('debug', 'pushed', { target: target.name, address: target.address, lines });
      } catch (e) {
        if (!this.failing.has(key)) {
          this.failing.add(key);
          this.opts.logger?.log('warn', 'push_failed', { target: target.name, address: target.address, error: (e as Error).message, note: 'retried every interval; logged again once it recovers' });
        }
      }
    }
  }

  private pushTo(target: PushTarget): Promise<number> {
    const work = target.network === 'udp' ? this.pushUdp(target) : this.pushStream(target);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.opts.deadlineMs} ms`)), this.opts.deadlineMs);
    });
    return Promise.race([work.promise, deadline]).finally(() => {
      clearTimeout(timer);
      work.abort();
    });
  }

  /** graphite over TCP, collectd over its unix socket: one connection, all lines, then close. */
  private pushStream(target: PushTarget): { promise: Promise<number>; abort: () => void } {
    let socket: Socket | undefined;
    const promise = new Promise<number>((resolve, reject) => {
      const s =
        target.network === 'unix' ? connect({ path: target.address }) : connect(splitHostPort(target.address));
      socket = s;
      let lines = 0;
      let replyError: string | undefined;
      let pending = '';
      // collectd answers every command; a negative status is its error message.
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const reply = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (replyError === undefined && /^-\d/.test(reply)) replyError = reply;
        }
      });
      s.once('error', reject);
      s.once('close', () => (replyError === undefined ? resolve(lines) : reject(new Error(`${target.name} answered: ${replyError}`))));
      s.once('connect', async () => {
        try {
          let batch = '';
          for (const text of pushLines(this.opts.store, target.format)) {
            batch += text;
            lines++;
            if (batch.length >= 16384) {
              if (!s.write(batch)) await new Promise((r) => s.once('drain', r));
              batch = '';
            }
          }
          s.end(batch);
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    return { promise, abort: () => socket?.destroy() };
  }

  /** statsd over UDP: one datagram per label set, as mtail sends them. */
  private pushUdp(target: PushTarget): { promise: Promise<number>; abort: () => void } {
    const { host, port } = splitHostPort(target.address);
    const socket: UdpSocket = createSocket(isIP(host) === 6 || host.includes(':') ? 'udp6' : 'udp4');
    let closed = false;
    const close = () => {
      if (!closed) {
        closed = true;
        socket.close();
      }
    };
    const promise = new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, host, async () => {
        try {
          let lines = 0;
          for (const text of pushLines(this.opts.store, target.format)) {
            await new Promise<void>((res, rej) => socket.send(text, (err) => (err ? rej(err) : res())));
            lines++;
          }
          resolve(lines);
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    return { promise, abort: close };
  }
}
