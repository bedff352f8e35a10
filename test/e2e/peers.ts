// The real services the end-to-end tests run beside logmetrics: nginx,
// HAProxy and Prometheus from their Debian packages, each on 127.0.0.1 with
// its files in a temp dir, configured from the templates in fixtures/e2e/.
// A missing binary fails the test with the package to install.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { findBinary, freePort, get, missingMessage, ROOT, startPeer, waitForListener, waitUntil, type Peer, type Teardown } from '../daemon/helpers.js';

export const FIXTURES = join(ROOT, 'fixtures', 'e2e');

/** A template from fixtures/e2e/ with its @NAME@ placeholders filled in; a placeholder left over is an error. */
export function fillTemplate(name: string, values: Record<string, string>): string {
  let text = readFileSync(join(FIXTURES, name), 'utf8');
  for (const [k, v] of Object.entries(values)) text = text.split(`@${k}@`).join(v);
  const left = /@[A-Z_]+@/.exec(text);
  if (left) throw new Error(`${name}: no value for ${left[0]}`);
  return text;
}

/** The `log_format timed ...;` directive exactly as programs/nginx.mtail's header documents it. */
export function timedLogFormat(): string {
  const header = readFileSync(join(ROOT, 'programs', 'nginx.mtail'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^#\s*/, ''));
  const start = header.findIndex((l) => l.startsWith('log_format timed '));
  if (start < 0) throw new Error('programs/nginx.mtail: no `log_format timed` in the header');
  const end = header.findIndex((l, i) => i >= start && l.endsWith("';"));
  return header.slice(start, end + 1).join('\n        ');
}

/** Looks a binary up, or throws the message that says which package to install. */
export function requireBinary(name: string, pkg: string): string {
  const path = findBinary(name);
  if (path === undefined) throw new Error(missingMessage(name, pkg));
  return path;
}

export interface Nginx {
  port: number;
  accessLog: string;
  peer: Peer;
  /** Size of /index.html, the page the 200 responses send. */
  indexBytes: number;
}

/** Starts nginx under `dir` (prefix, config, logs), serving /index.html, a 404 for other files, 500 at /error and 204 at /barrier. */
export async function startNginx(t: Teardown, dir: string): Promise<Nginx> {
  const nginx = requireBinary('nginx', 'nginx');
  const prefix = join(dir, 'nginx');
  for (const d of ['', 'html', 'tmp']) mkdirSync(join(prefix, d), { recursive: true });
  // Run as root, nginx's workers run as nobody: they must be able to read the pages.
  for (const d of [dir, prefix, join(prefix, 'html')]) chmodSync(d, 0o755);
  const index = '<!DOCTYPE html>\n<title>e2e</title>\n<p>logmetrics end-to-end test page</p>\n';
  writeFileSync(join(prefix, 'html', 'index.html'), index, { mode: 0o644 });
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, fillTemplate('nginx.conf', { PREFIX: prefix, PORT: String(port), TIMED_LOG_FORMAT: timedLogFormat() }));
  const peer = startPeer(t, nginx, ['-p', `${prefix}/`, '-c', conf, '-e', join(prefix, 'error.log'), '-g', `daemon off; pid ${prefix}/nginx.pid;`]);
  await waitForListener(`nginx on port ${port} (output: ${peer.output()})`, port, () => !peer.hasExited()).catch((e: Error) => {
    throw new Error(`${e.message}\nnginx said: ${peer.output()}\n${safeRead(join(prefix, 'error.log'))}`);
  });
  return { port, accessLog: join(prefix, 'access.log'), peer, indexBytes: Buffer.byteLength(index) };
}

export interface Haproxy {
  port: number;
  peer: Peer;
}

/** Starts HAProxy in the foreground in front of nginx, logging to udp://127.0.0.1:syslogPort. */
export async function startHaproxy(t: Teardown, dir: string, nginxPort: number, syslogPort: number): Promise<Haproxy> {
  const haproxy = requireBinary('haproxy', 'haproxy');
  const port = await freePort();
  const deadPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    fillTemplate('haproxy.cfg', { PORT: String(port), NGINX_PORT: String(nginxPort), SYSLOG_PORT: String(syslogPort), DEAD_PORT: String(deadPort) }),
  );
  const check = startPeer(t, haproxy, ['-c', '-f', cfg]);
  const checked = await check.exited;
  if (checked.code !== 0) throw new Error(`haproxy -c rejected ${cfg}:\n${check.output()}`);
  // -db: stay in the foreground, so the test owns the process.
  const peer = startPeer(t, haproxy, ['-db', '-f', cfg]);
  await waitForListener(`haproxy on port ${port}`, port, () => !peer.hasExited()).catch((e: Error) => {
    throw new Error(`${e.message}\nhaproxy said: ${peer.output()}`);
  });
  return { port, peer };
}

/** One series of an instant query's result. */
export interface QuerySample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A server with the Prometheus query API. */
export interface QueryServer {
  port: number;
  peer: Peer;
  /** An instant query; resolves with the result vector. */
  query(expr: string, time?: number): Promise<QuerySample[]>;
  /** Stops the process (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

export async function instantQuery(port: number, path: string, expr: string, time?: number): Promise<QuerySample[]> {
  const params = new URLSearchParams({ query: expr });
  if (time !== undefined) params.set('time', String(time));
  const r = await get(`http://127.0.0.1:${port}${path}?${params}`);
  const body = JSON.parse(r.body) as { status: string; error?: string; data?: { result: QuerySample[] } };
  if (r.status !== 200 || body.status !== 'success') throw new Error(`query ${expr}: ${r.status} ${body.error ?? r.body}`);
  return body.data!.result;
}

/** Options of startPrometheus(). */
export interface PrometheusOptions {
  /** prometheus.yml text; `@PORT@` is replaced by Prometheus' own port. */
  config: string;
  /** Extra flags, e.g. --enable-feature=native-histograms or --web.enable-remote-write-receiver. */
  flags?: string[];
  /** Reuse this port and tsdb dir (a restart of the same server). */
  port?: number;
}

/** Starts Prometheus under `dir` and resolves once it is ready. */
export async function startPrometheus(t: Teardown, dir: string, opts: PrometheusOptions): Promise<QueryServer> {
  const prometheus = requireBinary('prometheus', 'prometheus');
  const port = opts.port ?? (await freePort());
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, opts.config.split('@PORT@').join(String(port)));
  const peer = startPeer(t, prometheus, [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(opts.flags ?? []),
  ]);
  await waitUntil(
    () => `Prometheus to be ready; it said:\n${peer.output()}`,
    async () => {
      if (peer.hasExited()) throw new Error(`prometheus exited:\n${peer.output()}`);
      const r = await get(`http://127.0.0.1:${port}/-/ready`);
      return r.status === 200 ? true : undefined;
    },
    90_000,
    200,
  );
  return { port, peer, query: (expr, time) => instantQuery(port, '/api/v1/query', expr, time), stop: () => peer.stop() };
}

/** Starts a Prometheus server scraping logmetrics and the Accept recorder every second; resolves once it is ready. */
export function startScrapingPrometheus(t: Teardown, dir: string, logmetricsPort: number, recorderPort: number): Promise<QueryServer> {
  const config = fillTemplate('prometheus.yml', { LOGMETRICS_PORT: String(logmetricsPort), RECORDER_PORT: String(recorderPort) });
  return startPrometheus(t, dir, { config });
}

/** One kind of request a test sends `count` times. */
export interface RequestPlan {
  method: 'GET' | 'POST' | 'HEAD';
  path: (i: number) => string;
  count: number;
  headers?: Record<string, string>;
}

/**
 * Sends every planned request to 127.0.0.1:port, a few at a time, each on its
 * own connection; resolves with how many answers each status had, as the client saw them.
 */
export async function sendRequests(port: number, plan: RequestPlan[], concurrency = 4, opts: { tls?: boolean } = {}): Promise<Map<number, number>> {
  const jobs = plan.flatMap((p) => Array.from({ length: p.count }, (_, i) => ({ method: p.method, path: p.path(i), headers: p.headers })));
  // TLS peers use self-signed certificates made by the test.
  const client = opts.tls ? (o: https.RequestOptions, cb: (res: http.IncomingMessage) => void) => https.request({ ...o, rejectUnauthorized: false }, cb) : http.request;
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const status = await new Promise<number>((resolve, reject) => {
        const req = client({ host: '127.0.0.1', port, method: job.method, path: job.path, headers: job.headers, agent: false, timeout: 30_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${job.method} ${job.path}: no answer in 30 s`)));
        req.on('error', reject);
        req.end(job.method === 'POST' ? 'x=1' : undefined);
      });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
