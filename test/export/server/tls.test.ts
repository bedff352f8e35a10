// The web config at work on a real server: HTTPS with a self-signed
// certificate made by openssl, basic auth with a bcryptjs hash, extra headers,
// TLS versions, and each client-certificate policy.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { request, selfSigned, startServer, tempDir } from './helpers.js';

const INSTALL = 'openssl not found: apt-get install -y openssl';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** Whether a request completes with a status (true) or fails at the connection (false). */
async function answers(port: number, opts: Parameters<typeof request>[2]): Promise<number | string> {
  return request(port, '/healthz', { timeoutMs: 10_000, ...opts }).then(
    (r) => r.status,
    (err: NodeJS.ErrnoException) => `failed (${err.code ?? err.message})`,
  );
}

t.test('HTTPS with basic auth and extra headers', async (t) => {
  if (!haveOpenssl()) return void t.fail(INSTALL);
  const dir = tempDir(t, 'logmetrics-tls-');
  const server = selfSigned(dir, 'server');
  const config = path.join(dir, 'web.yml');
  fs.writeFileSync(
    config,
    // Relative paths: resolved against the config file's folder.
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
      'http_server_config:\n  headers:\n    X-Frame-Options: deny\n    X-Content-Type-Options: nosniff\n' +
      `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('s3cret', 8)}\n`,
  );
  const { port } = await startServer(t, { webConfigFile: config });
  const tls = { ca: read(server.cert) };
  const cases: { name: string; auth?: string; status: number }[] = [
    { name: 'right password', auth: basic('prometheus', 's3cret'), status: 200 },
    { name: 'right password again (remembered)', auth: basic('prometheus', 's3cret'), status: 200 },
    { name: 'wrong password', auth: basic('prometheus', 'guess'), status: 401 },
    { name: 'unknown user', auth: basic('root', 's3cret'), status: 401 },
    { name: 'no credentials', status: 401 },
    { name: 'not basic', auth: 'Bearer s3cret', status: 401 },
  ];
  for (const path of ['/metrics', '/', '/healthz', '/nope']) {
    for (const c of cases) {
      const r = await request(port, path, { tls, headers: c.auth === undefined ? {} : { Authorization: c.auth } });
      const status = c.status === 200 && path === '/nope' ? 404 : c.status;
      t.equal(r.status, status, `${path} ${c.name}: ${status}`);
      if (status === 401) t.match(r.headers['www-authenticate'] ?? '', /^Basic\b/, `${path} ${c.name}: asks for Basic credentials`);
      else t.equal(r.headers['www-authenticate'], undefined, `${path} ${c.name}: no challenge`);
      t.equal(r.headers['x-frame-options'], 'deny', `${path} ${c.name}: configured header`);
      t.equal(r.headers['x-content-type-options'], 'nosniff', `${path} ${c.name}: configured header`);
    }
  }
  const scrape = await request(port, '/metrics', { tls, headers: { Authorization: basic('prometheus', 's3cret') } });
  t.match(scrape.body.toString(), /^requests\{prog="a\.mtail",path="\/index\.html",code="200"\} 7$/m, 'the exposition over HTTPS');
  t.match(await answers(port, {}), /^failed/, 'plain HTTP to the HTTPS port gets no answer');
  t.match(await answers(port, { tls: { ca: read(selfSigned(dir, 'stranger').cert) } }), /^failed/, 'a client that does not trust the certificate cannot connect');
});

t.test('basic auth over plain HTTP', async (t) => {
  const dir = tempDir(t, 'logmetrics-auth-');
  const config = path.join(dir, 'web.yml');
  fs.writeFileSync(config, `basic_auth_users:\n  alice: ${bcrypt.hashSync('pw', 4)}\n`);
  const { port } = await startServer(t, { webConfigFile: config });
  t.equal((await request(port, '/metrics', { headers: { Authorization: basic('alice', 'pw') } })).status, 200, 'right password');
  t.equal((await request(port, '/metrics', { headers: { Authorization: basic('alice', 'pW') } })).status, 401, 'wrong password');
  t.equal((await request(port, '/metrics')).status, 401, 'no credentials');
});

t.test('min_version is enforced', async (t) => {
  if (!haveOpenssl()) return void t.fail(INSTALL);
  const dir = tempDir(t, 'logmetrics-tls-');
  const server = selfSigned(dir, 'server');
  const config = path.join(dir, 'web.yml');
  fs.writeFileSync(config, `tls_server_config:\n  cert_file: ${server.cert}\n  key_file: ${server.key}\n  min_version: TLS13\n`);
  const { port } = await startServer(t, { webConfigFile: config });
  const attempt = (maxVersion: 'TLSv1.2' | 'TLSv1.3') =>
    new Promise<string>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/healthz', ca: read(server.cert), servername: 'localhost', maxVersion, agent: false }, (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(`failed (${err.code})`));
    });
  t.equal(await attempt('TLSv1.3'), '200', 'a TLS 1.3 client is served');
  t.match(await attempt('TLSv1.2'), /^failed/, 'a TLS 1.2 client is refused');
});

t.test('client certificate policies', async (t) => {
  if (!haveOpenssl()) return void t.fail(INSTALL);
  const dir = tempDir(t, 'logmetrics-mtls-');
  const server = selfSigned(dir, 'server');
  const ca = selfSigned(dir, 'ca', 'test CA');
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 60_000 });
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=scraper', '-keyout', 'client.key', '-out', 'client.csr']);
  run(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'client.crt']);
  const stranger = selfSigned(dir, 'stranger', 'stranger');
  const trusted = { cert: read(path.join(dir, 'client.crt')), key: read(path.join(dir, 'client.key')) };
  const untrusted = { cert: read(stranger.cert), key: read(stranger.key) };

  const policies: { policy: string; none: boolean; trusted: boolean; untrusted: boolean }[] = [
    { policy: 'RequestClientCert', none: true, trusted: true, untrusted: true },
    { policy: 'RequireAnyClientCert', none: false, trusted: true, untrusted: true },
    { policy: 'VerifyClientCertIfGiven', none: true, trusted: true, untrusted: false },
    { policy: 'RequireAndVerifyClientCert', none: false, trusted: true, untrusted: false },
  ];
  for (const p of policies) {
    const config = path.join(dir, `${p.policy}.yml`);
    fs.writeFileSync(
      config,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: ${p.policy}\n  client_ca_file: ca.crt\n`,
    );
    const { server: s, port } = await startServer(t, { webConfigFile: config });
    const base = { ca: read(server.cert) };
    for (const [who, cert, want] of [
      ['no certificate', {}, p.none],
      ['certificate signed by the client CA', trusted, p.trusted],
      ['self-signed certificate', untrusted, p.untrusted],
    ] as const) {
      const got = await answers(port, { tls: { ...base, ...cert } });
      if (want) t.equal(got, 200, `${p.policy}, ${who}: served`);
      else t.match(got, /^failed/, `${p.policy}, ${who}: refused`);
    }
    await s.close();
  }
});
