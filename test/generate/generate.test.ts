// The generators without a server: nginx and HAProxy configurations read as
// the servers read them (quotes, escapes, includes with globs, defaults), bad
// formats refused with file:line:col, unknown variables kept as text, and every
// program generated here compiled and run over sample lines.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { generateHaproxy } from '../../src/generate/haproxy/index.js';
import { generateNginx } from '../../src/generate/nginx/index.js';
import { GenerateError } from '../../src/generate/position.js';

const dir = mkdtempSync(join(tmpdir(), 'logmetrics-generate-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof GenerateError) return e.message;
    throw e;
  }
  return '(no error)';
}

/** Throws, with the diagnostics, unless the program compiles. */
function compiles(name: string, program: string): void {
  const r = compile(name, program);
  if (!r.generated) throw new Error(`${name} does not compile:\n${r.diagnostics.map((d) => d.message).join('\n')}\n${program}`);
}

t.test('nginx: configuration errors name the file, line and column', async (t) => {
  const cases: Array<{ name: string; conf: string; want: RegExp; formatName?: string }> = [
    { name: 'unterminated quote', conf: "http {\n  log_format x '$status;\n}\n", want: /bad1\.conf:2:16: unexpected end of file: the string opened here has no closing '/ },
    { name: 'missing semicolon', conf: 'http {\n  log_format x $status\n}\n', want: /bad2\.conf:3:1: unexpected "}": the directive "log_format" has no ";"/ },
    { name: 'unknown escape', conf: "http {\n  log_format x escape=xml '$status';\n}\n", want: /bad3\.conf:2:16: log_format "x": unknown escape "xml"/ },
    { name: 'dollar without a name', conf: "http {\n  log_format x '$status $ $x';\n}\n", formatName: 'x', want: /bad4\.conf:2:25: log_format "x": "\$" is not followed by a variable name/ },
    { name: 'unclosed ${', conf: "http {\n  log_format x\n    '$status ${body';\n}\n", formatName: 'x', want: /bad5\.conf:3:14: log_format "x": the variable name opened with "\$\{" has no "\}"/ },
    { name: 'unknown format name', conf: "http {\n  log_format x '$status';\n}\n", formatName: 'y', want: /no log_format "y" in the http block \(known: combined, x\)/ },
    { name: 'several formats used', conf: "http {\n  log_format a '$status';\n  log_format b '$status';\n  access_log /a a;\n  access_log /b b;\n}\n", want: /several log formats are used; choose one with --format-name:\n {2}a \(access_log \/a at .*bad7\.conf:4:3\)\n {2}b/ },
    { name: 'unbalanced }', conf: 'http {\n}\n}\n', want: /bad8\.conf:3:1: unexpected "}"/ },
    { name: 'combined redefined', conf: "http {\n  log_format combined '$status';\n}\n", want: /bad9\.conf:2:3: log_format "combined" is predefined/ },
    { name: 'missing include', conf: 'http {\n  include missing.conf;\n}\n', want: /bad10\.conf:2:3: cannot read .*missing\.conf: ENOENT/ },
  ];
  cases.forEach((c, i) => {
    const path = write(`bad${i + 1}.conf`, c.conf);
    t.match(errorOf(() => generateNginx({ config: path, formatName: c.formatName })), c.want, c.name);
  });
});

t.test('nginx: includes with globs, quoting and escapes as nginx reads them', async (t) => {
  write('inc/conf.d/a.conf', `log_format a '$remote_addr "$request" $status' " \\"$http_x_y\\" \${body_bytes_sent}B";\n`);
  write('inc/conf.d/b.conf', 'log_format b escape=json \'{"s":$status,"h":"$host"}\';\n');
  write('inc/conf.d/skip.txt', 'this is not nginx syntax {\n');
  const main = write('inc/nginx.conf', 'events {}\n# a comment { ; }\nhttp {\n  include conf.d/*.conf;\n  access_log /var/log/a.log a buffer=32k;\n}\n');
  const a = generateNginx({ config: main });
  t.equal(a.format.name, 'a', 'the format the access log uses is chosen');
  t.same(
    a.format.segments.map((s) => (s.kind === 'var' ? `$${s.name}` : s.text)),
    ['$remote_addr', ' "', '$request', '" ', '$status', ' "', '$http_x_y', '" ', '$body_bytes_sent', 'B'],
    'parts joined, \\" unescaped, ${name} read',
  );
  t.match(a.program, /log_format a at .*inc\/conf\.d\/a\.conf:1:1/, 'the header says where the format is');
  t.match(a.program, /Matched as text but not used in a metric: \$http_x_y\./, 'an unknown variable is named in the header');
  t.match(a.program, /\(\?P<http_x_y>\(\?:\[\^"\\\\\]\|\\\\x\[0-9A-F\]\{2\}\)\*\)/, 'and captured as escaped text');
  compiles('a.mtail', a.program);
  const b = generateNginx({ config: main, formatName: 'b' });
  t.equal(b.format.escape, 'json', 'escape=json read');
  compiles('b.mtail', b.program);
});

t.test('nginx: generated patterns read what nginx writes', async (t) => {
  const cases: Array<{ name: string; format: string; escape?: 'json' | 'none'; lines: string[]; bad: string[] }> = [
    {
      name: 'combined',
      format: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
      lines: [
        '127.0.0.1 - - [02/Dec/2026:03:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"',
        '::1 - bob [02/Dec/2026:03:00:00 +0100] "GARBAGE" 400 0 "-" "-"',
        '10.0.0.1 - - [02/Dec/2026:03:00:00 +0000] "GET /\\x22q\\x22 HTTP/1.1" 404 5 "-" "a \\x22b\\x22 \\x5C c"',
      ],
      bad: ['127.0.0.1 - - [02/Dec/2026:03:00:00 +0000] "GET /"q" HTTP/1.1" 200 12 "-" "curl/8"', 'garbage'],
    },
    {
      name: 'upstream lists',
      format: '$status $upstream_response_time $upstream_status $upstream_addr',
      lines: ['200 0.001 200 127.0.0.1:80', '200 -, 0.002 502, 200 127.0.0.1:1, 127.0.0.1:2', '502 0.000 : 0.001 502 : 502 a : b', '404 - - -'],
      bad: ['200 0.001 200'],
    },
    {
      name: 'json',
      format: '{"t":"$time_iso8601","s":$status,"ua":"$http_user_agent","u":"$upstream_response_time"}',
      escape: 'json',
      lines: ['{"t":"2026-12-02T03:00:00+00:00","s":200,"ua":"a \\"b\\" \\\\ c","u":""}', '{"t":"2026-12-02T03:00:00+01:00","s":502,"ua":"","u":"0.001, 0.002"}'],
      bad: ['{"t":"2026-12-02T03:00:00+00:00","s":200,"ua":"a "b"","u":""}'],
    },
  ];
  for (const c of cases) {
    const { program } = generateNginx({ logFormat: c.format, escape: c.escape });
    const r = compile(`${c.name}.mtail`, program);
    t.ok(r.generated, `${c.name}: compiles`);
    // The layout's regex, rebuilt from the const lines, must match the good lines and refuse the bad ones.
    const re = layoutRegex(program, 'LINE');
    for (const l of c.lines) t.ok(re.test(l), `${c.name}: matches ${l}`);
    for (const l of c.bad) t.notOk(re.test(l), `${c.name}: refuses ${l}`);
  }
});

/** The regex of a generated const, as V8 reads it (named groups renamed). */
function layoutRegex(program: string, name: string): RegExp {
  const start = program.indexOf(`const ${name}\n`);
  const lines = program.slice(start).split('\n').slice(1);
  let re = '';
  for (const l of lines) {
    const m = /^ {2}\/(.*)\/( \+)?(?: +#.*)?$/.exec(l);
    if (!m) break;
    re += m[1];
    if (!m[2]) break;
  }
  return new RegExp(re.replace(/\(\?P</g, '(?<').replace(/\\\//g, '/'));
}

t.test('haproxy: configurations and their errors', async (t) => {
  const cfg = write(
    'haproxy.cfg',
    [
      'global',
      '    log 127.0.0.1:514 local0',
      'defaults',
      '    mode http',
      '    log global',
      '    option httplog',
      'frontend web',
      '    bind :80',
      'frontend api',
      '    bind :81',
      '    log-format "%ci [%tr] %ft %b/%s %ST %B %{+Q}r %[req.hdr(host)] \\"%HV\\""',
      'listen db',
      '    mode tcp',
      '    bind :5432',
      'backend app',
      '    server a 127.0.0.1:8080',
      '',
    ].join('\n'),
  );
  const all = generateHaproxy({ config: cfg });
  t.same(all.formats.map((f) => f.proxies), [['frontend web'], ['frontend api'], ['listen db']], 'one layout per distinct format, HTTP option on a TCP proxy read as tcplog');
  t.same(all.formats.map((f) => f.title.replace(/ at .*/, '')), ['option httplog', 'log-format', 'option tcplog'], 'titles');
  compiles('all.mtail', all.program);
  const api = generateHaproxy({ config: cfg, formatName: 'api' });
  t.match(api.program, /%\[req\.hdr\(host\)\]: text, not used in a metric/, 'a sample expression is kept as text with a comment');
  compiles('api.mtail', api.program);
  const re = new RegExp(layoutRegex(api.program, 'LINE').source);
  t.ok(re.test('10.0.0.1 [02/Dec/2026:03:00:00.123] api be/s1 200 512 "GET / HTTP/1.1" example.com "HTTP/1.1"'), 'the api layout matches a line of its format');

  const bad = write('bad.cfg', 'frontend x\n    mode http\n    log-format "%ci %Zz %ST"\n');
  t.match(errorOf(() => generateHaproxy({ config: bad })), /bad\.cfg:3:21: log-format: unknown variable "%Zz"/, 'unknown alias: file:line:col');
  const clf = write('clf.cfg', 'frontend x\n    mode http\n    option httplog clf\n');
  t.match(errorOf(() => generateHaproxy({ config: clf })), /clf\.cfg:3:5: option httplog clf is not supported/, 'clf refused with its position');
  const none = write('none.cfg', 'frontend x\n    mode http\n');
  t.match(errorOf(() => generateHaproxy({ config: none })), /has a log format/, 'no log format at all');
  t.match(errorOf(() => generateHaproxy({ config: cfg, formatName: 'nope' })), /no frontend or listen section named "nope" \(known: web, api, db\)/, 'unknown proxy');
  const quote = write('quote.cfg', 'frontend x\n    log-format "%ci\n');
  t.match(errorOf(() => generateHaproxy({ config: quote })), /quote\.cfg:2:16: unmatched " quote/, 'unmatched quote');
});
