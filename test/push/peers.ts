// The servers the push and native-histogram tests run for real: Prometheus
// (started by ../e2e/peers.ts, with native histograms or the remote-write
// receiver), VictoriaMetrics and the Pushgateway, each from its Debian package, on 127.0.0.1 with its data in
// a temp dir. A missing binary fails the test with the package to install.
import { join } from 'node:path';
import { freePort, get, startPeer, waitUntil, type Peer, type Teardown } from '../daemon/helpers.js';
import { instantQuery, requireBinary, type QueryServer } from '../e2e/peers.js';

export { startPrometheus, type PrometheusOptions, type QuerySample, type QueryServer } from '../e2e/peers.js';

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
  // Debian's package persists to /var/lib/prometheus by default: a test keeps its groups in memory.
  const peer = startPeer(t, pg, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn']);
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
