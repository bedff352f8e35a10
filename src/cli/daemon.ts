import { watch } from 'chokidar';
import type { CheckLimits } from '../lang/checker/index.js';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { collectdFormatter } from '../export/push/collectd.js';
import { graphiteFormatter } from '../export/push/graphite.js';
import { MtailPusher, type PushTarget } from '../export/push/mtailpush.js';
import { statsdFormatter } from '../export/push/statsd.js';
import { ExporterServer } from '../export/server/index.js';
import type { Logger } from '../log/index.js';
import { Store, type NativeHistogramOptions } from '../metrics/index.js';
import { ProgramSet, type Binding } from '../runtime/programs.js';
import { Tailer } from '../tail/index.js';
import type { RemoteWriteOptions, RemoteWriter } from '../export/push/remotewrite.js';
import { sampleFamilies, selfMetricsStore } from './selfmetrics.js';
import type { SampleFamily } from '../export/families.js';

export interface DaemonOptions {
  /** The programs when there are no bindings: every one reads every log. */
  progs?: string;
  /** Every log to follow (with bindings, those the bindings name). */
  logs: string[];
  /** Which programs read which logs (a config file's pipelines). */
  bindings?: Binding[];
  /** The config file the bindings come from, reread on SIGHUP and when it changes. */
  config?: ConfigSource;
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
  /** mtail's -max_recursion_depth and -max_regexp_length, for every load and reload. */
  limits?: CheckLimits;
  /** mtail's push outputs. */
  push?: PushOptions;
  remoteWrite?: RemoteWriteSettings;
}

/** A config file as the daemon sees it. */
export interface ConfigSource {
  file: string;
  /**
   * Rereads the file: its pipelines; undefined when its text did not change (unless `force`);
   * { error } when it cannot be used (already logged: the running pipelines go on).
   */
  reload(force: boolean): { bindings: Binding[]; logs: string[] } | { error: string } | undefined;
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
  const programs = new ProgramSet({ store, logger, progs: opts.progs, timezone: opts.timezone, syslogUseCurrentYear: opts.syslogUseCurrentYear, logRuntimeErrors: opts.logRuntimeErrors, limits: opts.limits });
  if (opts.bindings) programs.bind(opts.bindings);
  else programs.reloadAll();

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
  /** The config file's last reload, as Prometheus shows its own (prometheus_config_last_reload_*). */
  const configStatus = { ok: true, reloadedAt: startedAt, failures: 0 };
  const configFamilies = (): SampleFamily[] =>
    opts.config === undefined
      ? []
      : [
          { name: 'logmetrics_config_last_reload_successful', type: 'gauge', help: 'Whether the last reload of the --config file succeeded (0: the previous configuration is running).', samples: [[{}, configStatus.ok ? 1 : 0]] },
          { name: 'logmetrics_config_last_reload_success_timestamp_seconds', type: 'gauge', help: 'Unix time of the last successful load of the --config file.', samples: [[{}, Math.floor(configStatus.reloadedAt / 1000)]] },
          { name: 'logmetrics_config_reload_failures_total', type: 'counter', help: 'Reloads of the --config file that failed (a bad file, a socket that cannot be bound).', samples: [[{}, configStatus.failures]] },
        ];
  // The daemon's own metrics, remote writers' included, in a store the exposition writer walks like the programs' store.
  const selfMetrics = () => selfMetricsStore(tailer.stats(), programs.list(), startedAt, [...writers.flatMap((w) => w.families()), ...configFamilies()], store.budget?.refusals());
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
  if (opts.remoteWrite !== undefined) {
    // Loaded only when used: protobuf and snappy stay out of a plain daemon's start-up. Made
    // here, before anything listens, so a TLS file that cannot be read is a start-up error.
    const { RemoteWriter } = await import('../export/push/remotewrite.js');
    const { urls, ...settings } = opts.remoteWrite;
    writers = urls.map(
      (url) => new RemoteWriter(store, { ...settings, url, progLabel: opts.progLabel, logger, userAgent: `logmetrics/${opts.version}` }, selfFamilies),
    );
  }
  // Listen before following logs: a web config or port that fails stops the start-up here,
  // with nothing left running that would keep the process alive without a listener.
  const bound = await server.listen();
  await tailer.start();
  logger.log('info', 'listening', {
    ...(opts.unixSocket ? { socket: opts.unixSocket } : { address: bound.address, port: bound.port }),
    ...(opts.config ? { config: opts.config.file, pipelines: opts.bindings?.length } : { progs: opts.progs }),
    logs: opts.logs.join(','),
  });
  pusher.start();
  for (const w of writers) {
    w.start();
    logger.log('info', 'remote_write', { url: w.name, interval_ms: opts.remoteWrite?.intervalMs });
  }

  // Programs stay live: a changed, added or removed .mtail file reloads just that program.
  const pending = new Map<string, NodeJS.Timeout>();
  let watchedProgs = [...programs.paths()];
  const progWatcher = watch(watchedProgs, { ignoreInitial: true, depth: 0 });
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

  // The config file: a new text rebinds the pipelines; one that cannot be used leaves them running.
  let configChain = Promise.resolve();
  const reloadConfig = (force: boolean): Promise<void> => {
    const config = opts.config;
    if (config === undefined) return Promise.resolve();
    configChain = configChain.then(async () => {
      const next = config.reload(force);
      if (next === undefined) return;
      if ('error' in next) {
        configStatus.failures++;
        configStatus.ok = false;
        return;
      }
      programs.bind(next.bindings);
      try {
        await tailer.setPatterns(next.logs);
      } catch (err) {
        // A socket that cannot be bound: the programs are rebound, the sources stay as they were.
        configStatus.failures++;
        configStatus.ok = false;
        logger.log('error', 'config_reload_failed', { file: config.file, error: (err as Error).message, still_running: 'the previous sources' });
        return;
      }
      const paths = programs.paths();
      progWatcher.add(paths.filter((p) => !watchedProgs.includes(p)));
      progWatcher.unwatch(watchedProgs.filter((p) => !paths.includes(p)));
      watchedProgs = [...paths];
      configStatus.ok = true;
      configStatus.reloadedAt = Date.now();
      logger.log('info', 'config_reloaded', { file: config.file, pipelines: next.bindings.length, logs: next.logs.join(',') });
    });
    return configChain;
  };
  let configWatcher: ReturnType<typeof watch> | undefined;
  let configTimer: NodeJS.Timeout | undefined;
  if (opts.config) {
    // The folder, not the file: editors and Kubernetes (a ConfigMap's ..data link) replace the file.
    configWatcher = watch(dirname(resolve(opts.config.file)), { ignoreInitial: true, depth: 0 });
    const name = basename(opts.config.file);
    const onConfigEvent = (_event: string, p: string) => {
      // The file itself, or a ConfigMap's ..data link and ..timestamp folders switched under it.
      if (basename(p) !== name && !basename(p).startsWith('..')) return;
      clearTimeout(configTimer);
      configTimer = setTimeout(() => void reloadConfig(false), RELOAD_DEBOUNCE_MS);
    };
    configWatcher.on('all', onConfigEvent);
    configWatcher.on('error', (err) => logger.log('warn', 'config_watch_error', { error: String(err) }));
  }

  const gc = setInterval(() => store.gc(Date.now()), opts.gcIntervalMs ?? GC_INTERVAL_MS);
  const onHup = () => {
    const what = [opts.config && 'the config file', 'all programs', opts.webConfigFile && 'the web config'].filter(Boolean).join(', ');
    logger.log('info', 'sighup', { action: `reloading ${what}` });
    void reloadConfig(true).then(() => {
      programs.reloadAll();
      server.reloadWebConfig();
    });
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
  clearTimeout(configTimer);
  await configWatcher?.close();
  await configChain;
  await tailer.stop();
  // A last push of the final values, within a few seconds.
  await Promise.all(writers.map((w) => w.stop(5000)));
  await server.close();
  logger.log('info', 'stopped', {});
  return 0;
}
