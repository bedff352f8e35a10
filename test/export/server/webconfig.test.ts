// Web config files in the exporter-toolkit format: what is accepted, and the
// error (file, line, column, problem) for what is not. Certificates are made by
// openssl in a temporary folder; relative paths are taken from the file's folder.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { Store } from '../../../src/metrics/index.js';
import { ExporterServer, WebConfigError, loadWebConfig } from '../../../src/export/server/index.js';
import { selfSigned, tempDir } from './helpers.js';

const HASH = bcrypt.hashSync('secret', 4);

t.test('invalid web configs are refused with the file, position and problem', async (t) => {
  const dir = tempDir(t, 'logmetrics-webconfig-');
  selfSigned(dir, 'server');
  selfSigned(dir, 'other');
  const file = path.join(dir, 'web.yml');
  const cases: { name: string; yaml: string; error: RegExp }[] = [
    { name: 'not YAML', yaml: 'tls_server_config: [\n', error: /^web\.yml:[12]:\d+: not valid YAML/ },
    { name: 'duplicate key', yaml: 'basic_auth_users:\n  a: x\n  a: y\n', error: /^web\.yml:3:3: not valid YAML: Map keys must be unique/ },
    { name: 'top level is a list', yaml: '- a\n', error: /^web\.yml:1:1: the web config must be a mapping/ },
    {
      name: 'misspelt field',
      yaml: 'basic_auth_user:\n  alice: x\n',
      error: /^web\.yml:1:1: the web config: unknown field "basic_auth_user"/,
    },
    {
      name: 'password instead of hash',
      yaml: 'basic_auth_users:\n  alice: secret\n',
      error: /^web\.yml:2:10: basic_auth_users\.alice: not a bcrypt hash/,
    },
    {
      name: 'hash with a bad cost',
      yaml: `basic_auth_users:\n  alice: "${HASH.replace('$04$', '$99$')}"\n`,
      error: /^web\.yml:2:10: basic_auth_users\.alice: not a bcrypt hash/,
    },
    {
      name: 'cost 31: one wrong password would pin a core for hours',
      yaml: `basic_auth_users:\n  alice: "${HASH.replace('$04$', '$31$')}"\n`,
      error: /^web\.yml:2:10: basic_auth_users\.alice: bcrypt cost 31 is above the maximum of 14 \(each check would take about 36 hours\); hash the password again/,
    },
    {
      name: 'cost 15: just above the maximum',
      yaml: `basic_auth_users:\n  alice: "${HASH.replace('$04$', '$15$')}"\n`,
      error: /^web\.yml:2:10: basic_auth_users\.alice: bcrypt cost 15 is above the maximum of 14 \(each check would take about 2 s\)/,
    },
    {
      name: 'unknown TLS version',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS99\n',
      error: /^web\.yml:4:16: tls_server_config\.min_version: unknown TLS version "TLS99"/,
    },
    {
      name: 'min above max',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n  max_version: TLS12\n',
      error: /min_version is above max_version/,
    },
    {
      name: 'key missing',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n',
      error: /^web\.yml:2:3: tls_server_config: missing one of key or key_file/,
    },
    {
      name: 'cert missing',
      yaml: 'tls_server_config:\n  key_file: server.key\n',
      error: /^web\.yml:2:3: tls_server_config: missing one of cert or cert_file/,
    },
    {
      name: 'cert file not there',
      yaml: 'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n',
      error: /^web\.yml:2:14: tls_server_config\.cert_file: cannot read .*nope\.crt: ENOENT/,
    },
    {
      name: 'key of another certificate',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n',
      error: /^web\.yml:2:3: tls_server_config: cannot use the certificate and key: .*mismatch/,
    },
    {
      name: 'unknown client auth type',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Sometimes\n',
      error: /^web\.yml:4:21: tls_server_config\.client_auth_type: invalid "Sometimes"/,
    },
    {
      name: 'client CA without client auth',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: other.crt\n',
      error: /^web\.yml:4:3: tls_server_config: client CA's have been configured without a client_auth_type/,
    },
    {
      name: 'client CA that is not a certificate',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: server.key\n',
      error: /^web\.yml:5:19: tls_server_config: no usable certificate in the client CA/,
    },
    {
      name: 'cipher suites (not honoured here)',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n',
      error: /^web\.yml:4:3: tls_server_config\.cipher_suites is not supported by logmetrics/,
    },
    {
      name: 'unknown curve',
      yaml: 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  curve_preferences: [X25519, P256]\n',
      error: /^web\.yml:4:31: tls_server_config\.curve_preferences: unknown curve "P256"/,
    },
    {
      name: 'header not allowed',
      yaml: 'http_server_config:\n  headers:\n    X-Powered-By: logmetrics\n',
      error: /^web\.yml:3:5: HTTP header "X-Powered-By" can not be configured/,
    },
    {
      name: 'header value not allowed',
      yaml: 'http_server_config:\n  headers:\n    X-Frame-Options: allowall\n',
      error: /^web\.yml:3:22: invalid value for X-Frame-Options: expected one of deny, sameorigin, got "allowall"/,
    },
    { name: 'http2 not a boolean', yaml: 'http_server_config:\n  http2: maybe\n', error: /^web\.yml:2:10: http_server_config\.http2 must be true or false/ },
    { name: 'rate limit (not honoured here)', yaml: 'rate_limit:\n  burst: 5\n', error: /^web\.yml:1:1: rate_limit is not supported by logmetrics/ },
    { name: 'TLS version as a number', yaml: 'tls_server_config:\n  min_version: 12\n', error: /^web\.yml:2:16: tls_server_config\.min_version must be a string/ },
  ];
  for (const c of cases) {
    fs.writeFileSync(file, c.yaml);
    try {
      loadWebConfig(file);
      t.fail(`${c.name}: accepted`);
    } catch (err) {
      t.type(err, WebConfigError, `${c.name}: a WebConfigError`);
      const message = (err as Error).message;
      t.ok(message.startsWith(file), `${c.name}: names the file (${message})`);
      t.match(message.slice(dir.length + 1), c.error, `${c.name}: position and problem`);
    }
  }
});

t.test('valid web configs', async (t) => {
  const dir = tempDir(t, 'logmetrics-webconfig-');
  selfSigned(dir, 'server');
  fs.mkdirSync(path.join(dir, 'sub'));
  const file = path.join(dir, 'sub', 'web.yml');
  const cases: { name: string; yaml: string; check: (c: ReturnType<typeof loadWebConfig>, t: Test) => void }[] = [
    { name: 'empty file: plain HTTP, no auth', yaml: '', check: (c, t) => t.same([c.tls, c.users.size, c.headers], [undefined, 0, {}]) },
    { name: 'only comments', yaml: '# nothing yet\n', check: (c, t) => t.same([c.tls, c.users.size], [undefined, 0]) },
    {
      name: 'TLS with paths relative to the config file, toolkit defaults',
      yaml: 'tls_server_config:\n  cert_file: ../server.crt\n  key_file: ../server.key\n',
      check: (c, t) => {
        t.equal(c.tls?.clientAuth, 'NoClientCert');
        t.equal(c.tls?.options.minVersion, 'TLSv1.2', 'TLS 1.2 minimum by default');
        t.equal(c.tls?.options.cert, fs.readFileSync(path.join(dir, 'server.crt'), 'utf8'), 'the certificate read');
      },
    },
    {
      name: 'TLS settings section without TLS files stays plain HTTP',
      yaml: 'tls_server_config:\n  min_version: TLS13\n',
      check: (c, t) => t.equal(c.tls, undefined),
    },
    {
      name: 'client certificates, versions, curves',
      yaml:
        'tls_server_config:\n  cert_file: ../server.crt\n  key_file: ../server.key\n  client_auth_type: RequireAndVerifyClientCert\n' +
        '  client_ca_file: ../server.crt\n  min_version: TLS13\n  curve_preferences: [X25519, CurveP256]\n',
      check: (c, t) => {
        t.equal(c.tls?.clientAuth, 'RequireAndVerifyClientCert');
        t.same([c.tls?.options.requestCert, c.tls?.options.rejectUnauthorized], [true, true], 'verified client certificates');
        t.equal(c.tls?.options.minVersion, 'TLSv1.3');
        t.equal(c.tls?.options.ecdhCurve, 'X25519:P-256');
      },
    },
    {
      name: 'users and headers, YAML 1.1 booleans as the Go toolkit reads them',
      yaml:
        `http_server_config:\n  http2: yes\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: ""\n` +
        `basic_auth_users:\n  alice: ${HASH}\n  "yes": ${HASH}\n`,
      check: (c, t) => {
        t.same([...c.users.keys()], ['alice', 'yes'], 'both users');
        t.same(c.headers, { 'X-Frame-Options': 'deny' }, 'a blank header is left unset');
      },
    },
  ];
  for (const c of cases) {
    fs.writeFileSync(file, c.yaml);
    const config = loadWebConfig(file);
    await t.test(c.name, async (t) => c.check(config, t));
  }
});

t.test('the server refuses to start on a bad or missing web config', async (t) => {
  const dir = tempDir(t, 'logmetrics-webconfig-');
  const bad = path.join(dir, 'web.yml');
  fs.writeFileSync(bad, 'basic_auth_users:\n  alice: plaintext\n');
  for (const [name, file, error] of [
    ['invalid', bad, /web\.yml:2:10: basic_auth_users\.alice: not a bcrypt hash/],
    ['missing', path.join(dir, 'missing.yml'), /missing\.yml: cannot read the web config: ENOENT/],
  ] as const) {
    const server = new ExporterServer({
      address: '127.0.0.1',
      port: 0,
      store: new Store(),
      progLabel: true,
      emitTimestamps: false,
      webConfigFile: file,
      status: { version: 'x', startedAt: 0, programs: () => [], sources: () => [] },
    });
    await t.rejects(server.listen(), error, `${name}: listen() rejects naming the file`);
    await server.close();
  }
});
