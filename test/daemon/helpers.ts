// Running the built CLI as a real daemon for tests: start it on 127.0.0.1
// with --port 0 and learn the port from its `event=listening` log line, scrape
// it, wait (with deadlines, never fixed sleeps) for conditions on its metrics
// or its log, and stop it by signal. Every process and temp dir a test starts
// here is killed or removed in the test's teardown.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import dgram from 'node:dgram';
import { accessSync, appendFileSync, constants, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExposition, type Sample } from '../helpers/promtext.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'logmetrics.js');

/** Deadlines are generous: the machine running the tests may be busy with much else. */
export const START_TIMEOUT_MS = 60_000;
export const WAIT_TIMEOUT_MS = 60_000;

import type { Teardown } from '../helpers/tempdir.js';

export { tempDir, type Teardown } from '../helpers/tempdir.js';

/** A loopback port that was free a moment ago (bound to port 0, then released). */
export async function freePort(kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, '127.0.0.1', resolve);
    });
    const port = s.address().port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Thrown by a waitUntil() probe to stop waiting at once (the process being waited on has exited). */
export class GiveUp extends Error {}

/** Polls `probe` until it returns something other than undefined; throws after `timeoutMs` saying what it waited for. */
export async function waitUntil<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = WAIT_TIMEOUT_MS,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      lastError = undefined;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const desc = typeof what === 'string' ? what : what();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${desc}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** An HTTP(S) response read to its end. */
export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Options of get(). */
export interface GetOptions {
  headers?: Record<string, string>;
  /** Use HTTPS, trusting this CA (PEM). */
  ca?: string | Buffer;
  timeoutMs?: number;
}

/** GETs a URL on 127.0.0.1 and reads the whole body (no redirects, no gzip decoding). */
export function get(url: string, opts: GetOptions = {}): Promise<Response> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { headers: opts.headers, ca: opts.ca, agent: false, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
  });
}

/**
 * The sum of the samples named `name` whose labels include `labels` (every given
 * pair equal), or undefined when no sample matches.
 */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (!Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
    sum = (sum ?? 0) + s.value;
  }
  return sum;
}

/** A running `logmetrics` process. */
export interface Daemon {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code and signal once it exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether it has exited. */
  hasExited(): boolean;
  url(path?: string): string;
  /** Scrapes /metrics (Prometheus text) and parses it. */
  samples(opts?: GetOptions): Promise<Sample[]>;
  /** valueOf() on a fresh scrape. */
  value(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /** Waits until a scrape satisfies `ok`, returning those samples. */
  waitForSamples(what: string, ok: (s: Sample[]) => boolean, timeoutMs?: number): Promise<Sample[]>;
  /** Waits until the metric (summed over matching samples) equals `want`. */
  waitForValue(name: string, labels: Record<string, string>, want: number, timeoutMs?: number): Promise<void>;
  /** Waits until stderr, from character `from` on, has a line matching `re`; returns that line. */
  waitForLog(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** Waits for the exit (after a signal already sent); `signal` only names it in the timeout message. */
  waitForExit(timeoutMs?: number, signal?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of startDaemon(). */
export interface StartOptions {
  cwd?: string;
  /** Keep stdin as a pipe the test writes to (child.stdin); otherwise stdin is /dev/null. */
  stdin?: boolean;
  /** HTTPS with this CA and these headers for samples()/value() (the daemon serves TLS and auth). */
  scrape?: GetOptions;
  /** When the port is given on the command line (no --port 0), it is known in advance. */
  port?: number;
  /** Run as this user and group (the test must be root), as a container's runAsUser would. */
  user?: { uid: number; gid: number };
}

/** The usual daemon command line: programs, logs, loopback, a port chosen by the kernel. */
export function runArgs(progs: string, logs: string[], ...extra: string[]): string[] {
  return ['run', '--progs', progs, ...logs.flatMap((l) => ['--logs', l]), '--address', '127.0.0.1', '--port', '0', ...extra];
}

/** Starts `logmetrics ...args` and resolves once it logged `event=listening`; killed at teardown if still running. */
export async function startDaemon(t: Teardown, args: string[], opts: StartOptions = {}): Promise<Daemon> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.user ?? {}),
  });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => (err += s));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  // An exit before 'listening', or a spawn error, fails start-up with what the daemon said.
  child.once('error', (e) => (err += `\n[spawn error] ${String(e)}`));
  t.teardown(async () => {
    if (done) return;
    child.kill('SIGKILL');
    await exited;
  });

  const port = await waitUntil(
    () => `the daemon's event=listening line; stderr so far:\n${err}`,
    () => {
      if (done) throw new GiveUp(`logmetrics exited before listening:\n${err}`);
      const m = /event=listening .*?\bport=(\d+)/.exec(err);
      return m ? Number(m[1]) : undefined;
    },
    START_TIMEOUT_MS,
    50,
  );
  if (opts.port !== undefined && port !== opts.port) throw new Error(`daemon listens on ${port}, not on the requested ${opts.port}`);

  const scheme = opts.scrape?.ca !== undefined ? 'https' : 'http';
  const daemon: Daemon = {
    child,
    port,
    exited,
    stderr: () => err,
    hasExited: () => done,
    url: (path = '/') => `${scheme}://127.0.0.1:${port}${path}`,
    async samples(o = opts.scrape ?? {}) {
      const r = await get(daemon.url('/metrics'), { ...o, headers: { Accept: 'text/plain', ...o.headers } });
      if (r.status !== 200) throw new Error(`/metrics answered ${r.status}: ${r.body}`);
      return parseExposition(r.body);
    },
    async value(name, labels = {}) {
      return valueOf(await daemon.samples(), name, labels);
    },
    async waitForSamples(what, ok, timeoutMs = WAIT_TIMEOUT_MS) {
      let last: Sample[] = [];
      return waitUntil(
        () => `${what}; last scrape:\n${last.filter((s) => !/^(process|logmetrics)_/.test(s.name)).map(show).join('\n')}`,
        async () => {
          if (done) throw new GiveUp(`logmetrics exited while waiting for ${what}; stderr:\n${err}`);
          last = await daemon.samples();
          return ok(last) ? last : undefined;
        },
        timeoutMs,
      );
    },
    async waitForValue(name, labels, want, timeoutMs = WAIT_TIMEOUT_MS) {
      await daemon.waitForSamples(`${name}${JSON.stringify(labels)} == ${want}`, (s) => valueOf(s, name, labels) === want, timeoutMs);
    },
    async waitForLog(re, from = 0, timeoutMs = WAIT_TIMEOUT_MS) {
      return waitUntil(
        () => `a log line matching ${re}; stderr:\n${err.slice(from)}`,
        () => {
          const line = err.slice(from).split('\n').find((l) => re.test(l));
          if (line === undefined && done) throw new GiveUp(`logmetrics exited without logging ${re}; stderr:\n${err.slice(from)}`);
          return line;
        },
        timeoutMs,
        50,
      );
    },
    async stop(signal = 'SIGTERM', timeoutMs = WAIT_TIMEOUT_MS) {
      if (!done) child.kill(signal);
      return daemon.waitForExit(timeoutMs, signal);
    },
    async waitForExit(timeoutMs = WAIT_TIMEOUT_MS, signal = 'none') {
      const timer = new Promise<never>((_, reject) => {
        const h = setTimeout(() => reject(new Error(`logmetrics did not exit within ${timeoutMs} ms of ${signal}; stderr:\n${err}`)), timeoutMs);
        void exited.then(() => clearTimeout(h));
      });
      return Promise.race([exited, timer]);
    },
  };
  return daemon;
}

function show(s: Sample): string {
  return `${s.name}${JSON.stringify(s.labels)} ${s.value}`;
}

/** A background process of a real peer (nginx, haproxy, prometheus, chromium), killed at teardown. */
export interface Peer {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  hasExited(): boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The failure message for a missing peer binary. */
export function missingMessage(binary: string, pkg: string): string {
  return `${binary} not found: apt-get install -y ${pkg}`;
}

/** The path of an executable found on PATH or in the sbin folders (nginx and haproxy live there), or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Spawns a peer process, collecting its stdout and stderr; SIGKILLed at teardown as a last resort. */
export function startPeer(t: Teardown, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Peer {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stdin.end();
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', (e) => {
      out += `\n[spawn error] ${String(e)}`;
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  const peer: Peer = {
    child,
    output: () => out,
    hasExited: () => done,
    exited,
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  t.teardown(() => peer.stop());
  return peer;
}

/** Waits until something accepts TCP connections on 127.0.0.1:port (a peer finished starting). */
export async function waitForListener(what: string, port: number, alive: () => boolean = () => true, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  await waitUntil(
    what,
    async () => {
      if (!alive()) throw new GiveUp(`${what}: the process exited`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      return ok ? true : undefined;
    },
    timeoutMs,
    100,
  );
}

/**
 * Appends lines to a file in the background (a few every few milliseconds),
 * like a busy application's log; pause() takes effect at once (the writes
 * are synchronous), so `written` is then final until resume().
 */
export class LineWriter {
  written = 0;
  private paused = false;
  private running = true;
  private error: unknown;
  private readonly loop: Promise<void>;

  constructor(
    t: Teardown,
    private readonly file: string,
    private readonly line: (i: number) => string,
    private readonly perTick = 5,
    private readonly intervalMs = 5,
  ) {
    this.loop = this.run();
    t.teardown(async () => {
      this.running = false;
      await this.loop;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!this.paused) {
        let text = '';
        for (let i = 0; i < this.perTick; i++) text += this.line(this.written++) + '\n';
        try {
          appendFileSync(this.file, text);
        } catch (err) {
          // The temp dir may be gone already when teardowns run in another order.
          this.error = err;
          return;
        }
      }
      await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }

  /** Stops writing until resume(); returns the lines written so far. */
  pause(): number {
    this.paused = true;
    return this.written;
  }

  resume(): void {
    this.paused = false;
  }

  /** Stops for good; resolves with the lines written. */
  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    if (this.error !== undefined) throw this.error;
    return this.written;
  }
}
