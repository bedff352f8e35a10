// Shared pieces of the HTTP server tests: a store with a little of everything,
// a status source, a server on 127.0.0.1 port 0, and a client that reports
// status, headers, body and how many pieces the body came in.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Store } from '../../../src/metrics/index.js';
import { ExporterServer, type ProgramStatus, type ServerOptions, type SourceStatus } from '../../../src/export/server/index.js';
import { addMetric, spec } from '../../metrics/helpers.js';

/** A store with a counter (labels needing escapes), a float gauge and a histogram. */
export function sampleStore(): Store {
  const store = new Store();
  const t0 = 1_700_000_000_000;
  addMetric(store, spec({ name: 'requests', kind: 'counter', keys: ['path', 'code'] }), [
    [['/index.html', '200'], 7, t0],
    [['/a"b\\c', '404'], 2, t0 + 1],
  ]);
  addMetric(store, spec({ name: 'temperature', kind: 'gauge', valueType: 'float', program: 'b.mtail' }), [[[], 21.5, t0]]);
  addMetric(store, spec({ name: 'latency', kind: 'histogram', valueType: 'float', buckets: [0.1, 1] }), [[[], [0.05, 0.5, 3], t0]]);
  return store;
}

/** A store of self metrics as the daemon keeps them: one counter with help text and no program source. */
export function selfMetrics(labels: Record<string, string> = {}, time = 1_700_000_000_500): Store {
  const store = new Store();
  addMetric(store, spec({ program: 'logmetrics', name: 'logmetrics_scrapes_total', kind: 'counter', keys: Object.keys(labels), source: '', help: 'Scrapes served.' }), [
    [Object.values(labels), 1, time],
  ]);
  return store;
}

export const PROGRAMS: ProgramStatus[] = [
  {
    name: 'ok.mtail',
    file: '/progs/ok.mtail',
    state: 'loaded',
    loadedAt: Date.now() - 5000,
    lines: 1200,
    runtimeErrors: 0,
    logs: [{ log: '/var/log/app.log', lines: 1200, matched: 1188, runtimeErrors: 0, lastLineAt: Date.now() - 2000 }],
  },
];
export const SOURCES: SourceStatus[] = [
  { name: '/var/log/app.log', kind: 'file', lines: 1200, bytes: 65536, rotations: 1, truncations: 0, errors: 0, longLinesCut: 0, lastReadAt: Date.now() - 2000 },
];

/** A server on 127.0.0.1, port 0, with the sample store unless `over` says otherwise; closed at teardown. */
export async function startServer(
  t: { teardown(fn: () => unknown): void },
  over: Partial<ServerOptions> = {},
): Promise<{ server: ExporterServer; port: number }> {
  const server = new ExporterServer({
    address: '127.0.0.1',
    port: 0,
    store: sampleStore(),
    progLabel: true,
    emitTimestamps: false,
    status: { version: '9.9.9-test', startedAt: Date.now() - 65_000, programs: () => PROGRAMS, sources: () => SOURCES },
    ...over,
  });
  const { port } = await server.listen();
  t.teardown(() => server.close());
  return { server, port };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** How many 'data' events the body arrived in. */
  pieces: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Use HTTPS, trusting these CA certificates. */
  tls?: { ca: string; cert?: string; key?: string };
  timeoutMs?: number;
}

/** One request to 127.0.0.1:`port`; no keep-alive, so a finished test leaves no open socket. */
export function request(port: number, urlPath: string, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const common = {
      host: '127.0.0.1',
      port,
      path: urlPath,
      method: opts.method ?? 'GET',
      headers: { Connection: 'close', ...opts.headers },
      agent: false as const,
      timeout: opts.timeoutMs ?? 30_000,
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), pieces: parts.length }));
      res.on('error', reject);
    };
    const req = opts.tls
      ? https.request({ ...common, ca: opts.tls.ca, cert: opts.tls.cert, key: opts.tls.key, servername: 'localhost' }, onResponse)
      : http.request(common, onResponse);
    req.on('timeout', () => req.destroy(new Error(`request to ${urlPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export { tempDir } from '../../helpers/tempdir.js';

/** A self-signed certificate for localhost made by openssl in `dir`: `name`.key and `name`.crt. */
export function selfSigned(dir: string, name: string, cn = 'localhost'): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-days', '1', '-keyout', key, '-out', cert,
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'pipe', timeout: 60_000 },
  );
  return { key, cert };
}
