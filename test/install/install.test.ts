// From the tarball to a daemon scraped by Prometheus, following the README's
// Install section command by command: a copy of this checkout is packed
// (`npm pack` runs prepack, which builds dist/), the tarball is installed into a
// temporary global prefix (npm_config_prefix), and the installed command prints
// its version, checks the shipped programs, runs one-shot, and follows a log
// that a real Prometheus scrapes with the README's scrape configuration.
//
// re2's install script first tries to download a prebuilt binary and builds
// from source only when none can be had. The test serves it the binary this
// checkout's node_modules already holds, from a local mirror
// (RE2_DOWNLOAD_MIRROR, re2's own setting), so the install takes seconds;
// LOGMETRICS_TEST_RE2_FROM_SOURCE=1 makes it build from source instead (4 CPU
// minutes, measured here).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { freePort, get, ROOT, startPeer, tempDir, waitUntil } from '../daemon/helpers.js';
import { requireBinary } from '../e2e/peers.js';

t.setTimeout(20 * 60_000);

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The fenced blocks of the README's "## Install" section, by language. */
function installBlocks(): Array<{ lang: string; text: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install\n');
  if (start < 0) throw new Error('README.md has no "## Install" section');
  // Its own steps end at the next heading: the subsections (the container image) are not
  // steps for a fresh machine without a container runtime.
  const end = readme.slice(start + 1).search(/\n###? /) + start + 1;
  const section = readme.slice(start, end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

/** The environment of a fresh shell whose npm installs globally into `prefix`. */
function freshEnv(prefix: string, mirror: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Not the npm_* variables of the `npm test` running this file.
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`;
  env.npm_config_prefix = prefix;
  env.npm_config_prefer_offline = 'true';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  if (mirror !== undefined) {
    env.RE2_DOWNLOAD_MIRROR = mirror;
    env.RE2_DOWNLOAD_SKIP_PATH = '1';
    env.RE2_DOWNLOAD_SKIP_VER = '1';
  }
  return env;
}

t.test("the README's Install section, from the tarball to a Prometheus scrape", async (t) => {
  const curl = requireBinary('curl', 'curl');
  requireBinary('prometheus', 'prometheus');
  const dir = tempDir(t, 'install');
  // A checkout without dist/: what `git clone` gives.
  const checkout = join(dir, 'checkout');
  mkdirSync(checkout);
  for (const name of readdirSync(ROOT)) {
    if (['node_modules', 'dist', '.git'].includes(name) || name.endsWith('.tgz')) continue;
    cpSync(join(ROOT, name), join(checkout, name), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
  const prefix = join(dir, 'prefix');
  let mirror: string | undefined;
  if (process.env.LOGMETRICS_TEST_RE2_FROM_SOURCE !== '1') {
    mirror = join(dir, 're2-mirror');
    mkdirSync(mirror);
    const built = join(ROOT, 'node_modules', 're2', 'build', 'Release', 're2.node');
    for (const platform of ['linux', 'linux-musl']) copyFileSync(built, join(mirror, `${platform}-${process.arch}-${process.versions.modules}`));
  }
  const env = freshEnv(prefix, mirror);
  const log = join(dir, 'syslog');
  writeFileSync(log, '');
  const port = await freePort();
  const adapt = (cmd: string) => cmd.replaceAll('/var/log/syslog', log).replaceAll('3903', String(port));

  const blocks = installBlocks();
  const commands = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.text.split('\n'))
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  t.ok(commands.some((c) => c.startsWith('npm pack')), 'the README packs');
  t.ok(commands.some((c) => c.startsWith('npm install -g')), 'the README installs globally');
  t.ok(commands.some((c) => c.endsWith('&')), 'the README starts a daemon');

  let daemonOutput = '';
  for (const raw of commands) {
    const cmd = adapt(raw);
    if (cmd.endsWith('&')) {
      const child = spawn('bash', ['-c', `exec ${cmd.slice(0, -1)}`], { cwd: checkout, env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (s: string) => (daemonOutput += s));
      t.teardown(() => {
        child.kill('SIGTERM');
      });
      await waitUntil(() => `the daemon to listen; it said:\n${daemonOutput}`, () => (/event=listening/.test(daemonOutput) ? true : undefined), 60_000, 100);
      t.match(daemonOutput, new RegExp(`event=listening .*port=${port}`), `${raw}: listening`);
      // The daemon reads the file from its end: these lines come after it started.
      appendFileSync(log, 'Dec  2 04:00:00 host app: one\nDec  2 04:00:01 host app: two\nDec  2 04:00:02 host app: three\n');
      continue;
    }
    if (cmd.startsWith('curl ')) {
      const out = await waitUntil(
        () => `${raw} to print the three lines counted; daemon said:\n${daemonOutput}`,
        () => {
          const r = spawnSync('bash', ['-c', cmd.replace(/^curl/, curl)], { cwd: checkout, env, encoding: 'utf8' });
          return /^log_lines_total\{.*\} 3$/m.test(r.stdout) ? r.stdout : undefined;
        },
        60_000,
        200,
      );
      t.match(out, /^log_lines_total\{prog="linecount\.mtail",filename="[^"]+"\} 3$/m, `${raw}: the metric of the shipped program`);
      continue;
    }
    const r = spawnSync('bash', ['-c', cmd], { cwd: checkout, env, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
    t.equal(r.status, 0, `${raw}: exit 0\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-4000)}`);
    if (raw.startsWith('npm pack')) t.ok(existsSync(join(checkout, `logmetrics-${version}.tgz`)), 'npm pack wrote the tarball');
    if (raw.startsWith('npm install')) {
      const re2 = join(prefix, 'lib', 'node_modules', 'logmetrics', 'node_modules', 're2', 'build', 'Release', 're2.node');
      t.ok(existsSync(re2), "re2's native module is installed");
      // npm runs install scripts silently; the bytes say where the binary came from.
      if (mirror !== undefined) t.ok(readFileSync(re2).equals(readFileSync(join(ROOT, 'node_modules', 're2', 'build', 'Release', 're2.node'))), "re2's prebuilt binary came from the mirror");
      t.ok(existsSync(join(prefix, 'bin', 'logmetrics')), 'the command lands in PREFIX/bin');
      t.ok(existsSync(join(prefix, 'lib', 'node_modules', 'logmetrics', 'programs', 'nginx.mtail')), 'the programs land in PREFIX/lib/node_modules/logmetrics/programs');
      t.notOk(existsSync(join(prefix, 'lib', 'node_modules', 'logmetrics', 'src')), 'no TypeScript sources in the package');
    }
    if (raw === 'logmetrics --version') t.equal(r.stdout.trim(), version, 'the installed command prints the version');
    if (raw.startsWith('logmetrics check')) t.equal(r.status, 0, 'the shipped programs compile');
  }

  // A one-shot run of the installed command.
  const oneShot = spawnSync('logmetrics', ['run', '--progs', join(prefix, 'lib', 'node_modules', 'logmetrics', 'programs', 'linecount.mtail'), '--logs', log, '--one-shot'], { env, encoding: 'utf8' });
  t.equal(oneShot.status, 0, `one-shot exits 0: ${oneShot.stderr}`);
  t.match(oneShot.stdout, /^log_lines_total\{.*\} 3$/m, 'one-shot counts the three lines');

  // Prometheus with the README's scrape configuration (scraping every second instead of 15s).
  const yaml = blocks.find((b) => b.lang === 'yaml');
  t.ok(yaml, 'the README has a Prometheus configuration');
  const promPort = await freePort();
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, adapt(yaml!.text).replace(/scrape_interval: \d+s/, 'scrape_interval: 1s'));
  const prometheus = startPeer(t, requireBinary('prometheus', 'prometheus'), [`--config.file=${cfg}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn']);
  const query = async (expr: string) => {
    const r = await get(`http://127.0.0.1:${promPort}/api/v1/query?${new URLSearchParams({ query: expr })}`).catch(() => undefined);
    if (r?.status !== 200) return undefined;
    const body = JSON.parse(r.body) as { data: { result: Array<{ value: [number, string] }> } };
    return body.data.result;
  };
  const result = await waitUntil(
    () => `Prometheus to scrape log_lines_total; it said:\n${prometheus.output()}`,
    async () => {
      const r = await query('log_lines_total{job="logmetrics"}');
      return r !== undefined && r.length === 1 && r[0]!.value[1] === '3' ? r : undefined;
    },
    120_000,
    500,
  );
  t.equal(result[0]!.value[1], '3', 'Prometheus has the three lines from the installed daemon');
  const up = await query('up{job="logmetrics"}');
  t.equal(up?.[0]?.value[1], '1', 'the target is up');
});
