// Credentials and TLS of the pushes, against the real receivers behind their own
// --web.config.file (TLS with a self-signed certificate, basic auth with a bcrypt hash): the
// Pushgateway for a one-shot run, Prometheus' remote-write receiver for the daemon. The
// right settings get through, each wrong one is refused with the reason, and a password
// file that disappears while the daemon runs is retried until it is back.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { BIN, freePort, get, runArgs, startDaemon, startPeer, tempDir, waitUntil, type Peer, type Teardown } from '../daemon/helpers.js';
import { requireBinary } from '../e2e/peers.js';
import { selfSigned } from '../export/server/helpers.js';

const USER = 'logmetrics';
const PASSWORD = 'correct horse battery staple';
const PROGRAM = 'counter requests_total by code\n/^req (?P<code>\\d+)$/ {\n  requests_total[$code]++\n}\n';

/** A temp dir with progs/req.mtail and req.log holding `lines`. */
function workDir(t: Teardown, name: string, lines: string): { dir: string; progs: string; log: string } {
  const dir = tempDir(t, name);
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'req.mtail'), PROGRAM);
  const log = join(dir, 'req.log');
  writeFileSync(log, lines);
  return { dir, progs, log };
}

/** A work dir with a self-signed certificate, a web config with TLS and basic auth, and the files a client uses. */
function securedDir(t: Teardown, name: string, lines: string) {
  const { dir, progs, log } = workDir(t, name, lines);
  const { key, cert } = selfSigned(dir, 'server');
  const web = join(dir, 'web.yml');
  // Cost 8 keeps the check quick on a busy machine.
  writeFileSync(web, `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\nbasic_auth_users:\n  ${USER}: '${bcrypt.hashSync(PASSWORD, 8)}'\n`);
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  const wrongPasswordFile = join(dir, 'wrong-password');
  writeFileSync(wrongPasswordFile, 'hunter2\n');
  const client = { ca: readFileSync(cert), headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` } };
  return { dir, progs, log, cert, web, passwordFile, wrongPasswordFile, client };
}

/** Starts a server binary behind its web config and waits until `readyPath` answers 200 over TLS with auth. */
async function startSecured(t: Teardown, binary: string, pkg: string, args: (port: number) => string[], readyPath: string, client: { ca: Buffer; headers: Record<string, string> }): Promise<{ port: number; peer: Peer }> {
  const port = await freePort();
  const peer = startPeer(t, requireBinary(binary, pkg), args(port));
  await waitUntil(
    () => `${binary} to be ready over TLS; it said:\n${peer.output()}`,
    async () => {
      if (peer.hasExited()) throw new Error(`${binary} exited:\n${peer.output()}`);
      const r = await get(`https://127.0.0.1:${port}${readyPath}`, client).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    },
    90_000,
    200,
  );
  return { port, peer };
}

t.test('one-shot push to a Pushgateway behind TLS and basic auth', async (t) => {
  const s = securedDir(t, 'push-auth', 'req 200\n'.repeat(7) + 'req 500\n'.repeat(3));
  const pg = await startSecured(t, 'prometheus-pushgateway', 'prometheus-pushgateway', (port) => [`--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${s.web}`, '--persistence.file=', '--log.level=warn'], '/-/ready', s.client);
  const url = `https://127.0.0.1:${pg.port}`;
  const missing = join(s.dir, 'nowhere');

  // Exit 1: the push failed; 2: the command line is wrong.
  const cases: { name: string; url?: string; args: string[]; status: number; stderr?: RegExp }[] = [
    { name: 'CA and basic auth: pushed', args: ['--push-gateway.tls.ca-file', s.cert, '--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile], status: 0 },
    { name: 'a wrong password: the answer 401', args: ['--push-gateway.tls.ca-file', s.cert, '--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.wrongPasswordFile], status: 1, stderr: /answered 401/ },
    { name: 'no credentials: 401', args: ['--push-gateway.tls.ca-file', s.cert], status: 1, stderr: /answered 401/ },
    { name: 'no CA: the self-signed certificate is refused', args: ['--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile], status: 1, stderr: /self[- ]signed certificate/ },
    { name: 'another server name: refused', args: ['--push-gateway.tls.ca-file', s.cert, '--push-gateway.tls.server-name', 'other.example', '--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile], status: 1, stderr: /other\.example/ },
    { name: 'insecure-skip-verify: pushed without the CA', args: ['--push-gateway.tls.insecure-skip-verify', '--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile], status: 0 },
    { name: 'credentials in the URL still work', url: `https://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${pg.port}`, args: ['--push-gateway.tls.ca-file', s.cert], status: 0 },
    { name: 'a missing password file is named', args: ['--push-gateway.tls.ca-file', s.cert, '--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', missing], status: 1, stderr: /basic auth password file .*nowhere/ },
    { name: 'a missing CA file is named', args: ['--push-gateway.tls.ca-file', missing], status: 1, stderr: /TLS CA file .*nowhere/ },
    { name: 'a username needs a password file', args: ['--push-gateway.basic-auth.username', USER], status: 2, stderr: /--push-gateway\.basic-auth\.username and --push-gateway\.basic-auth\.password-file go together/ },
    { name: 'basic auth and a bearer token: one of them', args: ['--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile, '--push-gateway.bearer-token-file', s.passwordFile], status: 2, stderr: /basic auth or a bearer token for the Pushgateway, not both/ },
    { name: 'credentials in the URL and in flags: one of them', url: `https://${USER}:x@127.0.0.1:${pg.port}`, args: ['--push-gateway.basic-auth.username', USER, '--push-gateway.basic-auth.password-file', s.passwordFile], status: 2, stderr: /in its URL or with --push-gateway\.basic-auth/ },
    { name: 'TLS settings for an http:// URL are a mistake', url: `http://127.0.0.1:${pg.port}`, args: ['--push-gateway.tls.ca-file', s.cert], status: 2, stderr: /--push-gateway\.tls\.\* apply to https:\/\/ URLs/ },
    { name: 'a client certificate needs its key', args: ['--push-gateway.tls.cert-file', s.cert], status: 2, stderr: /cert-file and --push-gateway\.tls\.key-file go together/ },
  ];
  for (const c of cases) {
    const run = spawnSync(process.execPath, [BIN, 'run', '--one-shot', '--progs', s.progs, '--logs', s.log, '--push-gateway', c.url ?? url, '--job', 'nightly', ...c.args], { encoding: 'utf8', timeout: 60_000 });
    t.equal(run.status, c.status, `${c.name}: exit ${c.status}`, { stderr: run.stderr });
    if (c.stderr) t.match(run.stderr, c.stderr, `${c.name}: says why`);
    else t.equal(run.stderr.match(/level=(warn|error)/), null, `${c.name}: no warning`, { stderr: run.stderr });
  }

  const api = JSON.parse((await get(`${url}/api/v1/metrics`, s.client)).body) as { data: { labels: Record<string, string>; requests_total?: { metrics: { labels: Record<string, string>; value: string }[] } }[] };
  t.same(api.data.map((g) => g.labels), [{ job: 'nightly' }], 'one group, the one pushed');
  const pushed = Object.fromEntries((api.data[0]?.requests_total?.metrics ?? []).map((m) => [m.labels.code, Number(m.value)]));
  t.same(pushed, { '200': 7, '500': 3 }, 'the Pushgateway holds the counts, read back over TLS with auth');
});

t.test('remote write to Prometheus behind TLS and basic auth; a password file that goes away is retried', async (t) => {
  const s = securedDir(t, 'remote-write-auth', '');
  // Nothing to scrape: the samples come by remote write.
  writeFileSync(join(s.dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const prom = await startSecured(
    t,
    'prometheus',
    'prometheus',
    (port) => [
      `--config.file=${join(s.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(s.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${s.web}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    '/-/ready',
    s.client,
  );
  const query = async (expr: string): Promise<number | undefined> => {
    const r = await get(`https://127.0.0.1:${prom.port}/api/v1/query?${new URLSearchParams({ query: expr })}`, s.client);
    const body = JSON.parse(r.body) as { data?: { result: { value: [number, string] }[] } };
    const v = body.data?.result[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  };

  const log = s.log;
  const d = await startDaemon(
    t,
    runArgs(
      s.progs,
      [log],
      '--remote-write.url', `https://127.0.0.1:${prom.port}/api/v1/write`,
      '--remote-write.interval', '500ms',
      '--remote-write.tls.ca-file', s.cert,
      '--remote-write.basic-auth.username', USER,
      '--remote-write.basic-auth.password-file', s.passwordFile,
    ),
  );
  appendFileSync(log, 'req 200\n'.repeat(5));
  await d.waitForValue('requests_total', { code: '200' }, 5);
  await waitUntil(() => 'Prometheus to hold requests_total 5', async () => ((await query('requests_total{code="200"}')) === 5 ? true : undefined), 60_000, 250);
  t.pass('Prometheus received the samples over TLS with basic auth');

  // The password file is rotated: gone for a while, then back.
  const away = `${s.passwordFile}.away`;
  renameSync(s.passwordFile, away);
  const retried = (await d.value('logmetrics_remote_write_samples_retried_total')) ?? 0;
  appendFileSync(log, 'req 200\n'.repeat(4));
  await d.waitForSamples('pushes to be retried while the password file is missing', (samples) => samples.some((x) => x.name === 'logmetrics_remote_write_samples_retried_total' && x.value > retried));
  t.match(await d.waitForLog(/event=remote_write_failed/), /basic auth password file/, 'the failure names the missing file');
  t.equal(d.hasExited(), false, 'the daemon keeps running');
  t.equal(await d.value('requests_total', { code: '200' }), 9, '/metrics keeps answering and counting');
  renameSync(away, s.passwordFile);
  await waitUntil(() => 'Prometheus to hold requests_total 9 once the file is back', async () => ((await query('requests_total{code="200"}')) === 9 ? true : undefined), 60_000, 250);
  // Prometheus may hold the samples before the daemon has read its answer: wait for the line.
  t.match(await d.waitForLog(/event=remote_write_recovered/), /url=https:\/\/127\.0\.0\.1/, 'the recovery is logged');
  await d.stop();
});

t.test('credential and TLS flags are refused where they would do nothing', async (t) => {
  const { progs, log } = workDir(t, 'push-flags', 'req 200\n');
  const base = ['run', '--progs', progs, '--logs', log, '--address', '127.0.0.1', '--port', '0'];
  const cases: { name: string; args: string[]; stderr: RegExp }[] = [
    { name: 'a Pushgateway CA without --push-gateway', args: ['--one-shot', '--push-gateway.tls.ca-file', log], stderr: /--push-gateway\.tls\.ca-file goes with --push-gateway\b/ },
    { name: 'a Pushgateway password file without --push-gateway', args: ['--one-shot', '--push-gateway.basic-auth.password-file', log], stderr: /--push-gateway\.basic-auth\.password-file goes with --push-gateway\b/ },
    { name: 'remote-write auth without --remote-write.url', args: ['--remote-write.basic-auth.username', 'u'], stderr: /--remote-write\.basic-auth\.username goes with --remote-write\.url/ },
    { name: 'remote-write TLS for http:// receivers only', args: ['--remote-write.url', 'http://127.0.0.1:9/api/v1/write', '--remote-write.tls.insecure-skip-verify'], stderr: /--remote-write\.tls\.\* apply to https:\/\/ URLs, and remote write has none/ },
  ];
  for (const c of cases) {
    const run = spawnSync(process.execPath, [BIN, ...base, ...c.args], { encoding: 'utf8', timeout: 60_000 });
    t.equal(run.status, 2, `${c.name}: refused as a usage error`);
    t.match(run.stderr, c.stderr, `${c.name}: says which flag`);
  }
  // Read before the daemon listens: it stops, rather than run on without its remote write.
  const missing = join(dirname(log), 'nowhere.pem');
  const run = spawnSync(process.execPath, [BIN, ...base, '--remote-write.url', 'https://127.0.0.1:9/api/v1/write', '--remote-write.tls.ca-file', missing], { encoding: 'utf8', timeout: 60_000 });
  t.equal(run.status, 1, 'a daemon whose CA file cannot be read does not start');
  t.match(run.stderr, /TLS CA file .*nowhere\.pem: ENOENT/, 'and names the file');
  t.notMatch(run.stderr, /event=listening/, 'nothing was listening');
});
