// deploy/: the Prometheus configuration, rules and their unit tests checked by
// the real promtool; the Grafana dashboard and the rules checked to name only
// metrics the shipped programs (or logmetrics itself) export; the systemd unit
// checked by systemd-analyze; the Kubernetes manifests and scrape job checked
// for consistency (ports, volumes, flags, relabelling) without a cluster.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import RE2 from 're2';
import { parse, parseAllDocuments } from 'yaml';
import { findRepoRoot } from '../differential/corpus.js';
import { exportedSampleNames, fillVariables, metricNames, selfMetricNames } from './promql.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = findRepoRoot();
const DEPLOY = path.join(ROOT, 'deploy');
const BIN = path.join(ROOT, 'bin', 'logmetrics.js');
const PROMTOOL_MISSING = 'promtool not found: apt-get install -y prometheus';
const SYSTEMD_MISSING = 'systemd-analyze not found: apt-get install -y systemd';

function tool(cmd: string, args: string[], cwd = ROOT): { status: number | null; output: string; stderr: string; missing: boolean } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, stderr: r.stderr ?? '', missing };
}

const ruleFiles = (): string[] =>
  fs
    .readdirSync(path.join(DEPLOY, 'rules'))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => path.join('deploy', 'rules', f));

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
const rulesOf = (file: string): Rule[] =>
  (parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

const exported = exportedSampleNames(path.join(ROOT, 'programs'));

t.test('the metric-name reader', async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ['plain', 'up', ['up']],
    ['matchers and range', 'rate(a_total{code=~"5..", b="x{y}"}[5m])', ['a_total']],
    ['aggregation with by before', 'sum by (job, le) (rate(h_bucket[5m]))', ['h_bucket']],
    ['aggregation with by after', 'sum(rate(h_bucket[5m])) by (le)', ['h_bucket']],
    ['binary operators, numbers, bool', 'a / b > bool 0.05 and c unless d or 1e3', ['a', 'b', 'c', 'd']],
    ['on / group_left', 'a * on (job) group_left (x) b', ['a', 'b']],
    ['recorded names with colons', 'job:a:rate5m > 1', ['job:a:rate5m']],
    ['functions are not metrics', 'histogram_quantile(0.9, x) + vector(0) + time()', ['x']],
    ['label_replace strings', 'label_replace(rate(m[1m]), "c", "${1}xx", "code", "([1-5]).*")', ['m']],
    ['Grafana variables', 'rate(m{job=~"$job"}[$__rate_interval]) offset 5m', ['m']],
    ['subquery', 'max_over_time(rate(m[5m])[1h:1m])', ['m']],
  ];
  for (const [name, expr, want] of cases) t.same(metricNames(expr), want, name);
  t.same(exported.errors, [], 'every shipped program compiles');
  for (const n of ['nginx_http_requests_total', 'nginx_http_request_duration_seconds_bucket', 'haproxy_backend_queue_length', 'log_lines_total']) {
    t.ok(exported.names.has(n), `programs export ${n}`);
  }
  t.notOk(exported.names.has('nginx_http_request_duration_seconds'), 'a histogram is exported only as _bucket, _sum and _count');
});

t.test('promtool checks the configuration, the rules and their unit tests', async (t) => {
  const version = tool('promtool', ['--version']);
  if (version.missing) {
    t.fail(PROMTOOL_MISSING);
    return;
  }
  const files = ruleFiles();
  t.ok(files.length >= 2, 'recording and alerting rule files');
  const config = tool('promtool', ['check', 'config', 'deploy/prometheus.yml']);
  t.equal(config.status, 0, `promtool check config:\n${config.output}`);
  t.match(config.output, new RegExp(`SUCCESS: ${files.length} rule files found`), 'the configuration loads every rule file');
  const rules = tool('promtool', ['check', 'rules', ...files]);
  t.equal(rules.status, 0, `promtool check rules:\n${rules.output}`);
  const unit = tool('promtool', ['test', 'rules', 'deploy/rules/tests/logmetrics.test.yml']);
  t.equal(unit.status, 0, `promtool test rules:\n${unit.output}`);
  t.match(unit.output, /SUCCESS/, 'unit tests pass');

  // The unit tests must show each error-ratio alert firing, not only staying quiet.
  const tests = parse(fs.readFileSync(path.join(DEPLOY, 'rules', 'tests', 'logmetrics.test.yml'), 'utf8')) as {
    tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
  };
  const firing = new Set(tests.tests.flatMap((g) => (g.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
  for (const alert of ['NginxHighErrorRatio', 'HAProxyHighErrorRatio', 'HAProxyLatencySLOFastBurn', 'LogFileStalled', 'HAProxyBackendQueueSlow', 'HAProxyQueueTimeouts', 'LogmetricsStateNotSaved', 'LogmetricsProgramStoppedMatching']) {
    t.ok(firing.has(alert), `a unit test expects ${alert} to fire`);
  }
});

t.test('rules name only exported metrics and rules recorded here', async (t) => {
  const rules = ruleFiles().flatMap(rulesOf);
  const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
  const self = selfMetricNames();
  t.ok(self.includes('logmetrics_log_lines_total'), 'logmetrics exports logmetrics_log_lines_total');
  const known = new Set([...exported.names, ...recorded, ...self, 'up']);
  for (const r of rules) {
    const names = metricNames(r.expr);
    const what = r.record ?? r.alert!;
    t.ok(names.length > 0, `${what}: selects some metric`);
    t.same(names.filter((n) => !known.has(n)), [], `${what}: names only known metrics`);
  }
  const alerts = rules.filter((r) => r.alert).map((r) => r.alert!);
  for (const a of ['NginxHighErrorRatio', 'HAProxyHighErrorRatio', 'NginxLatencySLOFastBurn', 'HAProxyLatencySLOFastBurn', 'LogFileStalled', 'HAProxyBackendQueueSlow', 'HAProxyQueueTimeouts', 'LogmetricsStateNotSaved']) {
    t.ok(alerts.includes(a), `alert ${a} exists`);
  }
  t.ok(rules.some((r) => /histogram_quantile\(0\.99, .*nginx_http_request_duration_seconds_bucket/.test(r.expr)), 'nginx p99 from the histogram');
  t.ok(rules.some((r) => /histogram_quantile\(0\.99, .*haproxy_http_request_duration_seconds_bucket/.test(r.expr)), 'HAProxy p99 from the histogram');
  // haproxy.mtail's gauges hold what the last logged request saw and stand still when
  // traffic stops: no rule may read them (an alert on them stays true for ever).
  const gauges = [...fs.readFileSync(path.join(ROOT, 'programs', 'haproxy.mtail'), 'utf8').matchAll(/^gauge (\w+)/gm)].map((m) => m[1]!);
  t.ok(gauges.includes('haproxy_backend_queue_length'), 'haproxy.mtail declares its last-value gauges');
  for (const r of rules) {
    const read = metricNames(r.expr).filter((n) => gauges.includes(n));
    t.same(read, [], `${r.record ?? r.alert}: reads no last-request gauge of haproxy.mtail`);
  }
});

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ expr: string; refId: string }>;
}

t.test('the Grafana dashboard', async (t) => {
  const text = fs.readFileSync(path.join(DEPLOY, 'grafana', 'logmetrics-dashboard.json'), 'utf8');
  let dash: { uid: string; title: string; panels: Panel[]; templating: { list: Array<{ name: string; query: string | { query: string } }> } };
  try {
    dash = JSON.parse(text);
  } catch (e) {
    t.fail(`dashboard JSON does not parse: ${(e as Error).message}`);
    return;
  }
  t.ok(dash.uid && dash.title, 'uid and title');
  const ids = dash.panels.map((p) => p.id);
  t.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const graphs = dash.panels.filter((p) => p.type !== 'row');
  t.ok(graphs.length >= 8, 'panels for nginx and HAProxy');
  // No two panels may cover the same cell of the 24-column grid.
  const cells = new Map<string, string>();
  for (const p of dash.panels) {
    const g = p.gridPos;
    t.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, `${p.title}: inside the grid`);
    for (let x = g.x; x < g.x + g.w; x++) {
      for (let y = g.y; y < g.y + g.h; y++) {
        const other = cells.get(`${x},${y}`);
        if (other) t.fail(`${p.title} overlaps ${other}`);
        cells.set(`${x},${y}`, p.title);
      }
    }
  }
  const variables = dash.templating.list.map((v) => v.name);
  t.ok(variables.includes('datasource'), 'a data source variable');
  const exprs: Array<[string, string]> = [];
  for (const p of graphs) {
    t.equal(p.datasource?.uid, '${datasource}', `${p.title}: uses the data source variable`);
    t.ok((p.targets ?? []).length > 0, `${p.title}: has queries`);
    for (const q of p.targets ?? []) exprs.push([`${p.title} ${q.refId}`, q.expr]);
  }
  for (const v of dash.templating.list) {
    const query = typeof v.query === 'string' ? v.query : v.query.query;
    const inner = /^label_values\((.*),\s*\w+\)$/.exec(query)?.[1];
    if (inner) exprs.push([`variable ${v.name}`, inner]);
  }
  const all = exprs.map(([, e]) => e).join('\n');
  for (const needed of ['nginx_http_requests_total', 'nginx_http_request_duration_seconds_bucket', 'nginx_http_response_bytes_total', 'haproxy_http_requests_total', 'haproxy_http_request_duration_seconds_bucket', 'haproxy_http_response_bytes_total']) {
    t.match(all, needed, `the dashboard shows ${needed}`);
  }
  for (const q of [0.5, 0.9, 0.99]) t.match(all, `histogram_quantile(${q}, `, `a p${q * 100} panel`);
  const self = new Set(selfMetricNames());
  for (const [where, expr] of exprs) {
    const names = metricNames(expr);
    t.ok(names.length > 0, `${where}: selects some metric`);
    t.same(names.filter((n) => !exported.names.has(n) && !self.has(n)), [], `${where}: names only metrics the programs or logmetrics export`);
  }
  // Variables: job lists only logmetrics' jobs (a self-metric every instance exports), and there is an instance variable.
  const query = (name: string): string | undefined => {
    const v = dash.templating.list.find((x) => x.name === name);
    return v === undefined ? undefined : typeof v.query === 'string' ? v.query : v.query.query;
  };
  t.match(query('job'), /^label_values\(logmetrics_\w+, job\)$/, 'job: from a logmetrics self-metric, not every job');
  t.match(query('instance'), /^label_values\(logmetrics_\w+\{job=~"\$job"\}, instance\)$/, 'instance: the instances of the chosen jobs');
  for (const [where, expr] of exprs.filter(([w]) => !w.startsWith('variable'))) t.match(expr, 'instance=~"$instance"', `${where}: filtered by instance`);
  for (const needed of ['haproxy_tcp_connections_total', 'haproxy_tcp_session_duration_seconds_bucket', 'logmetrics_log_lines_total', 'nginx_log_lines_unparsed_total', 'logmetrics_program_runtime_errors_total', 'logmetrics_log_rotations_total', 'logmetrics_state_save_failures_total']) {
    t.match(all, needed, `the dashboard shows ${needed}`);
  }
  const rows = dash.panels.filter((p) => p.type === 'row').map((p) => p.title);
  t.ok(rows.some((r) => /TCP/.test(r)), 'a HAProxy TCP-mode row');
  t.ok(rows.some((r) => /logmetrics health/.test(r)), 'a logmetrics health row');

  // PromQL syntax: the panel queries, with Grafana's variables filled in, as recording rules.
  if (tool('promtool', ['--version']).missing) {
    t.fail(PROMTOOL_MISSING);
    return;
  }
  const dir = tempDir(t, 'logmetrics-deploy-');
  const filled = exprs
    .filter(([where]) => !where.startsWith('variable'))
    .map(([, e]) => fillVariables(e));
  const rules = { groups: [{ name: 'dashboard', rules: filled.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] };
  fs.writeFileSync(path.join(dir, 'dashboard.yml'), JSON.stringify(rules));
  const check = tool('promtool', ['check', 'rules', path.join(dir, 'dashboard.yml')]);
  t.equal(check.status, 0, `every panel query parses:\n${check.output}`);
  t.match(check.output, new RegExp(`SUCCESS: ${filled.length} rules found`), 'all queries checked');
});

/** The options `logmetrics run --help` lists. */
function runFlags(t: { equal(a: unknown, b: unknown, m: string): unknown }): Set<string> {
  const r = spawnSync(process.execPath, [BIN, 'run', '--help'], { encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 0, `logmetrics run --help works (${r.stderr ?? ''})`);
  return new Set([...(r.stdout ?? '').matchAll(/(--[a-z][a-z0-9.-]*)/g)].map((m) => m[1]!));
}

/**
 * Runs `logmetrics check --config` on a shipped logmetrics.yml whose program paths start with
 * `programsDir` (a mount in the cluster; undefined: relative, programs/ beside the file): they are
 * pointed at this repository's programs/ in a temp copy. Returns the parsed file.
 */
function checkShippedConfig(t: Test, what: string, text: string, programsDir?: string): { port?: number; pipelines: Array<{ name: string; logs: string[]; programs: string[] }> } {
  const dir = tempDir(t, 'logmetrics-config-');
  const programs = path.join(dir, 'programs');
  fs.cpSync(path.join(ROOT, 'programs'), programs, { recursive: true });
  const file = path.join(dir, 'logmetrics.yml');
  // Relative program paths (programsDir undefined) find the copy beside the file as they are.
  fs.writeFileSync(file, programsDir === undefined ? text : text.split(programsDir).join(programs));
  const r = spawnSync(process.execPath, [BIN, 'check', '--config', file], { encoding: 'utf8', timeout: 60_000 });
  t.equal(r.status, 0, `${what}: logmetrics check --config accepts it:\n${r.stderr}`);
  const config = parse(text) as { port?: number; pipelines: Array<{ name: string; logs: string[]; programs: string[] }> };
  const byProgram = new Map<string, Set<string>>();
  for (const p of config.pipelines) for (const prog of p.programs) for (const l of p.logs) byProgram.set(prog, (byProgram.get(prog) ?? new Set()).add(l));
  // The point of pipelines: nginx.mtail reads no log another program reads (its unparsed-lines alert stays quiet).
  const nginx = [...byProgram].find(([prog]) => prog.endsWith('nginx.mtail'));
  t.ok(nginx, `${what}: a pipeline for nginx.mtail`);
  for (const [prog, logs] of byProgram) {
    if (prog === nginx?.[0]) continue;
    t.same([...logs].filter((l) => nginx?.[1].has(l)), [], `${what}: ${path.basename(prog)} reads none of nginx.mtail's logs`);
  }
  return config;
}

t.test('the systemd logmetrics.yml', async (t) => {
  const text = fs.readFileSync(path.join(DEPLOY, 'systemd', 'logmetrics.yml'), 'utf8');
  const config = checkShippedConfig(t, 'logmetrics.yml', text);
  t.equal(config.port, 3903, 'the port the unit documents');
  t.same(
    config.pipelines.map((p) => [p.name, p.programs]),
    [
      ['nginx', ['programs/nginx.mtail']],
      ['haproxy', ['programs/haproxy.mtail']],
      ['syslog', ['programs/syslog.mtail']],
    ],
    'nginx, HAProxy and syslog each with its own program',
  );
});

t.test('the systemd unit', async (t) => {
  const unit = fs.readFileSync(path.join(DEPLOY, 'systemd', 'logmetrics.service'), 'utf8');
  const exec = /^ExecStart=(\S+) (.*)$/m.exec(unit);
  t.ok(exec, 'an ExecStart line');
  const flags = runFlags(t);
  t.equal(exec![1], '/usr/bin/env', 'the command is found on the search path, wherever npm put it');
  t.match(exec![2], /^logmetrics run /, 'env runs logmetrics');
  for (const f of exec![2]!.match(/--[a-z][a-z0-9.-]*/g) ?? []) t.ok(flags.has(f), `ExecStart flag ${f} is a flag of logmetrics run`);
  t.match(exec![2], /--config \$\{CONFIGURATION_DIRECTORY\}\/logmetrics\.yml/, 'the pipelines come from /etc/logmetrics/logmetrics.yml');
  t.notMatch(exec![2], /--progs|--logs/, 'no --progs/--logs, which would replace the pipelines');
  for (const d of ['DynamicUser=yes', 'ProtectSystem=strict', 'ReadOnlyPaths=/var/log', 'NoNewPrivileges=yes', 'CapabilityBoundingSet=', 'StateDirectory=logmetrics']) {
    t.match(unit, new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'), d);
  }
  const dir = tempDir(t, 'logmetrics-unit-');
  // Verified as shipped: /usr/bin/env exists wherever npm installed logmetrics.
  fs.writeFileSync(path.join(dir, 'logmetrics.service'), unit);
  const r = tool('systemd-analyze', ['verify', path.join(dir, 'logmetrics.service')]);
  if (r.missing) {
    t.fail(SYSTEMD_MISSING);
    return;
  }
  t.equal(r.status, 0, `systemd-analyze verify: ${r.output}`);
  t.equal(r.stderr.split('\n').filter((l) => l.includes('logmetrics.service')).join('\n'), '', 'no unknown or malformed directive');
});

interface Container {
  name: string;
  args?: string[];
  ports?: Array<{ containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface Workload {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Container[]; volumes: Array<{ name: string; configMap?: { name: string } }> } } };
}

t.test('the Kubernetes manifests', async (t) => {
  const flags = runFlags(t);
  for (const file of ['daemonset.yaml', 'sidecar.yaml']) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(DEPLOY, 'kubernetes', file), 'utf8'));
    t.same(docs.flatMap((d) => d.errors.map((e) => e.message)), [], `${file}: valid YAML`);
    const workloads = docs.map((d) => d.toJSON() as Workload).filter((w) => w.kind === 'DaemonSet' || w.kind === 'Deployment');
    t.equal(workloads.length, 1, `${file}: one workload`);
    const w = workloads[0]!;
    const pod = w.spec.template;
    const ann = pod.metadata.annotations ?? {};
    t.equal(ann['prometheus.io/scrape'], 'true', `${file}: prometheus.io/scrape`);
    t.equal(ann['prometheus.io/path'], '/metrics', `${file}: prometheus.io/path`);
    const lm = pod.spec.containers.find((c) => c.name === 'logmetrics');
    t.ok(lm, `${file}: a logmetrics container`);
    if (!lm) continue;
    const args = lm.args ?? [];
    t.equal(args[0], 'run', `${file}: runs \`logmetrics run\``);
    for (const a of args.slice(1)) t.ok(flags.has(a.split('=')[0]!), `${file}: ${a.split('=')[0]} is a flag of logmetrics run`);
    const volumes = new Set(pod.spec.volumes.map((v) => v.name));
    for (const c of pod.spec.containers) {
      for (const m of c.volumeMounts ?? []) t.ok(volumes.has(m.name), `${file}: ${c.name} mounts a defined volume ${m.name}`);
    }
    const mountOf = (p: string) => (lm.volumeMounts ?? []).find((m) => p === m.mountPath || p.startsWith(m.mountPath + '/'));
    // The pipelines and the port come from logmetrics.yml in a ConfigMap mounted as a folder (a subPath mount is never updated).
    t.notOk(args.some((a) => /^--(progs|logs)\b/.test(a)), `${file}: no --progs/--logs, which would replace the pipelines`);
    const configPath = args.find((a) => a.startsWith('--config='))?.slice('--config='.length);
    t.ok(configPath, `${file}: run --config`);
    if (!configPath) continue;
    const configMount = mountOf(configPath);
    t.ok(configMount?.readOnly && configMount.mountPath === path.posix.dirname(configPath), `${file}: the config file's folder is a read-only mount`);
    const mapName = pod.spec.volumes.find((v) => v.name === configMount?.name)?.configMap?.name;
    const map = docs.map((d) => d.toJSON() as Workload).find((d) => d.kind === 'ConfigMap' && d.metadata.name === mapName);
    const text = map?.data?.[path.posix.basename(configPath)];
    t.ok(text, `${file}: the ConfigMap ${mapName} holds ${path.posix.basename(configPath)}`);
    if (!text) continue;
    const programsMount = (lm.volumeMounts ?? []).find((m) => m.name === 'programs')!;
    const config = checkShippedConfig(t, file, text, programsMount.mountPath);
    const port = String(args.find((a) => a.startsWith('--port='))?.slice('--port='.length) ?? config.port);
    t.equal(ann['prometheus.io/port'], port, `${file}: the annotated port is the one logmetrics listens on`);
    t.ok(lm.ports?.some((p) => String(p.containerPort) === port), `${file}: and a container port`);
    for (const p of config.pipelines) {
      for (const prog of p.programs) t.ok(mountOf(prog)?.readOnly, `${file}: ${prog} is on a read-only mount`);
      for (const l of p.logs) t.ok(mountOf(l)?.readOnly, `${file}: ${l} is on a read-only mount`);
    }
    t.equal(lm.securityContext?.readOnlyRootFilesystem, true, `${file}: read-only root file system`);
    t.equal(lm.securityContext?.allowPrivilegeEscalation, false, `${file}: no privilege escalation`);
  }
  // The sidecar's nginx must write the file logmetrics reads, in a format nginx.mtail reads.
  const sidecar = fs.readFileSync(path.join(DEPLOY, 'kubernetes', 'sidecar.yaml'), 'utf8');
  const written = /access_log (\S+) timed;/.exec(sidecar)?.[1];
  t.ok(written && new RegExp(`logs: \\[${written.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\]`).test(sidecar), 'the sidecar reads the log nginx writes');
  const nginxProgram = fs.readFileSync(path.join(ROOT, 'programs', 'nginx.mtail'), 'utf8');
  const format = (s: string) => [...s.matchAll(/'([^']*)'/g)].map((m) => m[1]).join('');
  const shipped = format(/log_format timed ([\s\S]*?);/.exec(nginxProgram.replace(/^#\s*/gm, ''))![1]!);
  const deployed = format(/log_format timed ([\s\S]*?);/.exec(sidecar)![1]!);
  t.equal(deployed, shipped, 'the sidecar log_format is the one nginx.mtail documents');
});

t.test('the Kubernetes scrape job relabels an annotated pod to its metrics port', async (t) => {
  const job = (parse(fs.readFileSync(path.join(DEPLOY, 'kubernetes', 'prometheus-scrape.yml'), 'utf8')) as {
    scrape_configs: Array<{ relabel_configs: Array<Record<string, unknown>> }>;
  }).scrape_configs[0]!;
  // Prometheus' relabelling (Go RE2, anchored), for the actions this job uses.
  const relabel = (labels: Record<string, string>): Record<string, string> | undefined => {
    const out = { ...labels };
    for (const r of job.relabel_configs) {
      const value = ((r.source_labels as string[] | undefined) ?? []).map((l) => out[l] ?? '').join((r.separator as string) ?? ';');
      const re = new RE2(`^(?:${(r.regex as string) ?? '(.*)'})$`);
      const action = (r.action as string) ?? 'replace';
      if (action === 'keep') {
        if (!re.test(value)) return undefined;
      } else if (action === 'replace') {
        if (re.test(value)) out[r.target_label as string] = value.replace(re, ((r.replacement as string) ?? '$1').replace(/\$\{(\d+)\}/g, '$$$1'));
      } else {
        t.fail(`unexpected action ${action}`);
      }
    }
    return out;
  };
  const pod = {
    __address__: '10.1.2.3:80',
    __metrics_path__: '/metrics',
    __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
    __meta_kubernetes_pod_annotation_prometheus_io_port: '3903',
    __meta_kubernetes_pod_annotation_prometheus_io_path: '/metrics',
    __meta_kubernetes_namespace: 'monitoring',
    __meta_kubernetes_pod_name: 'logmetrics-abcde',
    __meta_kubernetes_pod_node_name: 'node-1',
  };
  const target = relabel(pod);
  t.equal(target?.__address__, '10.1.2.3:3903', 'scraped on the annotated port');
  t.equal(target?.__metrics_path__, '/metrics', 'at the annotated path');
  t.same([target?.namespace, target?.pod, target?.node], ['monitoring', 'logmetrics-abcde', 'node-1'], 'namespace, pod and node labels');
  t.equal(relabel({ ...pod, __address__: '10.1.2.3' })?.__address__, '10.1.2.3:3903', 'a pod address without a port');
  t.equal(relabel({ ...pod, __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'false' }), undefined, 'unannotated pods are dropped');
});
