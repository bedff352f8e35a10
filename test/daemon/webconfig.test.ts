// --web.config.file with TLS and basic auth, on the running daemon: a
// self-signed certificate made with openssl here, a bcrypt hash made with
// bcryptjs; the right password gets the metrics, a wrong one 401, and a client
// that does not speak TLS gets no answer at all.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { parseExposition } from '../helpers/promtext.js';
import { get, missingMessage, runArgs, startDaemon, tempDir, valueOf } from './helpers.js';

t.test('TLS and basic auth on /metrics', async (t) => {
  const dir = tempDir(t, 'logmetrics-webconfig-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const openssl = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '2', '-subj', '/CN=logmetrics-test', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if ((openssl.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(missingMessage('openssl', 'openssl'));
  t.equal(openssl.status, 0, 'openssl made a certificate', { stderr: openssl.stderr });
  const ca = readFileSync(cert);

  const password = 'correct horse battery staple';
  // Cost 8 keeps the check quick on a busy machine; the daemon accepts costs 4 to 31.
  const hash = bcrypt.hashSync(password, 8);
  const config = join(dir, 'web.yml');
  // Relative file names are read from the config file's folder.
  writeFileSync(config, `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: '${hash}'\n`);

  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'n.mtail'), 'counter n_total\n/^n$/ {\n  n_total++\n}\n');
  const log = join(dir, 'n.log');
  writeFileSync(log, '');
  const authorization = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const good = { ca, headers: { Authorization: authorization('prometheus', password) } };
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--web.config.file', config), { scrape: good });
  t.match(d.stderr(), /event=web_config .*tls=true .*basic_auth_users=1/, 'logged the web config');
  appendFileSync(log, 'n\n'.repeat(17));
  await d.waitForValue('n_total', {}, 17);

  const url = `https://127.0.0.1:${d.port}/metrics`;
  const cases: { name: string; headers?: Record<string, string>; status: number }[] = [
    { name: 'right password', headers: good.headers, status: 200 },
    { name: 'wrong password', headers: { Authorization: authorization('prometheus', 'wrong') }, status: 401 },
    { name: 'unknown user', headers: { Authorization: authorization('nobody', password) }, status: 401 },
    { name: 'password of another user', headers: { Authorization: authorization('Prometheus', password) }, status: 401 },
    { name: 'no credentials', status: 401 },
  ];
  for (const c of cases) {
    const r = await get(url, { ca, headers: { Accept: 'text/plain', ...c.headers } });
    t.equal(r.status, c.status, `${c.name}: ${c.status}`);
    if (c.status === 200) {
      t.equal(valueOf(parseExposition(r.body), 'n_total'), 17, `${c.name}: the metrics`);
    } else {
      t.notMatch(r.body, /n_total/, `${c.name}: no metrics in the body`);
      t.match(String(r.headers['www-authenticate']), /^Basic /, `${c.name}: asks for basic auth`);
    }
  }

  const plain = await get(`http://127.0.0.1:${d.port}/metrics`, { headers: good.headers, timeoutMs: 20_000 }).then(
    (r) => `answered ${r.status}`,
    (e: NodeJS.ErrnoException) => `failed: ${e.code ?? e.message}`,
  );
  t.match(plain, /^failed: /, `plain HTTP to the TLS port: the connection fails (${plain})`);

  const untrusted = await get(url, { headers: good.headers }).then(
    (r) => `answered ${r.status}`,
    (e: NodeJS.ErrnoException) => `failed: ${e.code ?? e.message}`,
  );
  t.match(untrusted, /failed: .*(SELF_SIGNED|CERT)/i, `HTTPS without trusting the certificate fails (${untrusted})`);

  t.equal((await d.stop()).code, 0, 'exit 0');
});
