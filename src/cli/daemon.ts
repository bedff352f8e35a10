import { watch } from 'chokidar';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { collectdFormatter } from '../export/push/collectd.js';
import { graphiteFormatter } from '../export/push/graphite.js';
import { MtailPusher, type PushTarget } from '../export/push/mtailpush.js';
import { statsdFormatter } from '../export/push/statsd.js';
import { ExporterServer } from '../export/server/index.js';
import type { Logger } from '../log/index.js';
import { Store, type NativeHistogramOptions } from '../metrics/index.js';
import { ProgramSet } from '../runtime/programs.js';
import { Tailer } from '../tail/index.js';
import type { RemoteWriteOptions, RemoteWriter } from '../export/push/remotewrite.js';
import { sampleFamilies, selfMetricsStore } from './selfmetrics.js';

export interface DaemonOptions {
  progs: string;
  logs: string[];
  address: string;
  port: number;
  fromStart: boolean;
  stateDir?: string;
  /** --rotated-dir: where rotation moves logs (logrotate's olddir), searched at start-up. */
  rotatedDirs?: string[];
  /** --udp-receive-buffer-bytes: SO_RCVBUF of each udp:// source. */
  udpReceiveBufferBytes?: number;
  pollIntervalMs: number;
  ignoreFilenameRegex?: RegExp;
  maxLineBytes: number;
  progLabel: boolean;
  timestamps: boolean;
  timezone?: string;
  syslogUseCurrentYear: boolean;
  webConfigFile?: string;
  /** --max-series-per-metric: most series one metric keeps (0: no cap). */
  maxSeriesPerMetric?: number;
  /** --max-series: most series all metrics keep together (0: no cap). */
  maxSeries?: number;
  /** --max-connections: most connections the exporter holds open at once. */
  maxConnections?: number;
  version: string;
  /** Keep native histograms beside the classic buckets. */
  nativeHistograms?: NativeHistogramOptions;
  /** Serve HTTP on this unix socket instead of address and port (mtail's -unix_socket). */
  unixSocket?: string;
  /** How often expired datums and datums over a limit are removed (default 30 s). */
  gcIntervalMs?: number;
  /** Log the first run-time error at each program position (default true). */
  logRuntimeErrors?: boolean;
  /** mtail's push outputs. */
  push?: PushOptions;
  remoteWrite?: RemoteWriteSettings;
}

/** Where and how often to push, as mtail's -graphite_host_port, -statsd_hostport, -collectd_socketpath. */
export interface PushOptions {
  graphiteHostPort?: string;
  graphitePrefix?: string;
  statsdHostPort?: string;
  statsdPrefix?: string;
  collectdSocketPath?: string;
  collectdPrefix?: string;
  intervalMs: number;
  deadlineMs: number;
}

function pushTargets(p: PushOptions | undefined): PushTarget[] {
  const targets: PushTarget[] = [];
  if (p === undefined) return targets;
  // mtail's order: collectd, graphite, statsd.
  if (p.collectdSocketPath) {
    targets.push({ name: 'collectd', network: 'unix', address: p.collectdSocketPath, format: collectdFormatter(p.collectdPrefix ?? '', hostname(), p.intervalMs) });
  }
  if (p.graphiteHostPort) targets.push({ name: 'graphite', network: 'tcp', address: p.graphiteHostPort, format: graphiteFormatter(p.graphitePrefix ?? '') });
  if (p.statsdHostPort) targets.push({ name: 'statsd', network: 'udp', address: p.statsdHostPort, format: statsdFormatter(p.statsdPrefix ?? '') });
  return targets;
}

/** Remote write to one or more URLs, the same settings for each. */
export interface RemoteWriteSettings extends Omit<RemoteWriteOptions, 'url' | 'progLabel' | 'logger' | 'userAgent'> {
  urls: string[];
}

// Expired datums (del ... after) and metrics over their limit are swept this often.
const GC_INTERVAL_MS = 30_000;
// Editors write a file in several steps; wait for them to finish before recompiling.
const RELOAD_DEBOUNCE_MS = 100;

/** The long-running mode: follow logs, keep programs live, serve /metrics until SIGINT or SIGTERM. */
export async function runDaemon(opts: DaemonOptions, logger: Logger, signals: NodeJS.EventEmitter = process): Promise<number> {
  const startedAt = Date.now();
  const store = new Store({
    nativeHistograms: opts.nativeHistograms,
    series: {
      maxPerMetric: opts.maxSeriesPerMetric ?? 0,
      maxTotal: opts.maxSeries ?? 0,
      onFirstRefusal: (metric, reason) =>
        logger.log('warn', 'series_refused', {
          prog: metric.spec.program,
          metric: metric.spec.exportedName,
          cap: reason === 'metric' ? `--max-series-per-metric ${opts.maxSeriesPerMetric}` : `--max-series ${opts.maxSeries}`,
          note: 'new label values of this metric are dropped and counted in logmetrics_series_refused_total; further refusals are not logged',
        }),
    },
  });
  const programs = new ProgramSet({ store, logger, progs: opts.progs, timezone: opts.timezone, syslogUseCurrentYear: opts.syslogUseCurrentYear, logRuntimeErrors: opts.logRuntimeErrors });
  programs.reloadAll();

  const tailer = new Tailer({
    patterns: opts.logs,
    fromStart: opts.fromStart,
    pollIntervalMs: opts.pollIntervalMs,
    maxLineBytes: opts.maxLineBytes,
    stateDir: opts.stateDir,
    rotatedDirs: opts.rotatedDirs,
    udpReceiveBufferBytes: opts.udpReceiveBufferBytes,
    ignoreFilenameRegex: opts.ignoreFilenameRegex,
    processor: programs,
    logger,
  });

  let writers: RemoteWriter[] = [];
  // The daemon's own metrics, remote writers' included, in a store the exposition writer walks like the programs' store.
  const selfMetrics = () => selfMetricsStore(tailer.stats(), programs.list(), startedAt, writers.flatMap((w) => w.families()), store.budget?.refusals());
  const selfFamilies = () => sampleFamilies(selfMetrics());
  // Checked before anything starts, so a bad host:port is a start-up error.
  const pusher = new MtailPusher({ store, targets: pushTargets(opts.push), intervalMs: opts.push?.intervalMs ?? 0, deadlineMs: opts.push?.deadlineMs ?? 10_000, logger });
  const server = new ExporterServer({
    unixSocket: opts.unixSocket,
    address: opts.address,
    port: opts.port,
    store,
    progLabel: opts.progLabel,
    emitTimestamps: opts.timestamps,
    webConfigFile: opts.webConfigFile,
    maxConnections: opts.maxConnections,
    logger,
    status: {
      version: opts.version,
      startedAt,
      programs: () => programs.list(),
      sources: () => Object.entries(tailer.stats().sources).map(([name, s]) => ({ name, ...s })),
    },
    selfMetrics,
  });
  // Listen before following logs: a web config or port that fails stops the start-up here,
  // with nothing left running that would keep the process alive without a listener.
  const bound = await server.listen();
  await tailer.start();
  logger.log('info', 'listening', { ...(opts.unixSocket ? { socket: opts.unixSocket } : { address: bound.address, port: bound.port }), progs: opts.progs, logs: opts.logs.join(',') });
  pusher.start();

  if (opts.remoteWrite !== undefined) {
    // Loaded only when used: protobuf and snappy stay out of a plain daemon's start-up.
    const { RemoteWriter } = await import('../export/push/remotewrite.js');
    const { urls, ...settings } = opts.remoteWrite;
    writers = urls.map(
      (url) => new RemoteWriter(store, { ...settings, url, progLabel: opts.progLabel, logger, userAgent: `logmetrics/${opts.version}` }, selfFamilies),
    );
    for (const w of writers) {
      w.start();
      logger.log('info', 'remote_write', { url: w.name, interval_ms: settings.intervalMs });
    }
  }

  // Programs stay live: a changed, added or removed .mtail file reloads just that program.
  const pending = new Map<string, NodeJS.Timeout>();
  const progWatcher = watch(opts.progs, { ignoreInitial: true, depth: 0 });
  const onProgChange = (file: string) => {
    if (!programs.owns(file)) return;
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        if (existsSync(file)) programs.load(file);
        else programs.unload(file);
      }, RELOAD_DEBOUNCE_MS),
    );
  };
  progWatcher.on('add', onProgChange).on('change', onProgChange).on('unlink', onProgChange);
  progWatcher.on('error', (err) => logger.log('warn', 'progs_watch_error', { error: String(err) }));

  const gc = setInterval(() => store.gc(Date.now()), opts.gcIntervalMs ?? GC_INTERVAL_MS);
  const onHup = () => {
    logger.log('info', 'sighup', { action: opts.webConfigFile ? 'reloading all programs and the web config' : 'reloading all programs' });
    programs.reloadAll();
    server.reloadWebConfig();
  };
  signals.on('SIGHUP', onHup);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.log('info', 'shutting_down', { signal });
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  signals.off('SIGHUP', onHup);
  clearInterval(gc);
  for (const t of pending.values()) clearTimeout(t);
  await pusher.stop();
  await progWatcher.close();
  await tailer.stop();
  // A last push of the final values, within a few seconds.
  await Promise.all(writers.map((w) => w.stop(5000)));
  await server.close();
  logger.log('info', 'stopped', {});
  return 0;
}
