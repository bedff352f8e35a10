// mtail's whole command line: every flag `mtail --help` lists (the installed
// Debian mtail 3.0.0~rc50) is translated, the README's flag table names each one,
// and `-one_shot` prints exactly what mtail prints on the same program and log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MTAIL_FLAGS, translateMtailArgs } from '../../src/cli/mtailflags.js';
import { BIN, ROOT } from '../daemon/helpers.js';
import { requireBinary } from '../e2e/peers.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The flag names `mtail --help` prints, one per `  -name` line. */
function mtailFlagNames(): string[] {
  const mtail = requireBinary('mtail', 'mtail');
  const r = spawnSync(mtail, ['--help'], { encoding: 'utf8' });
  return [...`${r.stdout}${r.stderr}`.matchAll(/^ {2}-(\w+)/gm)].map((m) => m[1]!);
}

t.test('every flag of mtail --help is known, and the README table lists it', async (t) => {
  const names = mtailFlagNames();
  t.ok(names.length >= 45, `mtail lists ${names.length} flags`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  // The first cells of the table's rows: | `-port 3903`, `-address HOST` | ... |
  const firstCells = readme.split('\n').filter((l) => l.startsWith('| `-')).map((l) => l.split(' | ')[0]!);
  for (const name of names) {
    t.ok(MTAIL_FLAGS[name], `-${name} is translated`);
    t.ok(firstCells.some((c) => new RegExp(`\`-${name}(?![\\w])`).test(c)), `-${name} has a row in the README's table`);
  }
  t.same(Object.keys(MTAIL_FLAGS).filter((n) => !names.includes(n)), [], 'no flag mtail does not have');
});

const translations: Array<{ name: string; args: string[]; want: string[]; warnings?: number }> = [
  { name: 'single dash, separate values', args: ['-progs', 'p', '-logs', 'a.log'], want: ['run', '--progs', 'p', '--logs', 'a.log'] },
  { name: 'double dash, = values', args: ['--progs=p', '--logs=a,b', '--port=3904'], want: ['run', '--progs', 'p', '--logs', 'a,b', '--port', '3904'] },
  { name: 'booleans: bare, =true, =false', args: ['-progs', 'p', '-emit_prog_label=false', '-emit_metric_timestamp=true', '-syslog_use_current_year=0'], want: ['run', '--progs', 'p', '--no-prog-label', '--emit-metric-timestamp', '--no-syslog-use-current-year'] },
  { name: '-one_shot alone prints mtail JSON', args: ['-progs', 'p', '-logs', 'a', '-one_shot'], want: ['run', '--progs', 'p', '--logs', 'a', '--one-shot', '--format', 'mtail-json'] },
  { name: '-one_shot_format json', args: ['-one_shot_format', 'json', '-progs', 'p', '-logs', 'a', '-one_shot'], want: ['run', '--progs', 'p', '--logs', 'a', '--one-shot', '--format', 'mtail-json'] },
  { name: '-one_shot_format prometheus', args: ['-progs', 'p', '-logs', 'a', '-one_shot', '-one_shot_format=prometheus'], want: ['run', '--progs', 'p', '--logs', 'a', '--one-shot', '--format', 'prometheus'] },
  { name: '-compile_only becomes check', args: ['-progs', 'p', '-compile_only'], want: ['check', 'p'] },
  { name: '-version alone', args: ['-version'], want: ['--version'] },
  { name: '-help after a flag', args: ['-progs', 'p', '-help'], want: ['run', '--help'] },
  { name: 'push outputs', args: ['-progs', 'p', '-graphite_host_port', 'g:2003', '-graphite_prefix', 'x.', '-statsd_hostport=s:8125', '-statsd_prefix=y.', '-collectd_socketpath', '/run/c.sock', '-collectd_prefix', 'z', '-metric_push_interval', '10s', '-metric_push_write_deadline=5s'], want: ['run', '--progs', 'p', '--graphite-host-port', 'g:2003', '--graphite-prefix', 'x.', '--statsd-hostport', 's:8125', '--statsd-prefix', 'y.', '--collectd-socketpath', '/run/c.sock', '--collectd-prefix', 'z', '--metric-push-interval', '10s', '--metric-push-write-deadline', '5s'] },
  { name: 'deprecated push interval in seconds', args: ['-progs', 'p', '-metric_push_interval_seconds', '30'], want: ['run', '--progs', 'p', '--metric-push-interval', '30s'] },
  { name: 'glog flags', args: ['-progs', 'p', '-logtostderr', '-alsologtostderr', '-v=2', '-stderrthreshold', 'WARNING'], want: ['run', '--progs', 'p', '--log-level', 'debug', '--log-level', 'warn'] },
  { name: 'unix socket, gc, runtime errors', args: ['-progs', 'p', '-unix_socket', '/run/m.sock', '-expired_metrics_gc_interval', '5m', '-vm_logs_runtime_errors=false'], want: ['run', '--progs', 'p', '--unix-socket', '/run/m.sock', '--expired-metrics-gc-interval', '5m', '--no-log-runtime-errors'] },
  { name: 'knobs without effect warn once each', args: ['-progs', 'p', '-block_profile_rate', '1', '-mutex_profile_fraction=1', '-trace_sample_period', '0', '-mtailDebug', '3', '-log_dir', '/tmp', '-vmodule', 'x=1', '-disable_fsnotify', '-poll_log_interval', '1s', '-stale_log_gc_interval=2h', '-log_backtrace_at', 'f.go:1'], want: ['run', '--progs', 'p'], warnings: 10 },
  { name: 'compile limits go to run', args: ['-progs', 'p', '-max_regexp_length', '2000', '-max_recursion_depth=50'], want: ['run', '--progs', 'p', '--max-regexp-length', '2000', '--max-recursion-depth', '50'] },
  { name: 'compile limits go to check', args: ['-progs', 'p', '--max_recursion_depth', '50', '-compile_only'], want: ['check', '--max-recursion-depth', '50', 'p'] },
  { name: 'our own flags pass through', args: ['-progs', 'p', '--state-dir', '/var/lib/x', '--from-start'], want: ['run', '--progs', 'p', '--state-dir', '/var/lib/x', '--from-start'] },
  { name: 'a logmetrics command is left alone', args: ['run', '--progs', 'p', '--one-shot'], want: ['run', '--progs', 'p', '--one-shot'] },
];

t.test('translation', async (t) => {
  for (const c of translations) {
    const r = translateMtailArgs(c.args);
    t.same(r.args, c.want, c.name);
    t.equal(r.warnings.length, c.warnings ?? 0, `${c.name}: ${c.warnings ?? 0} warnings`);
  }
  t.throws(() => translateMtailArgs(['-progs']), /flag needs an argument: -progs/, 'a missing value is an error, as in Go');
  t.throws(() => translateMtailArgs(['-progs', 'p', '-one_shot=maybe']), /invalid boolean value/, 'a bad boolean is an error');
  t.same(translateMtailArgs(['-progs', 'p', '-dump_ast', '-dump_bytecode']).dumps, ['ast', 'js'], 'dumps requested');
});

t.test('the CLI: -version, warnings, dumps', async (t) => {
  const v = cli(['-version']);
  t.equal(v.code, 0, '-version exits 0');
  t.equal(v.stdout.trim(), version, '-version prints the version, no "required option --progs"');
  const dir = mkdtempSync(join(tmpdir(), 'logmetrics-flags-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'p.mtail'), 'counter n\n/x/ {\n  n++\n}\n');
  const c = cli(['-progs', join(dir, 'p.mtail'), '-compile_only', '-dump_ast', '-block_profile_rate=5']);
  t.equal(c.code, 0, '-compile_only exits 0 on a good program');
  t.match(c.stderr, /warning: -block_profile_rate is accepted but has no effect/, 'one warning for the profiling knob');
  t.equal(c.stderr.match(/warning:/g)?.length, 1, 'exactly one warning');
  t.match(c.stderr, /"kind"|"type"|Program/, '-dump_ast writes the syntax tree on stderr');
  const bad = cli(['-progs', dir, '-no_such_flag']);
  t.equal(bad.code, 2, 'an unknown flag exits 2');
});

/** Programs and a log exercising every kind mtail's JSON carries: labels, gauges, histograms, text, a name in two programs. */
const PROGRAMS: Record<string, string> = {
  'web.mtail': `counter requests_total by code, method
gauge last_size
histogram latency_seconds buckets 0.005, 0.5, 1, 2.5, 1000000
text last_path
counter shared_total
/^(?P<method>[A-Z]+) (?P<path>\\S+) (?P<code>\\d{3}) (?P<size>\\d+) (?P<lat>\\d+\\.\\d+)$/ {
  requests_total[$code][$method]++
  last_size = $size
  latency_seconds = $lat
  last_path = $path
  shared_total++
}
`,
  'other.mtail': `counter shared_total
gauge ratio
/^(?P<method>[A-Z]+) / {
  shared_total += 2
  ratio = 1.0 / 3.0
}
`,
};
const LOG = ['GET /a 200 120 0.003', 'POST /b 500 7 0.75', 'GET /c 200 99 1.9', 'GET /d 404 0 2000000.5', 'noise'].join('\n') + '\n';

t.test("-one_shot prints mtail's JSON, as mtail does", async (t) => {
  const mtail = requireBinary('mtail', 'mtail');
  const dir = mkdtempSync(join(tmpdir(), 'logmetrics-oneshot-json-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'progs'));
  for (const [name, text] of Object.entries(PROGRAMS)) writeFileSync(join(dir, 'progs', name), text);
  writeFileSync(join(dir, 'a.log'), LOG);
  const args = ['-progs', join(dir, 'progs'), '-logs', join(dir, 'a.log'), '-one_shot'];
  const theirs = spawnSync(mtail, [...args, '-logtostderr', '-address', '127.0.0.1', '-port', '0'], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  t.equal(theirs.status, 0, `mtail ran: ${theirs.stderr.slice(-500)}`);
  const ours = cli(args);
  t.equal(ours.code, 0, `logmetrics ran: ${ours.stderr}`);
  // Times are when each tool read the line; everything else must be the same text.
  const norm = (s: string) => s.replace(/"Time": \d+/g, '"Time": T');
  t.ok(theirs.stdout.startsWith('{'), 'mtail prints an object');
  t.equal(norm(ours.stdout), norm(theirs.stdout), 'the same JSON, byte for byte but the times');
  const parsed = JSON.parse(ours.stdout) as Record<string, Array<{ Program: string }>>;
  t.same(parsed['shared_total']!.map((m) => m.Program).sort(), ['other.mtail', 'web.mtail'], 'one entry per program under a shared name');

  const json = cli([...args, '-one_shot_format', 'json']);
  t.equal(norm(json.stdout), norm(theirs.stdout), '-one_shot_format json: the same');
  const prom = cli([...args, '-one_shot_format', 'prometheus']);
  t.match(prom.stdout, /^# TYPE requests_total counter$/m, '-one_shot_format prometheus: Prometheus text');
  const own = cli(['run', '--progs', join(dir, 'progs'), '--logs', join(dir, 'a.log'), '--one-shot']);
  t.match(own.stdout, /^requests_total\{prog="web\.mtail",code="200",method="GET"\} 2$/m, 'our --one-shot keeps Prometheus text');
});
