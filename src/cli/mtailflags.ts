/**
 * mtail's command line, accepted as is: `logmetrics -progs /etc/mtail -logs x.log`
 * runs like `mtail -progs /etc/mtail -logs x.log`, so a systemd unit works when
 * only the binary name changes. Go's flag syntax (`-name`, `--name=value`,
 * booleans as `--name=false`) becomes ours here, before commander parses.
 */

type Mapping =
  | { kind: 'value'; to: string }
  | { kind: 'bool'; on: string[]; off: string[] }
  | { kind: 'drop'; takesValue: boolean }
  | { kind: 'compileOnly' };

const MTAIL_FLAGS: Record<string, Mapping> = {
  progs: { kind: 'value', to: '--progs' },
  logs: { kind: 'value', to: '--logs' },
  port: { kind: 'value', to: '--port' },
  address: { kind: 'value', to: '--address' },
  one_shot: { kind: 'bool', on: ['--one-shot'], off: [] },
  one_shot_format: { kind: 'value', to: '--format' },
  compile_only: { kind: 'compileOnly' },
  emit_prog_label: { kind: 'bool', on: [], off: ['--no-prog-label'] },
  emit_metric_timestamp: { kind: 'bool', on: ['--emit-metric-timestamp'], off: [] },
  override_timezone: { kind: 'value', to: '--override-timezone' },
  poll_interval: { kind: 'value', to: '--poll-interval' },
  ignore_filename_regex_pattern: { kind: 'value', to: '--ignore-filename-regex' },
  syslog_use_current_year: { kind: 'bool', on: [], off: ['--no-syslog-use-current-year'] },
  // glog's and other mtail flags that change nothing here.
  logtostderr: { kind: 'drop', takesValue: false },
  alsologtostderr: { kind: 'drop', takesValue: false },
  v: { kind: 'drop', takesValue: true },
  vmodule: { kind: 'drop', takesValue: true },
  log_dir: { kind: 'drop', takesValue: true },
  stderrthreshold: { kind: 'drop', takesValue: true },
  vm_logs_runtime_errors: { kind: 'drop', takesValue: false },
  expired_metrics_gc_interval: { kind: 'drop', takesValue: true },
  max_regexp_length: { kind: 'drop', takesValue: true },
  max_recursion_depth: { kind: 'drop', takesValue: true },
  disable_fsnotify: { kind: 'drop', takesValue: false },
};

const COMMANDS = new Set(['run', 'check', 'test', 'help']);
const FALSE = new Set(['false', '0', 'f', 'F', 'FALSE', 'False']);

/** Rewrites user arguments (without node and script) given in mtail's style into logmetrics' own. */
export function translateMtailArgs(args: string[]): string[] {
  const first = args[0];
  if (first === undefined || COMMANDS.has(first) || !first.startsWith('-') || ['-h', '--help', '-V', '--version'].includes(first)) {
    return args;
  }
  const out: string[] = [];
  let compileOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const m = /^--?([a-z][a-z0-9_]*)(?:=(.*))?$/.exec(arg);
    const mapping = m ? MTAIL_FLAGS[m[1]] : undefined;
    if (!m || !mapping) {
      out.push(arg);
      continue;
    }
    const inline = m[2];
    switch (mapping.kind) {
      case 'value':
        out.push(mapping.to);
        if (inline !== undefined) out.push(inline);
        else if (i + 1 < args.length) out.push(args[++i]);
        break;
      case 'bool':
        out.push(...(inline !== undefined && FALSE.has(inline) ? mapping.off : mapping.on));
        break;
      case 'compileOnly':
        compileOnly = inline === undefined || !FALSE.has(inline);
        break;
      case 'drop':
        if (mapping.takesValue && inline === undefined) i++;
        break;
    }
  }
  if (!compileOnly) return ['run', ...out];
  // mtail --compile_only --progs DIR  →  logmetrics check DIR
  const progs: string[] = [];
  for (let i = 0; i < out.length; i++) if (out[i] === '--progs') progs.push(out[++i]);
  return ['check', ...progs];
}
