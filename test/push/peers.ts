// The servers the push and native-histogram tests run for real: Prometheus
// (with native histograms or the remote-write receiver), VictoriaMetrics and
// the Pushgateway, each from its Debian package, on 127.0.0.1 with its data in
// a temp dir. A missing binary fails the test with the package to install.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, get, startPeer, waitUntil, type Peer, type Teardown } from '../daemon/helpers.js';
import { requireBinary } from '../e2e/peers.js';

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

async function instantQuery(port: number, path: string, expr: string, time?: number): Promise<QuerySample[]> {
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

/** Starts VictoriaMetrics (single node) under `dir`; resolves once it answers /health. */
export async function startVictoriaMetrics(t: Teardown, dir: string, port?: number): Promise<QueryServer> {
  const vm = requireBinary('victoria-metrics', 'victoria-metrics');
  const p = port ?? (await freePort());
  const peer = startPeer(t, vm, [
    `-storageDataPath=${join(dir, 'vm-data')}`,
    `-httpListenAddr=127.0.0.1:${p}`,
    '-loggerLevel=ERROR',
    // Samples must be searchable at once, not after the default 30 s cache.
    '-search.latencyOffset=0s',
    '-search.disableCache',
  ]);
  await waitUntil(
    () => `VictoriaMetrics to be ready; it said:\n${peer.output()}`,
    async () => {
      if (peer.hasExited()) throw new Error(`victoria-metrics exited:\n${peer.output()}`);
      const r = await get(`http://127.0.0.1:${p}/health`);
      return r.status === 200 ? true : undefined;
    },
    60_000,
    200,
  );
  return { port: p, peer, query: (expr, time) => instantQuery(p, '/api/v1/query', expr, time), stop: () => peer.stop() };
}

/** A running Pushgateway. */
export interface Pushgateway {
  port: number;
  peer: Peer;
}

/** Starts the Pushgateway on a free port; resolves once it is ready. */
export async function startPushgateway(t: Teardown): Promise<Pushgateway> {
  const pg = requireBinary('prometheus-pushgateway', 'prometheus-pushgateway');
  const port = await freePort();
  const peer = startPeer(t, pg, [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
  await waitUntil(
    () => `the Pushgateway to be ready; it said:\n${peer.output()}`,
    async () => {
      if (peer.hasExited()) throw new Error(`prometheus-pushgateway exited:\n${peer.output()}`);
      const r = await get(`http://127.0.0.1:${port}/-/ready`);
      return r.status === 200 ? true : undefined;
    },
    60_000,
    200,
  );
  return { port, peer };
}

/** The one value of an instant query that must return exactly one series. */
export async function scalarOf(server: QueryServer, expr: string, time?: number): Promise<number> {
  const r = await server.query(expr, time);
  if (r.length !== 1) throw new Error(`${expr}: expected one series, got ${JSON.stringify(r)}`);
  return Number(r[0]!.value[1]);
}
