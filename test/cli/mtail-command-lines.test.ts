// Real-world mtail command lines, each run with logmetrics in mtail's place:
// it must start and serve /metrics with the program's metric. Paths are moved
// under a temporary directory (/etc/mtail → DIR/etc/mtail, ...), and a line
// with no --port (mtail's default 3903) gets a free port appended so the rows
// cannot collide with anything else on the machine; nothing else is changed.
// Left out on purpose: -one_shot and -compile_only lines (they do not serve;
// test/cli covers them), and Troubleshooting.md's --jaeger_endpoint, a flag
// newer than mtail 3.0.0~rc50, which rc50 itself rejects.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, get, ROOT, startDaemon, tempDir } from '../daemon/helpers.js';

const DEB_UNIT = 'Debian mtail 3.0.0~rc50: /lib/systemd/system/mtail.service';
const DEB_DEFAULT = 'Debian mtail: /etc/default/mtail (LOGS example; EXTRA_ARGS from its list of options)';
const DEB_INIT = 'Debian mtail: /etc/init.d/mtail';
const DEPLOYING = 'mtail docs/Deploying.md';

const ROWS: Array<{ source: string; line: string }> = [
  // ExecStart=/bin/sh -c 'exec /usr/bin/mtail --progs /etc/mtail --logtostderr ${HOST:+--address $HOST} ${PORT:+--port $PORT} --logs "$LOGS" $EXTRA_ARGS', expanded:
  { source: `${DEB_UNIT}, unit defaults HOST=:: PORT=3903, LOGS from ${DEB_DEFAULT}`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/*.log,/var/log/mail.info' },
  { source: `${DEB_UNIT}, HOST and PORT emptied`, line: 'mtail --progs /etc/mtail --logtostderr --logs /var/log/syslog' },
  { source: `${DEB_UNIT}, HOST=0.0.0.0`, line: 'mtail --progs /etc/mtail --logtostderr --address 0.0.0.0 --port 3903 --logs /var/log/syslog' },
  { source: `${DEB_DEFAULT}: --poll_interval`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --poll_interval 1s' },
  { source: `${DEB_DEFAULT}: --emit_prog_label=false --emit_metric_timestamp`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --emit_prog_label=false --emit_metric_timestamp' },
  { source: `${DEB_DEFAULT}: gc intervals`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --expired_metrics_gc_interval 30m --stale_log_gc_interval 2h' },
  { source: `${DEB_DEFAULT}: --override_timezone --syslog_use_current_year`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --override_timezone Europe/Berlin --syslog_use_current_year=false' },
  { source: `${DEB_DEFAULT}: --ignore_filename_regex_pattern`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/*.log --ignore_filename_regex_pattern \\.gz$' },
  { source: `${DEB_DEFAULT}: --vm_logs_runtime_errors=false --v 2`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --vm_logs_runtime_errors=false --v 2' },
  { source: `${DEB_DEFAULT}: profiling knobs`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --block_profile_rate 0 --mutex_profile_fraction 0 --trace_sample_period 0 --vmodule tailer=2' },
  { source: `${DEB_DEFAULT}: statsd push`, line: 'mtail --progs /etc/mtail --logtostderr --address :: --port 3903 --logs /var/log/syslog --statsd_hostport 127.0.0.1:8125 --statsd_prefix web --metric_push_interval 30s' },
  // ARGS="-progs /etc/mtail -logtostderr" [-address $HOST] [-port $PORT] [...] -logs "$LOGS" $EXTRA_ARGS
  { source: DEB_INIT, line: 'mtail -progs /etc/mtail -logtostderr -address 0.0.0.0 -port 3903 -logs /var/log/syslog' },
  { source: `${DEB_INIT}, GRAPHITE_HOSTPORT and METRIC_PUSH_INTERVAL set`, line: 'mtail -progs /etc/mtail -logtostderr -port 3903 -graphite_host_port 127.0.0.1:2003 -metric_push_interval_seconds 60 -logs /var/log/syslog' },
  { source: `${DEB_INIT}, COLLECTD_SOCKETPATH set`, line: 'mtail -progs /etc/mtail -logtostderr -port 3903 -collectd_socketpath /var/run/collectd-unixsock -logs /var/log/syslog' },
  { source: `${DEPLOYING}, Quickstart`, line: 'mtail --progs /etc/mtail --logs /var/log/syslog --logs /var/log/ntp/peerstats' },
  { source: `${DEPLOYING}, polling`, line: 'mtail --progs /etc/mtail --logs /var/log/syslog --poll_interval 250ms --poll_log_interval 250ms' },
  { source: `${DEPLOYING}, Docker`, line: 'mtail --logs /var/log/myapp --progs /etc/mtail' },
  { source: `${DEPLOYING}, collectd`, line: 'mtail --progs /etc/mtail --logs /var/log/syslog,/var/log/rsyncd.log --collectd_socketpath=/var/run/collectd-unixsock' },
  { source: `${DEPLOYING}, graphite`, line: 'mtail --progs /etc/mtail --logs /var/log/syslog,/var/log/rsyncd.log --graphite_host_port=localhost:9999' },
  { source: 'mtail docs/Building.md, Docker image example (without -one_shot)', line: 'mtail -logtostderr -progs /progs/linecount.mtail -logs /logs/messages.log' },
  { source: 'Kubernetes: OPA gatekeeper audit mtail sidecar (public Deployment args)', line: 'mtail -logtostderr -expired_metrics_gc_interval 30s -v 1 -progs /config -logs /var/log/containers/gatekeeper-audit-manager*manager*.log' },
  { source: 'Container: evryfs github-actions-runner-metrics Dockerfile CMD', line: 'mtail -logtostderr -logs /_diag/* -progs /progs' },
  { source: 'Kubernetes: DaemonSet args in --flag=value form', line: 'mtail --progs=/etc/mtail --logs=/var/log/containers/*.log --port=3903 --address=0.0.0.0 --logtostderr --alsologtostderr=false' },
];

/** Absolute paths of the command lines, moved under the test's directory. */
const MOVED = ['/etc/mtail', '/progs', '/config', '/var/log', '/var/run', '/logs', '/_diag'];

function moveTokens(dir: string, tokens: string[]): string[] {
  return tokens.map((tok) => {
    let out = tok;
    for (const p of MOVED) out = out.replace(new RegExp(`(^|=|,)${p.replace(/[/]/g, '\\/')}(?=/|$|,)`, 'g'), `$1${dir}${p}`);
    return out;
  });
}

t.test('real mtail command lines start logmetrics and serve /metrics', async (t) => {
  t.ok(ROWS.length >= 20, `${ROWS.length} command lines`);
  for (const [i, row] of ROWS.entries()) {
    await t.test(`${i + 1}: ${row.source}`, async (t) => {
      const dir = tempDir(t, 'logmetrics-mtail-cmd-');
      // The file system those command lines expect: program directories, logs (globs match one file).
      for (const d of ['/etc/mtail', '/progs', '/config']) {
        fs.mkdirSync(dir + d, { recursive: true });
        fs.copyFileSync(path.join(ROOT, 'programs', 'linecount.mtail'), path.join(dir + d, 'linecount.mtail'));
      }
      for (const f of ['/var/log/syslog', '/var/log/mail.info', '/var/log/app.log', '/var/log/ntp/peerstats', '/var/log/rsyncd.log', '/var/log/myapp', '/logs/messages.log', '/_diag/Runner_1.log', '/var/log/containers/gatekeeper-audit-manager-7d_gatekeeper-system_manager-1.log', '/var/log/containers/web_default_nginx-1.log']) {
        fs.mkdirSync(path.dirname(dir + f), { recursive: true });
        fs.writeFileSync(dir + f, '');
      }
      fs.mkdirSync(dir + '/var/run', { recursive: true });
      const tokens = row.line.split(/\s+/);
      t.equal(tokens[0], 'mtail', 'an mtail command line');
      let args = moveTokens(dir, tokens.slice(1));
      const port = await freePort();
      const portAt = args.findIndex((a) => /^--?port(=|$)/.test(a));
      if (portAt < 0) args = [...args, '-port', String(port)];
      else if (args[portAt]!.includes('=')) args[portAt] = args[portAt]!.replace(/=.*/, `=${port}`);
      else args[portAt + 1] = String(port);
      const d = await startDaemon(t, args, { port, cwd: dir });
      // A line in the first log of the command line is counted and served.
      const first = (args[args.findIndex((a) => /^--?logs(=|$)/.test(a))]!.includes('=')
        ? args.find((a) => /^--?logs=/.test(a))!.replace(/^--?logs=/, '')
        : args[args.findIndex((a) => /^--?logs$/.test(a)) + 1]!
      ).split(',')[0]!;
      const target = first.includes('*') ? fs.readdirSync(path.dirname(first)).map((f) => path.join(path.dirname(first), f)).find((f) => fs.statSync(f).isFile())! : first;
      fs.appendFileSync(target, 'hello\n');
      await d.waitForValue('log_lines_total', { filename: target }, 1);
      const r = await get(d.url('/metrics'));
      t.equal(r.status, 200, 'GET /metrics: 200');
      t.match(r.body, /^# TYPE log_lines_total counter$/m, "the program's metric is served");
      t.pass(`a line of ${path.relative(dir, target)} is counted`);
      t.equal((await d.stop()).code, 0, 'exit 0 on SIGTERM');
    });
  }
});
