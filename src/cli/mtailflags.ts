/**
 * mtail's command line, accepted as is: `logmetrics -progs /etc/mtail -logs x.log`
 * runs like `mtail -progs /etc/mtail -logs x.log`, so a systemd unit works when
 * only the binary name changes. Go's flag syntax (`-name` or `--name`, `=value`
 * or a separate value, booleans as `-name=false`) becomes ours here, before
 * commander parses. Every flag mtail 3.0.0~rc50 lists in `mtail --help` is in
 * MTAIL_FLAGS; the README's table is checked against it.
 */

type Mapping =
  /** A value flag with the same meaning here. */
  | { kind: 'value'; to: string }
  /** A boolean flag: our options for true and for false. */
  | { kind: 'bool'; on: string[]; off: string[] }
  /** A flag whose effect is already how logmetrics behaves. */
  | { kind: 'same'; takesValue: boolean }
  /** A debugging or profiling knob with no counterpart: accepted, with one warning. */
  | { kind: 'noEffect'; takesValue: boolean; why: string }
  /** Handled in translateMtailArgs itself. */
  | { kind: 'special'; takesValue: boolean };

export const MTAIL_FLAGS: Record<string, Mapping> = {
  address: { kind: 'value', to: '--address' },
  alsologtostderr: { kind: 'same', takesValue: false },
  block_profile_rate: { kind: 'noEffect', takesValue: true, why: 'Go runtime profiling' },
  collectd_prefix: { kind: 'value', to: '--collectd-prefix' },
  collectd_socketpath: { kind: 'value', to: '--collectd-socketpath' },
  compile_only: { kind: 'special', takesValue: false },
  disable_fsnotify: { kind: 'noEffect', takesValue: false, why: 'deprecated in mtail too' },
  dump_ast: { kind: 'special', takesValue: false },
  dump_ast_types: { kind: 'special', takesValue: false },
  dump_bytecode: { kind: 'special', takesValue: false },
  emit_metric_timestamp: { kind: 'bool', on: ['--emit-metric-timestamp'], off: [] },
  emit_prog_label: { kind: 'bool', on: [], off: ['--no-prog-label'] },
  expired_metrics_gc_interval: { kind: 'value', to: '--expired-metrics-gc-interval' },
  graphite_host_port: { kind: 'value', to: '--graphite-host-port' },
  graphite_prefix: { kind: 'value', to: '--graphite-prefix' },
  ignore_filename_regex_pattern: { kind: 'value', to: '--ignore-filename-regex' },
  log_backtrace_at: { kind: 'noEffect', takesValue: true, why: 'glog stack traces' },
  log_dir: { kind: 'noEffect', takesValue: true, why: 'logmetrics logs to stderr only (journald or the container runtime keeps it)' },
  logs: { kind: 'value', to: '--logs' },
  logtostderr: { kind: 'same', takesValue: false },
  max_recursion_depth: { kind: 'special', takesValue: true },
  max_regexp_length: { kind: 'special', takesValue: true },
  metric_push_interval: { kind: 'value', to: '--metric-push-interval' },
  metric_push_interval_seconds: { kind: 'special', takesValue: true },
  metric_push_write_deadline: { kind: 'value', to: '--metric-push-write-deadline' },
  mtailDebug: { kind: 'noEffect', takesValue: true, why: "mtail's parser tracing" },
  mutex_profile_fraction: { kind: 'noEffect', takesValue: true, why: 'Go runtime profiling' },
  one_shot: { kind: 'special', takesValue: false },
  one_shot_format: { kind: 'special', takesValue: true },
  override_timezone: { kind: 'value', to: '--override-timezone' },
  poll_interval: { kind: 'special', takesValue: true },
  poll_log_interval: { kind: 'noEffect', takesValue: true, why: 'globs are expanded again on a file system event in their directory and at every fourth -poll_interval' },
  port: { kind: 'value', to: '--port' },
  progs: { kind: 'value', to: '--progs' },
  stale_log_gc_interval: { kind: 'noEffect', takesValue: true, why: 'a log is let go when it is deleted or rotated away, not after a day without lines' },
  statsd_hostport: { kind: 'value', to: '--statsd-hostport' },
  statsd_prefix: { kind: 'value', to: '--statsd-prefix' },
  stderrthreshold: { kind: 'special', takesValue: true },
  syslog_use_current_year: { kind: 'bool', on: [], off: ['--no-syslog-use-current-year'] },
  trace_sample_period: { kind: 'noEffect', takesValue: true, why: 'tracing' },
  unix_socket: { kind: 'value', to: '--unix-socket' },
  v: { kind: 'special', takesValue: true },
  version: { kind: 'special', takesValue: false },
  vm_logs_runtime_errors: { kind: 'special', takesValue: false },
  vmodule: { kind: 'noEffect', takesValue: true, why: 'glog per-file verbosity' },
};

const COMMANDS = new Set(['run', 'check', 'test', 'help']);
// Go's strconv.ParseBool.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
// glog severities for -stderrthreshold, by name or number.
const SEVERITY: Record<string, string> = { INFO: 'info', '0': 'info', WARNING: 'warn', '1': 'warn', ERROR: 'error', '2': 'error', FATAL: 'error', '3': 'error' };

/** What the command line becomes, and what main does besides parsing it. */
export interface Translation {
  args: string[];
  /** One per flag accepted without effect, to print before running. */
  warnings: string[];
  /** Dump the programs' typed AST or generated code on stderr first (-dump_ast, -dump_bytecode). */
  dumps: Array<'ast' | 'js'>;
  /** The programs to dump. */
  progs: string[];
}

/** True when the user arguments are written in mtail's style rather than as a logmetrics command. */
export function isMtailStyle(args: string[]): boolean {
  const first = args[0];
  return first !== undefined && !COMMANDS.has(first) && first.startsWith('-') && !['-h', '--help', '-V', '--version'].includes(first);
}

/** Rewrites user arguments (without node and script) given in mtail's style into logmetrics' own. */
export function translateMtailArgs(args: string[]): Translation {
  const none: Translation = { args, warnings: [], dumps: [], progs: [] };
  if (!isMtailStyle(args)) return none;
  const out: string[] = [];
  const warnings: string[] = [];
  const dumps = new Set<'ast' | 'js'>();
  const progs: string[] = [];
  let compileOnly = false;
  let oneShot = false;
  let format: string | undefined;
  // Compile limits apply to `check` (-compile_only) as to `run`.
  const limits: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][A-Za-z0-9_]*)(?:=([\s\S]*))?$/.exec(arg);
    const name = m?.[1];
    if (name === 'h' || name === 'help') return { ...none, args: ['run', '--help'] };
    const mapping = name !== undefined ? MTAIL_FLAGS[name] : undefined;
    if (!m || !mapping) {
      out.push(arg);
      continue;
    }
    const inline = m[2];
    const takesValue = mapping.kind === 'value' || ((mapping.kind === 'same' || mapping.kind === 'noEffect' || mapping.kind === 'special') && mapping.takesValue);
    let value: string | undefined = inline;
    if (takesValue && value === undefined) {
      if (i + 1 >= args.length) throw new Error(`flag needs an argument: -${name}`);
      value = args[++i]!;
    }
    // Go's boolean flags: bare means true; =value must parse as a bool.
    let on = true;
    if (!takesValue && inline !== undefined) {
      if (FALSE.has(inline)) on = false;
      else if (!TRUE.has(inline)) throw new Error(`invalid boolean value ${JSON.stringify(inline)} for -${name}`);
    }
    switch (mapping.kind) {
      case 'value':
        out.push(mapping.to, value!);
        if (name === 'progs') progs.push(value!);
        break;
      case 'bool':
        out.push(...(on ? mapping.on : mapping.off));
        break;
      case 'same':
        break;
      case 'noEffect':
        if (on) warnings.push(`-${name} is accepted but has no effect here (${mapping.why})`);
        break;
      case 'special':
        switch (name) {
          case 'version':
            if (on) return { ...none, args: ['--version'] };
            break;
          case 'compile_only':
            compileOnly = on;
            break;
          case 'one_shot':
            oneShot = on;
            break;
          case 'one_shot_format':
            format = value;
            break;
          case 'dump_ast':
          case 'dump_ast_types':
            if (on) dumps.add('ast');
            break;
          case 'dump_bytecode':
            if (on) dumps.add('js');
            break;
          case 'poll_interval':
            // mtail: 0 turns polling off and relies on inotify alone; we always poll as a fallback.
            if (/^0+(?:[a-zµ]+)?$/.test(value!)) warnings.push('-poll_interval=0 is accepted; logmetrics still polls every 250ms besides file system events');
            else out.push('--poll-interval', value!);
            break;
          case 'metric_push_interval_seconds':
            out.push('--metric-push-interval', `${value}s`);
            break;
          case 'v':
            // glog verbosity: any V level above 0 shows our debug events.
            if (Number(value) > 0) out.push('--log-level', 'debug');
            break;
          case 'stderrthreshold': {
            const level = SEVERITY[value!.toUpperCase()];
            if (level === undefined) throw new Error(`invalid value ${JSON.stringify(value)} for -stderrthreshold`);
            out.push('--log-level', level);
            break;
          }
          case 'max_recursion_depth':
            limits.push('--max-recursion-depth', value!);
            break;
          case 'max_regexp_length':
            limits.push('--max-regexp-length', value!);
            break;
          case 'vm_logs_runtime_errors':
            if (!on) out.push('--no-log-runtime-errors');
            break;
        }
        break;
    }
  }
  const dumpList = [...dumps];
  if (compileOnly) {
    // mtail -compile_only -progs DIR  →  logmetrics check DIR
    return { args: ['check', ...limits, ...progs], warnings, dumps: dumpList, progs };
  }
  if (oneShot) {
    // mtail's -one_shot prints its JSON unless -one_shot_format says prometheus.
    out.push('--one-shot', '--format', format === undefined || format === 'json' ? 'mtail-json' : format);
  }
  return { args: ['run', ...out, ...limits], warnings, dumps: dumpList, progs };
}
