import { readFileSync } from 'node:fs';
import { type CheckLimits, DEFAULT_LIMITS } from '../lang/checker/index.js';
import { MAX_RECURSION_DEPTH } from '../lang/compile.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { checkCommand, checkConfig } from './check.js';
import { applySettings, bindingsOf, changedSettings, ConfigError, readRunConfig, settingSpecs } from './configfile.js';
import { parseConfig, readConfigText, type LogmetricsConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { explainCommand } from './explain.js';
import { generateCommand } from './generate.js';
import { createLogger, LEVELS, type Level } from '../log/index.js';
import { parseDuration } from '../go/duration.js';
import { DEFAULT_MAX_LINE_BYTES } from '../tail/lineSplitter.js';
import { DEFAULT_UDP_RECEIVE_BUFFER_BYTES } from '../tail/udpDrops.js';
import { DEFAULT_NATIVE_HISTOGRAMS, type NativeHistogramOptions } from '../metrics/native.js';
import type { ClientAuth, ClientTls } from '../export/push/client.js';
import type { RemoteWriteSettings } from './daemon.js';
import { type Translation, translateMtailArgs } from './mtailflags.js';
import { type OneShotOptions, type OutputFormat, runOneShot } from './oneshot.js';
import { testCommand } from './testcmd.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** mtail's -max_recursion_depth and -max_regexp_length, with mtail's defaults; run and check take both. */
const MAX_RECURSION_DEPTH_OPTION = [
  '--max-recursion-depth <n>',
  `deepest program tree accepted, counted as mtail counts it (mtail's -max_recursion_depth; at most ${MAX_RECURSION_DEPTH})`,
  (v: string) => Math.min(positiveInt(v), MAX_RECURSION_DEPTH),
  DEFAULT_LIMITS.maxRecursionDepth,
] as const;
const MAX_REGEXP_LENGTH_OPTION = [
  '--max-regexp-length <bytes>',
  "longest pattern accepted (mtail's -max_regexp_length)",
  positiveInt,
  DEFAULT_LIMITS.maxRegexLength,
] as const;

function compileLimits(opts: Record<string, unknown>): CheckLimits {
  return { maxRecursionDepth: opts.maxRecursionDepth as number, maxRegexLength: opts.maxRegexpLength as number };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

/** A Go duration ("250ms", "1s") or a number of milliseconds. */
function duration(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 250ms or 1s.');
  return ms;
}

function schema(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < -4 || n > 8) throw new InvalidArgumentError('expected a whole number from -4 to 8.');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0.');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

/** Repeatable option: each use adds one value. */
function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value);
}

/** Repeatable `name=value` option (labels): each use adds one pair. */
function labelPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  const name = eq < 0 ? '' : value.slice(0, eq);
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) {
    throw new InvalidArgumentError(`expected name=value with a Prometheus label name (not starting with __), got ${JSON.stringify(value)}.`);
  }
  return { ...previous, [name]: value.slice(eq + 1) };
}

/** The remote-write settings of `run`, one per --remote-write.url. */
function remoteWriteOptions(opts: Record<string, unknown>): RemoteWriteSettings | undefined {
  const urls = (opts['remoteWrite.url'] as string[] | undefined) ?? [];
  if (urls.length === 0) {
    refuseClientAuthAlone(opts, CLIENT_FLAGS.remoteWrite);
    return undefined;
  }
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new InvalidArgumentError(`--remote-write.url ${u}: not a URL.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidArgumentError(`--remote-write.url ${u}: only http:// and https:// are supported.`);
  }
  return {
    urls,
    intervalMs: opts['remoteWrite.interval'] as number,
    timeoutMs: opts['remoteWrite.timeout'] as number,
    queueCapacity: opts['remoteWrite.queueCapacity'] as number,
    maxSamplesPerSend: opts['remoteWrite.maxSamplesPerSend'] as number,
    externalLabels: (opts['remoteWrite.externalLabel'] as Record<string, string> | undefined) ?? {},
    ...clientAuthOptions(opts, CLIENT_FLAGS.remoteWrite, urls),
  };
}

/** The two HTTP pushes that take credentials and TLS, by the flags' prefix. */
const CLIENT_FLAGS = {
  remoteWrite: { key: 'remoteWrite', flag: '--remote-write', url: '--remote-write.url', whom: 'remote write', peer: 'the receiver', peers: "the receiver's" },
  pushGateway: { key: 'pushGateway', flag: '--push-gateway', url: '--push-gateway', whom: 'the Pushgateway', peer: 'the Pushgateway', peers: "the Pushgateway's" },
} as const;
const CLIENT_SETTINGS = ['basicAuth.username', 'basicAuth.passwordFile', 'bearerTokenFile', 'tls.caFile', 'tls.certFile', 'tls.keyFile', 'tls.serverName', 'tls.insecureSkipVerify'];
type ClientFlags = (typeof CLIENT_FLAGS)[keyof typeof CLIENT_FLAGS];

/** Adds the credential and TLS flags of one push, as Prometheus names them in its http client config. */
function addClientAuthOptions(command: Command, { flag, whom, peer, peers }: ClientFlags): Command {
  return command
    .option(`${flag}.basic-auth.username <name>`, `basic auth user for ${whom}`)
    .option(`${flag}.basic-auth.password-file <file>`, 'file holding the basic auth password (read at each push)')
    .option(`${flag}.bearer-token-file <file>`, 'file holding a bearer token (read at each push)')
    .option(`${flag}.tls.ca-file <file>`, `CA certificates to verify ${peer} with`)
    .option(`${flag}.tls.cert-file <file>`, `client certificate for ${whom}`)
    .option(`${flag}.tls.key-file <file>`, `client key for ${whom}`)
    .option(`${flag}.tls.server-name <name>`, `name to verify ${peers} certificate against`)
    .option(`${flag}.tls.insecure-skip-verify`, `do not verify ${peers} certificate`);
}

/** Refuses credential and TLS flags given without the push they are for (they would do nothing). */
function refuseClientAuthAlone(opts: Record<string, unknown>, { key, flag, url }: ClientFlags): void {
  const given = CLIENT_SETTINGS.find((name) => opts[`${key}.${name}`] !== undefined);
  if (given === undefined) return;
  const shown = given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new InvalidArgumentError(`${flag}.${shown} goes with ${url}.`);
}

/** The credentials and TLS of one push, checked against each other and the URLs they go to. */
function clientAuthOptions(opts: Record<string, unknown>, { key, flag, whom }: ClientFlags, urls: string[]): ClientAuth {
  const get = (name: string) => opts[`${key}.${name}`] as string | undefined;
  const username = get('basicAuth.username');
  const passwordFile = get('basicAuth.passwordFile');
  if ((username === undefined) !== (passwordFile === undefined)) {
    throw new InvalidArgumentError(`${flag}.basic-auth.username and ${flag}.basic-auth.password-file go together.`);
  }
  const bearerTokenFile = get('bearerTokenFile');
  if (username !== undefined && bearerTokenFile !== undefined) throw new InvalidArgumentError(`use basic auth or a bearer token for ${whom}, not both.`);
  if ((username !== undefined || bearerTokenFile !== undefined) && urls.some((u) => new URL(u).username !== '')) {
    throw new InvalidArgumentError(`give the credentials of ${whom} in its URL or with ${flag}.basic-auth.* / ${flag}.bearer-token-file, not both.`);
  }
  const tls: ClientTls = {
    caFile: get('tls.caFile'),
    certFile: get('tls.certFile'),
    keyFile: get('tls.keyFile'),
    serverName: get('tls.serverName'),
    insecureSkipVerify: Boolean(opts[`${key}.tls.insecureSkipVerify`]),
  };
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) throw new InvalidArgumentError(`${flag}.tls.cert-file and ${flag}.tls.key-file go together.`);
  const anyTls = Object.values(tls).some((v) => v !== undefined && v !== false);
  if (anyTls && !urls.some((u) => new URL(u).protocol === 'https:')) {
    throw new InvalidArgumentError(`${flag}.tls.* apply to https:// URLs, and ${whom} has none.`);
  }
  return { basicAuth: username !== undefined ? { username, passwordFile: passwordFile! } : undefined, bearerTokenFile, tls };
}

/** The Pushgateway settings of a one-shot `run`, or undefined without --push-gateway. */
function pushGatewayOptions(opts: Record<string, unknown>): OneShotOptions['pushGateway'] {
  const url = opts.pushGateway as string | undefined;
  if (url === undefined) {
    if (opts.job !== undefined || opts['pushGateway.label'] !== undefined) throw new InvalidArgumentError('--job and --push-gateway.label go with --push-gateway.');
    refuseClientAuthAlone(opts, CLIENT_FLAGS.pushGateway);
    return undefined;
  }
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new InvalidArgumentError(`--push-gateway ${url}: expected an http:// or https:// URL.`);
  }
  const job = opts.job as string | undefined;
  if (job === undefined || job === '') throw new InvalidArgumentError('--push-gateway needs --job NAME: the job label of the pushed group.');
  const labels = (opts['pushGateway.label'] as Record<string, string> | undefined) ?? {};
  if ('job' in labels) throw new InvalidArgumentError('give the job with --job, not --push-gateway.label job=...');
  return { url, job, labels, method: opts['pushGateway.method'] === 'post' ? 'POST' : 'PUT', ...clientAuthOptions(opts, CLIENT_FLAGS.pushGateway, [url]) };
}

/** The native histogram settings of `run`, or undefined when --native-histograms is off. */
function nativeHistogramOptions(opts: Record<string, unknown>): NativeHistogramOptions | undefined {
  if (!opts.nativeHistograms) return undefined;
  return {
    schema: opts['nativeHistograms.schema'] as number,
    maxBuckets: opts['nativeHistograms.maxBuckets'] as number,
    zeroThreshold: opts['nativeHistograms.zeroThreshold'] as number,
  };
}

/** Like duration, but 0 is allowed (it turns the feature off, as in mtail). */
function durationOrZero(value: string): number {
  if (/^0+(?:[a-zµ]+)?$/.test(value)) return 0;
  return duration(value);
}

function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Colours only on a terminal, and never when NO_COLOR is set (no-color.org). */
function wantsColor(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR;
}

/** `--logs a,b --logs c` → [a, b, c]. */
function splitList(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

/**
 * What the daemon calls to reread its config file: the new pipelines, or undefined when the
 * file is unchanged (and not `force`d) or cannot be used (the error is logged with its
 * position, and the pipelines running go on). Other settings take effect at a restart.
 */
function configReloader(run: Command, first: LogmetricsConfig, logger: Logger) {
  let current = first;
  /** The text of the last file that could not be used: said once, not at every event of its folder. */
  let failedText: string | undefined;
  return (force: boolean) => {
    let next: LogmetricsConfig;
    try {
      const text = readConfigText(first.file);
      if (!force && (text === current.text || text === failedText)) return undefined;
      failedText = text;
      next = parseConfig(text, first.file, settingSpecs(run));
      failedText = undefined;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      logger.log('error', 'config_reload_failed', { error: err.message, still_running: 'the previous configuration' });
      return { error: err.message };
    }
    const changed = changedSettings(current, next);
    if (changed.length) logger.log('warn', 'config_restart_needed', { file: first.file, settings: changed.join(','), note: 'settings other than pipelines take effect when logmetrics restarts' });
    current = next;
    return bindingsOf(next);
  };
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Builds the command-line interface; actions record their exit status in `status`. */
function buildProgram(io: Streams, status: { code: number }): Command {
  const program = new Command('logmetrics')
    .description('Turn log files into Prometheus metrics with mtail programs.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride();

  const run = program
    .command('run')
    .description('run programs over logs and export the metrics')
    .option('--progs <path>', 'an .mtail file, or a directory whose .mtail files are the programs (every program reads every log of --logs)')
    .option('--config <file>', 'logmetrics.yml: pipelines (which programs read which logs) and any other setting of run under its long option name; flags given here win; reread on SIGHUP and when it changes')
    .option('--logs <paths>', 'logs to follow: paths, globs, - (stdin), unix:///socket, udp://host:port (repeatable, comma-separated)', splitList, [])
    .option('--one-shot', 'read each log from start to end, print the metrics and exit')
    .option('--port <port>', 'HTTP port of the exporter', port, 3903)
    .option('--address <address>', 'address the exporter listens on (all interfaces when empty)', '')
    .option('--from-start', 'read files that exist at start-up from their start, not their end')
    .option('--state-dir <dir>', 'keep read positions here so a restart resumes where it stopped')
    .option('--rotated-dir <dir>', "with --state-dir: where rotation moves logs (logrotate's olddir; relative to each log's directory); a log moved there while stopped is read to its end (repeatable)", collect)
    .option('--udp-receive-buffer-bytes <n>', 'receive buffer of each udp:// source; the kernel caps it at net.core.rmem_max (logged), and drops datagrams beyond it (counted in logmetrics_log_receive_drops_total)', positiveInt, DEFAULT_UDP_RECEIVE_BUFFER_BYTES)
    .addOption(new Option('--poll-interval <duration>', 'how often files are checked for changes when the file system sends no events').argParser(duration).default(250, '250ms'))
    .option('--ignore-filename-regex <regex>', 'skip files matched by a glob whose name matches this', regex)
    .option('--web.config.file <file>', 'TLS and basic-auth settings for the exporter (Prometheus exporter-toolkit format); reread on SIGHUP')
    .option('--max-connections <n>', 'most connections the exporter holds open at once; more are refused', positiveInt, 128)
    .option('--max-series-per-metric <n>', 'most series (label value lists) one metric keeps; new ones beyond are dropped and counted (0: no cap)', nonNegativeInt, 100_000)
    .option('--max-series <n>', 'most series all metrics keep together (0: no cap)', nonNegativeInt, 1_000_000)
    .addOption(new Option('--format <format>', "output format of --one-shot (mtail-json: mtail -one_shot's object keyed by metric name)").choices(['prometheus', 'openmetrics', 'json', 'mtail-json', 'table']).default('prometheus'))
    .option('--threads <n>', 'threads that share the programs of --one-shot (1: no worker thread); by default one per core, up to 4, when the logs hold 32 MiB or more', positiveInt)
    .option('--no-prog-label', 'leave out the prog label that names the program on every sample')
    .option('--emit-metric-timestamp', 'append each sample\'s last update time')
    .option('--override-timezone <zone>', 'zone for strptime layouts without one (IANA name), default UTC')
    .option('--max-line-bytes <n>', 'cut lines longer than this (bytes)', positiveInt, DEFAULT_MAX_LINE_BYTES)
    .option(...MAX_RECURSION_DEPTH_OPTION)
    .option(...MAX_REGEXP_LENGTH_OPTION)
    .option('--no-syslog-use-current-year', 'keep year 0 for timestamps without a year instead of the current year')
    .addOption(new Option('--log-level <level>', 'least severe event logged on stderr').choices(LEVELS).default('info'))
    // Native histograms (issue 14): settings as in Prometheus' client libraries.
    .option('--native-histograms', 'keep every histogram also as a native (sparse exponential) histogram, served in the protobuf exposition')
    .addOption(new Option('--native-histograms.schema <n>', 'resolution of native histograms, -4 to 8 (3: buckets grow by 2^(1/8), about 1.09)').argParser(schema).default(DEFAULT_NATIVE_HISTOGRAMS.schema))
    .addOption(new Option('--native-histograms.max-buckets <n>', 'most buckets of one native histogram before its resolution is halved (0: no limit)').argParser(nonNegativeInt).default(DEFAULT_NATIVE_HISTOGRAMS.maxBuckets))
    .addOption(new Option('--native-histograms.zero-threshold <v>', 'observations within ±v count in the zero bucket').argParser(nonNegativeNumber).default(DEFAULT_NATIVE_HISTOGRAMS.zeroThreshold, '2^-128'))
    // Remote write (issue 14): the daemon pushes every interval; names follow Prometheus' remote_write config.
    .option('--remote-write.url <url>', 'push all metrics to this Prometheus remote-write endpoint (repeatable)', collect)
    .addOption(new Option('--remote-write.interval <duration>', 'how often the metrics are pushed').argParser(duration).default(15_000, '15s'))
    .addOption(new Option('--remote-write.timeout <duration>', 'how long one push may take').argParser(duration).default(30_000, '30s'))
    .option('--remote-write.queue-capacity <samples>', 'most samples waiting while the receiver is away; the oldest are dropped (and counted) beyond', positiveInt, 500_000)
    .option('--remote-write.max-samples-per-send <n>', 'most samples in one request', positiveInt, 2000)
    .option('--remote-write.external-label <name=value>', 'a label added to every pushed series that has none of that name (repeatable)', labelPair);
  addClientAuthOptions(run, CLIENT_FLAGS.remoteWrite)
    // mtail's own outputs and knobs (their mtail spellings are translated in mtailflags.ts).
    .option('--unix-socket <path>', 'serve HTTP on this unix socket instead of --address/--port')
    .addOption(new Option('--expired-metrics-gc-interval <duration>', 'how often expired datums (del ... after) and datums over a limit are removed').argParser(duration).default(30_000, '30s'))
    .option('--graphite-host-port <host:port>', 'push the metrics to this carbon server (plaintext protocol over TCP) every --metric-push-interval')
    .option('--graphite-prefix <prefix>', 'prepended to every graphite path', '')
    .option('--statsd-hostport <host:port>', 'push the metrics to this statsd server (UDP) every --metric-push-interval')
    .option('--statsd-prefix <prefix>', 'prepended to every statsd name', '')
    .option('--collectd-socketpath <path>', "push the metrics to collectd's unixsock socket (PUTVAL) every --metric-push-interval")
    .option('--collectd-prefix <prefix>', 'prepended to the collectd plugin name', '')
    .addOption(new Option('--metric-push-interval <duration>', 'interval between pushes to graphite, statsd and collectd (0: no push)').argParser(durationOrZero).default(60_000, '1m'))
    .addOption(new Option('--metric-push-write-deadline <duration>', 'longest one push may take').argParser(duration).default(10_000, '10s'))
    .option('--no-log-runtime-errors', 'count run-time errors of programs without logging them')
    // The Pushgateway (issue 14): a --one-shot run pushes its results once.
    .option('--push-gateway <url>', 'with --one-shot: push the results to this Pushgateway (e.g. http://pushgateway:9091)')
    .option('--job <name>', 'the job label of the pushed group (required with --push-gateway)')
    .option('--push-gateway.label <name=value>', 'a grouping label of the pushed group besides job (repeatable)', labelPair)
    .addOption(new Option('--push-gateway.method <method>', 'put replaces the whole group, post only the metrics of the same names').choices(['put', 'post']).default('put'));
  addClientAuthOptions(run, CLIENT_FLAGS.pushGateway)
    .action(async (_opts, command: Command) => {
      const configFile = _opts.config as string | undefined;
      const config = configFile === undefined ? undefined : readRunConfig(command, configFile);
      if (config) applySettings(command, config);
      const opts = command.opts();
      const nativeHistograms = nativeHistogramOptions(opts);
      const remoteWrite = remoteWriteOptions(opts);
      const logger = createLogger(opts.logLevel as Level, io.err);
      // --progs or --logs on the command line replace the file's pipelines, as any flag wins over the file.
      const pipelinesFromCli = command.getOptionValueSource('progs') === 'cli' || command.getOptionValueSource('logs') === 'cli';
      if (config && pipelinesFromCli) logger.log('warn', 'config_pipelines_overridden', { file: configFile, note: '--progs/--logs on the command line replace the pipelines of the config file' });
      const pipelines = config && !pipelinesFromCli ? bindingsOf(config) : undefined;
      if (pipelines === undefined && opts.progs === undefined) throw new InvalidArgumentError('--progs is required: an .mtail file or a directory of them (or --config logmetrics.yml with pipelines).');
      if (!opts.oneShot && opts.pushGateway !== undefined) {
        throw new InvalidArgumentError('--push-gateway is for --one-shot runs; the daemon is scraped, or pushes with --remote-write.url.');
      }
      if (opts.rotatedDir !== undefined && opts.stateDir === undefined) {
        throw new InvalidArgumentError('--rotated-dir needs --state-dir: only the saved positions say which file to look for there.');
      }
      if (!opts.oneShot) {
        // Loaded on demand: one-shot runs need neither the HTTP server nor the file watcher.
        const { runDaemon } = await import('./daemon.js');
        status.code = await runDaemon(
          {
            progs: opts.progs,
            logs: pipelines?.logs ?? opts.logs,
            bindings: pipelines?.bindings,
            config: pipelines && { file: configFile!, reload: configReloader(command, config!, logger) },
            address: opts.address,
            port: opts.port,
            fromStart: Boolean(opts.fromStart),
            stateDir: opts.stateDir,
            rotatedDirs: opts.rotatedDir,
            udpReceiveBufferBytes: opts.udpReceiveBufferBytes,
            pollIntervalMs: opts.pollInterval,
            ignoreFilenameRegex: opts.ignoreFilenameRegex,
            maxLineBytes: opts.maxLineBytes,
            progLabel: opts.progLabel,
            timestamps: Boolean(opts.emitMetricTimestamp),
            timezone: opts.overrideTimezone,
            syslogUseCurrentYear: opts.syslogUseCurrentYear,
            webConfigFile: opts['web.config.file'],
            maxConnections: opts.maxConnections,
            maxSeriesPerMetric: opts.maxSeriesPerMetric,
            maxSeries: opts.maxSeries,
            version: VERSION,
            nativeHistograms,
            remoteWrite,
            unixSocket: opts.unixSocket,
            gcIntervalMs: opts.expiredMetricsGcInterval,
            logRuntimeErrors: opts.logRuntimeErrors,
            limits: compileLimits(opts),
            push: {
              graphiteHostPort: opts.graphiteHostPort,
              graphitePrefix: opts.graphitePrefix,
              statsdHostPort: opts.statsdHostport,
              statsdPrefix: opts.statsdPrefix,
              collectdSocketPath: opts.collectdSocketpath,
              collectdPrefix: opts.collectdPrefix,
              intervalMs: opts.metricPushInterval,
              deadlineMs: opts.metricPushWriteDeadline,
            },
          },
          logger,
        );
        return;
      }
      if (pipelines === undefined && opts.logs.length === 0) throw new InvalidArgumentError('--logs is required with --one-shot: name at least one log file.');
      if (remoteWrite !== undefined) throw new InvalidArgumentError('--remote-write.url needs the daemon; a --one-shot run pushes its results with --push-gateway.');
      const pushGateway = pushGatewayOptions(opts);
      // Pushing is for cron jobs: the results go to the Pushgateway, stdout stays quiet unless --format is given.
      const quiet = pushGateway !== undefined && command.getOptionValueSource('format') === 'default';
      status.code = await runOneShot(
        {
          progs: opts.progs,
          logs: opts.logs,
          bindings: pipelines?.bindings,
          format: opts.format as OutputFormat,
          progLabel: opts.progLabel,
          timestamps: Boolean(opts.emitMetricTimestamp),
          timezone: opts.overrideTimezone,
          maxLineBytes: opts.maxLineBytes,
          syslogUseCurrentYear: opts.syslogUseCurrentYear,
          threads: opts.threads,
          color: wantsColor(io.out),
          nativeHistograms,
          pushGateway,
          quiet,
          limits: compileLimits(opts),
        },
        io.out,
        io.err,
        logger,
      );
    });

  program
    .command('test')
    .description('run a program over a log and compare its metrics with an expected exposition; exit 1 on a difference')
    .argument('<path>', 'an .mtail file, or a directory of NAME.mtail, NAME.log and NAME.expected triples')
    .option('--log <path>', 'log to read (repeatable; default: NAME.log beside the program; - for stdin)', (v: string, prev: string[]) => prev.concat(v), [])
    .option('--expect <file>', 'expected Prometheus text exposition (default: NAME.expected beside the program)')
    .option('--update', 'write the expected files from what the programs produce')
    .option('--override-timezone <zone>', 'zone for strptime layouts without one (IANA name), default UTC')
    .action(async (path: string, opts: { log: string[]; expect?: string; update?: boolean; overrideTimezone?: string }) => {
      status.code = await testCommand(
        path,
        { logs: opts.log, expect: opts.expect, update: Boolean(opts.update), color: wantsColor(io.out), timezone: opts.overrideTimezone },
        io.out,
        io.err,
        createLogger('warn', io.err),
      );
    });

  program
    .command('check')
    .description('compile programs without running them; exit 1 if any fails')
    .argument('[paths...]', '.mtail files or directories of them')
    .option('--config <file>', 'also check a logmetrics.yml: its settings, its pipelines and every program they name')
    .addOption(new Option('--emit <what>', 'print the generated JavaScript or the typed AST').choices(['js', 'ast']))
    .option('--strict-mtail', 'warn on every logmetrics extension (json(), logfmt()) and every construct mtail 3.0.0~rc50 refuses (unary !, PREFIX + /re/, ...), and exit 1 if a program uses one')
    .option(...MAX_RECURSION_DEPTH_OPTION)
    .option(...MAX_REGEXP_LENGTH_OPTION)
    .action((paths: string[], opts: { emit?: 'js' | 'ast'; strictMtail?: boolean; config?: string; maxRecursionDepth: number; maxRegexpLength: number }) => {
      if (paths.length === 0 && opts.config === undefined) throw new InvalidArgumentError('check: give the paths of programs to check, or --config logmetrics.yml.');
      let configFailed = false;
      if (opts.config !== undefined) {
        const checked = checkConfig(opts.config, settingSpecs(run), io.err);
        configFailed = checked.failed;
        paths = [...paths, ...checked.programs];
      }
      const code = checkCommand(paths, { ...opts, limits: compileLimits(opts) }, io.out, io.err);
      status.code = configFailed ? 1 : code;
    });

  const generate = program
    .command('generate')
    .description('print an mtail program for a server\'s own log format (nginx log_format, HAProxy log-format)');
  generate
    .command('nginx')
    .description('a program for an nginx log_format (default: the format the access logs use; without --config, `combined`)')
    .option('--config <file>', 'nginx.conf to read log_format and access_log from (includes are followed)')
    .option('--format-name <name>', 'the log_format to use')
    .option('--log-format <format>', "a format string instead of --config, e.g. '$remote_addr [$time_local] \"$request\" $status'")
    .addOption(new Option('--escape <mode>', 'escape mode of --log-format').choices(['default', 'json', 'none']).default('default'))
    .option('-o, --output <file>', 'write the program here instead of stdout')
    .action(async (opts: { config?: string; formatName?: string; logFormat?: string; escape: 'default' | 'json' | 'none'; output?: string }) => {
      const { generateNginx } = await import('../generate/nginx/index.js');
      status.code = generateCommand(
        () => ({ program: generateNginx(opts).program, name: 'nginx.mtail' }),
        opts.output,
        io.out,
        io.err,
      );
    });

  generate
    .command('haproxy')
    .description('a program for the log formats of HAProxy frontends (option httplog, httpslog, tcplog, log-format)')
    .option('--config <file>', 'haproxy.cfg to read the log formats from')
    .option('--format-name <proxy>', 'only the format of this frontend or listen section')
    .option('--log-format <format>', 'a log-format string instead of --config, or httplog, httpslog, tcplog')
    .option('-o, --output <file>', 'write the program here instead of stdout')
    .action(async (opts: { config?: string; formatName?: string; logFormat?: string; output?: string }) => {
      const { generateHaproxy } = await import('../generate/haproxy/index.js');
      status.code = generateCommand(() => ({ program: generateHaproxy(opts).program, name: 'haproxy.mtail' }), opts.output, io.out, io.err);
    });

  program
    .command('explain')
    .description('explain a diagnostic code (E020, W002, ...) with an example')
    .argument('<code>', 'the code shown in brackets, as in error[E020]')
    .action((code: string) => {
      status.code = explainCommand(code, io.out, io.err);
    });

  return program;
}

/** Runs the CLI with argv (as process.argv); resolves to the exit status. */
export async function main(argv: string[], io: Streams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const status = { code: 0 };
  const program = buildProgram(io, status);
  let mtail: Translation;
  try {
    mtail = translateMtailArgs(argv.slice(2));
  } catch (e) {
    // Go's flag package: the message, then exit status 2.
    io.err.write(`logmetrics: ${(e as Error).message}\n`);
    return 2;
  }
  for (const w of mtail.warnings) io.err.write(`logmetrics: warning: ${w}\n`);
  // mtail writes these dumps to its log; ours go to stderr, then the run goes on.
  for (const emit of mtail.dumps) if (mtail.progs.length > 0) checkCommand(mtail.progs, { emit }, io.err, io.err);
  try {
    await program.parseAsync([...argv.slice(0, 2), ...mtail.args]);
  } catch (e) {
    // InvalidArgumentError is a CommanderError too; ours come from actions and are not yet printed.
    if (e instanceof InvalidArgumentError) {
      io.err.write(`logmetrics: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err.write(`logmetrics: ${(e as Error).message}\n`);
    return 1;
  }
  return status.code;
}
