// The exporter's HTTP(S) server: routes, the web config's TLS, basic auth and
// headers, and a close() that lets scrapes in progress finish.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { BasicAuth } from './basicauth.js';
import { acceptsGzip, negotiateFormat } from './negotiate.js';
import { JSON_CONTENT_TYPE } from '../encoders.js';
import { CONTENT_TYPES, jsonBody, metricsBody, protobufBody, sendChunks } from './scrape.js';
import { renderStatusPage } from './statuspage.js';
import type { ServerOptions } from './types.js';
import { loadWebConfig, type ClientAuthType, type WebConfig } from './webconfig.js';

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const TEXT = 'text/plain; charset=utf-8';

/**
 * Against slow or idle clients holding connections (slow-loris): the request head must
 * arrive within HEADERS_TIMEOUT_MS and the whole request within REQUEST_TIMEOUT_MS, a socket
 * idle for IDLE_TIMEOUT_MS is closed, and a TLS handshake must end within
 * HANDSHAKE_TIMEOUT_MS. Scrapers send a small GET at once, so these cost them nothing.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const IDLE_TIMEOUT_MS = 60_000;
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How often Node looks for requests past their timeouts. */
const CONNECTIONS_CHECK_MS = 1_000;
/** Default of --max-connections: scrapers use one or two each; beyond it a connection is refused. */
export const DEFAULT_MAX_CONNECTIONS = 128;
// The status page needs its inline style and nothing else: no script can run even if escaping failed.
const STATUS_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** Serves /metrics, /json, /healthz and a status page at / from a metric store. */
export class ExporterServer {
  private server: http.Server | https.Server | undefined;
  private auth: BasicAuth | undefined;
  private headers: Record<string, string> = {};
  private closing: Promise<void> | undefined;
  private config: WebConfig | undefined;
  private readonly routes: ReadonlyMap<string, Route>;

  constructor(private readonly opts: ServerOptions) {
    this.routes = new Map<string, Route>([
      ['/metrics', (req, res) => this.serveMetrics(req, res)],
      ['/json', (req, res) => this.serveJson(req, res)],
      ['/healthz', (_req, res) => plain(res, 200, 'ok')],
      ['/', (_req, res) => this.serveStatusPage(res)],
    ]);
  }

  /**
   * Reads the web config (throwing WebConfigError naming the file and the
   * problem), then binds; resolves with the bound address and port.
   */
  async listen(): Promise<{ address: string; port: number }> {
    if (this.server !== undefined) throw new Error('ExporterServer: already listening');
    const file = this.opts.webConfigFile;
    const config = file !== undefined && file !== '' ? loadWebConfig(file) : undefined;
    this.apply(config);
    const server = this.createServer(config);
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.maxConnections = this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    server.setTimeout(IDLE_TIMEOUT_MS, (socket) => socket.destroy());
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const host = this.opts.address === '' ? undefined : this.opts.address;
        const where = this.opts.unixSocket ? { path: this.opts.unixSocket } : { port: this.opts.port, host };
        server.listen(where, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    server.on('error', (err) => this.opts.logger?.log('error', 'http_server_error', { error: String(err) }));
    if (config !== undefined) {
      this.opts.logger?.log('info', 'web_config', {
        file: config.file,
        tls: config.tls !== undefined,
        client_auth: config.tls?.clientAuth,
        basic_auth_users: config.users.size,
      });
    }
    const bound = server.address();
    if (typeof bound === 'string' || bound === null) return { address: bound ?? '', port: 0 };
    return { address: bound.address, port: bound.port };
  }

  /**
   * Reads the web config file again (on SIGHUP): users, headers, certificates and the client
   * certificate policy apply to new requests and connections. When the file is no longer
   * valid, or would switch between HTTP and HTTPS (that takes a restart), the config in force
   * stays and the reason is logged. Returns whether the new config was taken.
   */
  reloadWebConfig(): boolean {
    const file = this.opts.webConfigFile;
    if (file === undefined || file === '' || this.server === undefined) return false;
    let config: WebConfig;
    try {
      config = loadWebConfig(file);
      if ((config.tls === undefined) !== (this.config?.tls === undefined)) {
        throw new Error(`${file}: switching between HTTP and HTTPS needs a restart`);
      }
      const was = this.config?.tls?.options;
      if (config.tls !== undefined && (config.tls.options.requestCert !== was?.requestCert || config.tls.options.rejectUnauthorized !== was?.rejectUnauthorized)) {
        throw new Error(`${file}: asking for client certificates or not needs a restart`);
      }
      if (config.tls !== undefined) (this.server as https.Server).setSecureContext(config.tls.options);
    } catch (err) {
      this.opts.logger?.log('error', 'web_config_reload_failed', { file, error: (err as Error).message, action: 'keeping the previous web config' });
      return false;
    }
    this.apply(config);
    this.opts.logger?.log('info', 'web_config_reloaded', { file, tls: config.tls !== undefined, basic_auth_users: config.users.size });
    return true;
  }

  private apply(config: WebConfig | undefined): void {
    const old = this.auth;
    this.config = config;
    this.headers = config?.headers ?? {};
    this.auth = config !== undefined && config.users.size > 0 ? new BasicAuth(config.users) : undefined;
    void old?.close();
  }

  /**
   * Stops accepting connections and resolves once the responses in progress
   * have been sent (or, past closeTimeoutMs, their connections were cut).
   */
  close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    // A bcrypt check in progress must not hold the shutdown: its request answers 401.
    void this.auth?.close();
    this.closing ??= new Promise<void>((resolve) => {
      const deadline = setTimeout(() => server.closeAllConnections(), this.opts.closeTimeoutMs ?? 10_000);
      server.close(() => {
        clearTimeout(deadline);
        resolve();
      });
      // Keep-alive connections with no request in progress would hold close() open.
      server.closeIdleConnections();
    });
    return this.closing;
  }

  private createServer(config: WebConfig | undefined): http.Server | https.Server {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    const common = { connectionsCheckingInterval: CONNECTIONS_CHECK_MS };
    if (config?.tls === undefined) return http.createServer(common, handler);
    const server = https.createServer({ ...config.tls.options, ...common, handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, handler);
    // The policy in force when the connection is made (a reload may change it).
    server.on('secureConnection', (socket: TLSSocket) => {
      const policy = this.config?.tls?.clientAuth;
      if (policy !== undefined && !clientCertificateAcceptable(socket, policy)) socket.destroy();
    });
    return server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closing !== undefined) {
      res.shouldKeepAlive = false;
    }
    // A connection freed by a response that ends after close() must not hold close() open.
    res.once('close', () => {
      if (this.closing !== undefined) setImmediate(() => this.server?.closeIdleConnections());
    });
    for (const [name, value] of Object.entries(this.headers)) res.setHeader(name, value);
    try {
      const verdict = this.auth === undefined ? 'ok' : await this.auth.check(req.headers.authorization);
      // A refused client gets its connection closed with the answer: a flood of guesses that
      // never reads its answers then holds no connections open, and cannot fill --max-connections.
      if (verdict !== 'ok') res.shouldKeepAlive = false;
      if (verdict === 'busy') {
        // Too many password checks wait already: refused at once, not queued.
        res.setHeader('Retry-After', '1');
        return plain(res, 429, 'Too Many Requests');
      }
      if (verdict === 'denied') {
        res.setHeader('WWW-Authenticate', 'Basic realm="logmetrics", charset="UTF-8"');
        return plain(res, 401, 'Unauthorized');
      }
      const path = pathOf(req.url);
      const route = path === undefined ? undefined : this.routes.get(path);
      if (path === undefined) return plain(res, 400, 'Bad Request');
      if (route === undefined) return plain(res, 404, 'Not Found');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return plain(res, 405, 'Method Not Allowed');
      }
      await route(req, res);
    } catch (err) {
      this.failed(req, res, err);
    }
  }

  private async serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const format = negotiateFormat(req.headers.accept);
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Vary', 'Accept, Accept-Encoding');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    if (req.method === 'HEAD') return void res.end();
    const body = format === 'protobuf' ? await protobufBody(this.opts.store, this.opts) : metricsBody(this.opts.store, format, this.opts);
    await sendChunks(res, body, gzip);
  }

  private async serveJson(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    res.statusCode = 200;
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    res.setHeader('Vary', 'Accept-Encoding');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    if (req.method === 'HEAD') return void res.end();
    await sendChunks(res, jsonBody(this.opts.store), gzip);
  }

  private serveStatusPage(res: ServerResponse): void {
    const status = this.opts.status;
    let metrics = 0;
    let series = 0;
    for (const m of this.opts.store.metrics()) {
      if (m.spec.hidden) continue;
      metrics++;
      series += m.size;
    }
    const html = renderStatusPage({
      version: status.version,
      startedAt: status.startedAt,
      now: Date.now(),
      programs: status.programs(),
      sources: status.sources(),
      metrics: { metrics, series },
    });
    // Defaults; a header from the web config takes precedence.
    if (!res.hasHeader('Content-Security-Policy')) res.setHeader('Content-Security-Policy', STATUS_PAGE_CSP);
    if (!res.hasHeader('X-Content-Type-Options')) res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.statusCode = 200;
    res.end(html);
  }

  private failed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    // A scraper that hung up (timeout, restart) is routine; anything else is ours.
    const clientGone = code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
    this.opts.logger?.log(clientGone ? 'debug' : 'warn', 'http_response_failed', {
      path: req.url,
      error: err instanceof Error ? err.message : String(err),
    });
    if (!res.headersSent) {
      res.removeHeader('Content-Encoding');
      plain(res, 500, 'Internal Server Error');
    } else {
      res.destroy();
    }
  }
}

/** Whether a TLS client's certificate satisfies the policies Node cannot enforce in the handshake. */
function clientCertificateAcceptable(socket: TLSSocket, policy: ClientAuthType): boolean {
  const cert = socket.getPeerCertificate();
  const presented = cert !== null && Object.keys(cert).length > 0;
  if (policy === 'RequireAnyClientCert') return presented;
  if (policy === 'VerifyClientCertIfGiven') return !presented || socket.authorized;
  return true;
}

/** The path of a request target (origin or absolute form), or undefined when it is not a URL. */
function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** A short text response; the body ends with a newline, as Go's http.Error writes it. */
function plain(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', TEXT);
  res.end(body + '\n');
}
