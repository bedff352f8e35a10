// Deterministic log generators for the benchmarks: the same seed gives the same bytes on
// every machine, so figures from different runs are measured on the same input.

import { closeSync, openSync, writeSync } from 'node:fs';

/** A seeded PRNG (mulberry32) returning floats in [0, 1); Math.random is never used. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

/** Picks from weighted choices; weights need not sum to 1. */
function picker<T>(choices: Weighted<T>): (r: number) => T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let running = 0;
  const cumulative = choices.map(([, w]) => (running += w) / total);
  return (r) => {
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return choices[i][0];
    return choices[choices.length - 1][0];
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const METHOD = picker<string>([
  ['GET', 80], ['POST', 10], ['HEAD', 4], ['PUT', 2], ['DELETE', 1.5], ['OPTIONS', 1], ['PATCH', 1], ['PROPFIND', 0.5],
]);
const VERSION = picker<string>([['HTTP/1.1', 85], ['HTTP/2.0', 12], ['HTTP/1.0', 3]]);
const STATUS = picker<number>([
  [200, 74], [304, 8], [301, 2], [302, 2], [404, 7], [403, 1], [401, 1], [400, 1], [206, 1], [201, 1], [500, 1], [502, 0.5], [503, 0.5],
]);
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/7.88.1',
  'Wget/1.21.3',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'Prometheus/2.45.3',
];
const UA = picker<string>(USER_AGENTS.map((ua, i) => [ua, i < 5 ? 15 : 3] as const));
const USERS = ['alice', 'bob', 'carol', 'deploy', 'admin'];
const WORDS = ['metrics', 'logs', 'prometheus', 'grafana', 'alert', 'nginx', 'apache', 'kernel', 'disk', 'latency', 'tail', 'regex'];

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Apache's %t, in UTC: [22/Nov/2026:02:26:39 +0000]. */
function apacheTime(ms: number): string {
  const d = new Date(ms);
  return `[${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000]`;
}

function int(r: () => number, below: number): number {
  return Math.floor(r() * below);
}

/** One request path: a mix of pages, assets, API calls with ids and queries, and scanner noise. */
function requestPath(r: () => number): string {
  const k = r();
  if (k < 0.1) return '/';
  if (k < 0.3) return `/static/js/app.${int(r, 40).toString(16)}e${int(r, 4096).toString(16)}.js`;
  if (k < 0.42) return `/static/css/site.${int(r, 65536).toString(16)}.css`;
  if (k < 0.55) return `/images/${WORDS[int(r, WORDS.length)]}-${int(r, 300)}.png`;
  if (k < 0.72) return `/api/v1/users/${int(r, 100000)}/orders?page=${1 + int(r, 20)}`;
  if (k < 0.8) return `/search?q=${WORDS[int(r, WORDS.length)]}+${WORDS[int(r, WORDS.length)]}&page=${1 + int(r, 5)}`;
  if (k < 0.9) return `/blog/${2015 + int(r, 12)}/${WORDS[int(r, WORDS.length)]}-and-${WORDS[int(r, WORDS.length)]}`;
  if (k < 0.95) return '/favicon.ico';
  if (k < 0.98) return '/robots.txt';
  return ['/wp-login.php', '/.env', '/admin/config.php', '/cgi-bin/test.cgi'][int(r, 4)];
}

function bodyBytes(r: () => number, status: number, method: string): number {
  if (status === 304 || status === 204 || method === 'HEAD') return 0;
  if (status >= 300 && status < 400) return 150 + int(r, 100);
  if (status >= 400) return 200 + int(r, 800);
  // Roughly log-uniform between 100 B and 1 MB.
  return Math.floor(100 * Math.pow(10, r() * 4));
}

function referer(r: () => number): string {
  const k = r();
  if (k < 0.4) return '-';
  if (k < 0.85) return `https://www.example.com${requestPath(r)}`;
  return `https://www.google.com/search?q=${WORDS[int(r, WORDS.length)]}`;
}

/** Client addresses: a fixed pool, picked with a skew so a few clients send most requests. */
function clientPool(r: () => number, size: number): string[] {
  const pool: string[] = [];
  for (let i = 0; i < size; i++) {
    // About 1 in 200 clients use IPv6; the reference program's host pattern rejects it, as mtail's does.
    pool.push(i % 200 === 199 ? `2001:db8:${int(r, 65536).toString(16)}::${int(r, 65536).toString(16)}` : `${1 + int(r, 223)}.${int(r, 256)}.${int(r, 256)}.${1 + int(r, 254)}`);
  }
  return pool;
}

/** Lines written to a file by the generators. */
export interface GeneratedLog {
  path: string;
  lines: number;
  bytes: number;
}

/** Writes lines produced by `next` to `path`, buffered in large chunks. */
function writeLines(path: string, lines: number, next: (i: number) => string): GeneratedLog {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    let chunk: string[] = [];
    for (let i = 0; i < lines; i++) {
      chunk.push(next(i));
      if (chunk.length === 8192 || i === lines - 1) {
        const text = chunk.join('\n') + '\n';
        const buf = Buffer.from(text, 'utf8');
        writeSync(fd, buf);
        bytes += buf.length;
        chunk = [];
      }
    }
  } finally {
    closeSync(fd);
  }
  return { path, lines, bytes };
}

/**
 * Writes `lines` Apache combined-format lines: varied clients, methods, paths, statuses,
 * sizes, referers and agents; time starts at 2026-11-22T00:00:00Z and advances one second
 * every 1 to 19 lines. With `dashSizeEvery` N > 0, every Nth line has "-" as its size.
 */
export function writeAccessLog(path: string, lines: number, seed = 20261122, dashSizeEvery = 0): GeneratedLog {
  const r = seededRandom(seed);
  const clients = clientPool(r, 5000);
  let ms = Date.UTC(2026, 10, 22, 0, 0, 0);
  let leftThisSecond = 1 + int(r, 19);
  let stamp = apacheTime(ms);
  let written = 0;
  return writeLines(path, lines, () => {
    if (leftThisSecond-- === 0) {
      ms += 1000;
      stamp = apacheTime(ms);
      leftThisSecond = int(r, 19);
    }
    const client = clients[Math.floor(clients.length * r() ** 3)];
    const user = r() < 0.05 ? USERS[int(r, USERS.length)] : '-';
    const method = METHOD(r());
    const status = STATUS(r());
    // Apache writes "-" for an empty body with %b; every dashSizeEvery-th line has one. The
    // choice draws nothing from the generator, so the other fields match the log without dashes.
    const size = bodyBytes(r, status, method);
    const shown = dashSizeEvery > 0 && ++written % dashSizeEvery === 0 ? '-' : size;
    return `${client} - ${user} ${stamp} "${method} ${requestPath(r)} ${VERSION(r())}" ${status} ${shown} "${referer(r)}" "${UA(r())}"`;
  });
}

/** Writes `lines` lines `id=<key>` with `lines` distinct keys: one series each for a `by id` counter. */
export function writeIdLog(path: string, lines: number): GeneratedLog {
  return writeLines(path, lines, (i) => idLine(i));
}

/** The i-th line of the cardinality log. */
export function idLine(i: number): string {
  return `id=session-${i.toString(36)}`;
}

// Logs in the formats of the shipped programs (programs/*.mtail), modelled on the lines real
// nginx, HAProxy, sshd, cron, sudo, the kernel and postfix wrote in fixtures/programs/.

/** A clock that advances one second every 1 to 19 lines, from 2026-11-22T00:00:00Z. */
function ticker(r: () => number): () => number {
  let ms = Date.UTC(2026, 10, 22, 0, 0, 0);
  let left = 1 + int(r, 19);
  return () => {
    if (left-- === 0) {
      ms += 1000;
      left = int(r, 19);
    }
    return ms;
  };
}

/** Syslog's stamp: "Nov 22 02:32:48" (day padded with a space). */
function syslogTime(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** HAProxy's accept date: 22/Nov/2026:02:32:48.621. */
function haproxyTime(ms: number, r: () => number): string {
  const d = new Date(ms);
  return `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(int(r, 1000)).padStart(3, '0')}`;
}

const HOSTS = picker<string>([['www.example.test', 50], ['api.example.test', 30], ['static.example.test', 15], ['shop.example.test', 5]]);

function seconds(r: () => number, scale: number): string {
  return (r() * r() * scale).toFixed(3);
}

/** nginx's `timed` log format (combined plus host, timings, upstream fields): what programs/nginx.mtail reads. */
export function writeNginxLog(path: string, lines: number, seed = 20261123): GeneratedLog {
  const r = seededRandom(seed);
  const clients = clientPool(r, 5000);
  const now = ticker(r);
  return writeLines(path, lines, () => {
    const client = clients[Math.floor(clients.length * r() ** 3)];
    const method = METHOD(r());
    const status = STATUS(r());
    const body = bodyBytes(r, status, method);
    const host = HOSTS(r());
    const proxied = host === 'api.example.test' || host === 'shop.example.test';
    const upstream = proxied ? (r() < 0.02 ? `${seconds(r, 0.1)}, ${seconds(r, 0.1)}` : seconds(r, 0.1)) : '-';
    const urt = proxied ? seconds(r, 2) : '-';
    const us = proxied ? (status >= 500 ? String(status) : '200') : '-';
    const ua = proxied ? `10.0.${int(r, 4)}.${1 + int(r, 20)}:8080` : '-';
    const path = requestPath(r);
    return (
      `${client} - - ${apacheTime(now())} "${method} ${path} ${VERSION(r())}" ${status} ${body} "${referer(r)}" "${UA(r())}"` +
      ` host="${host}" rt=${seconds(r, 2)} uct="${upstream}" urt="${urt}" ua="${ua}" us="${us}" bs=${body + 200 + int(r, 200)} rl=${80 + path.length + int(r, 400)}`
    );
  });
}

/** HAProxy's `option httplog` lines through syslog (programs/haproxy.mtail, HTTP frontends). */
export function writeHaproxyHttpLog(path: string, lines: number, seed = 20261124): GeneratedLog {
  const r = seededRandom(seed);
  const clients = clientPool(r, 5000);
  const now = ticker(r);
  const STATE = picker<string>([['----', 95], ['CD--', 2], ['SH--', 1], ['cD--', 1], ['PR--', 1]]);
  return writeLines(path, lines, () => {
    const ms = now();
    const status = STATUS(r());
    const method = METHOD(r());
    const backend = picker<string>([['be_web', 70], ['be_api', 25], ['be_static', 5]])(r());
    const tr = int(r, 20);
    const tw = r() < 0.9 ? 0 : int(r, 50);
    const tc = int(r, 3);
    const trs = int(r, 400);
    const client = clients[Math.floor(clients.length * r() ** 3)]!;
    return (
      `${syslogTime(ms)} lb1 haproxy[26181]: ${client}:${1024 + int(r, 60000)} [${haproxyTime(ms, r)}] fe_http ${backend}/web${1 + int(r, 4)} ` +
      `${tr}/${tw}/${tc}/${trs}/${tr + tw + tc + trs + int(r, 5)} ${status} ${bodyBytes(r, status, method) + 200} - - ${STATE(r())} ` +
      `${1 + int(r, 50)}/${1 + int(r, 40)}/${int(r, 30)}/${int(r, 10)}/${r() < 0.01 ? 1 : 0} 0/0 {${HOSTS(r())}} "${method} ${requestPath(r)} ${VERSION(r())}"`
    );
  });
}

/** HAProxy's `option tcplog` lines through syslog (programs/haproxy.mtail, TCP frontends). */
export function writeHaproxyTcpLog(path: string, lines: number, seed = 20261125): GeneratedLog {
  const r = seededRandom(seed);
  const clients = clientPool(r, 5000).filter((c) => !c.includes(':'));
  const now = ticker(r);
  const STATE = picker<string>([['--', 93], ['CD', 3], ['SD', 2], ['cD', 1], ['sC', 1]]);
  return writeLines(path, lines, () => {
    const ms = now();
    const backend = picker<string>([['be_tcp_web', 60], ['be_postgres', 30], ['be_redis', 10]])(r());
    return (
      `${syslogTime(ms)} lb1 haproxy[26181]: ${clients[Math.floor(clients.length * r() ** 3)]}:${1024 + int(r, 60000)} [${haproxyTime(ms, r)}] fe_tcp ${backend}/srv${1 + int(r, 3)} ` +
      `${int(r, 5)}/${int(r, 3)}/${int(r, 60000)} ${int(r, 500000)} ${STATE(r())} ${1 + int(r, 50)}/${1 + int(r, 40)}/${int(r, 30)}/${int(r, 10)}/0 0/0`
    );
  });
}

/** A system's auth.log and syslog together: sshd, sudo, cron, kernel lines and others (programs/syslog.mtail). */
export function writeSyslogLog(path: string, lines: number, seed = 20261126): GeneratedLog {
  const r = seededRandom(seed);
  const now = ticker(r);
  const attackers = Array.from({ length: 200 }, () => `203.0.113.${1 + int(r, 254)}`);
  const kind = picker<number>([[0, 20], [1, 8], [2, 2], [3, 6], [4, 4], [5, 1], [6, 15], [7, 0.2], [8, 30], [9, 14]]);
  return writeLines(path, lines, () => {
    const head = `${syslogTime(now())} web1`;
    const pid = 2000 + int(r, 8000);
    const user = USERS[int(r, USERS.length)];
    const from = attackers[int(r, attackers.length)];
    switch (kind(r())) {
      case 0:
        return `${head} sshd[${pid}]: Failed password for ${r() < 0.5 ? 'root' : 'invalid user ' + WORDS[int(r, WORDS.length)]} from ${from} port ${1024 + int(r, 60000)} ssh2`;
      case 1:
        return `${head} sshd[${pid}]: Accepted ${r() < 0.7 ? 'publickey' : 'password'} for ${user} from 192.0.2.${1 + int(r, 50)} port ${1024 + int(r, 60000)} ssh2${r() < 0.7 ? ': ED25519 SHA256:Zm9vYmFyYmF6cXV4' : ''}`;
      case 2:
        return `${head} sshd[${pid}]: message repeated ${2 + int(r, 4)} times: [ Failed password for root from ${from} port ${1024 + int(r, 60000)} ssh2]`;
      case 3:
        return `${head} sshd[${pid}]: Invalid user ${WORDS[int(r, WORDS.length)]} from ${from} port ${1024 + int(r, 60000)}`;
      case 4:
        return `${head} sudo:     ${user} : TTY=pts/${int(r, 4)} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/systemctl restart ${WORDS[int(r, WORDS.length)]}`;
      case 5:
        return `${head} sudo:     ${user} : 3 incorrect password attempts ; TTY=pts/${int(r, 4)} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/id`;
      case 6:
        return `${head} CRON[${pid}]: (${r() < 0.6 ? 'root' : 'www-data'}) CMD (   cd / && run-parts --report /etc/cron.hourly)`;
      case 7:
        return `${head} kernel: [${int(r, 999999)}.${String(int(r, 999999)).padStart(6, '0')}] Out of memory: Killed process ${pid} (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:9000kB oom_score_adj:0`;
      case 8:
        return `${head} systemd[1]: Started session-${int(r, 99999)}.scope - Session ${int(r, 99999)} of User ${user}.`;
      default:
        return `${head} sshd[${pid}]: pam_unix(sshd:session): session ${r() < 0.5 ? 'opened' : 'closed'} for user ${user}${r() < 0.5 ? '(uid=1000) by (uid=0)' : ''}`;
    }
  });
}

/** A postfix mail.log: connections, queue entries, deliveries and rejects (programs/postfix.mtail). */
export function writePostfixLog(path: string, lines: number, seed = 20261127): GeneratedLog {
  const r = seededRandom(seed);
  const now = ticker(r);
  const queueId = () => Array.from({ length: 10 }, () => '0123456789ABCDEF'[int(r, 16)]).join('');
  const kind = picker<number>([[0, 15], [1, 15], [2, 15], [3, 15], [4, 20], [5, 3], [6, 15], [7, 0.5]]);
  return writeLines(path, lines, () => {
    const head = `${syslogTime(now())} mail postfix`;
    const pid = 2000 + int(r, 8000);
    const id = queueId();
    const client = `client${int(r, 500)}.example.net[192.0.2.${1 + int(r, 254)}]`;
    switch (kind(r())) {
      case 0:
        return `${head}/smtpd[${pid}]: connect from ${client}`;
      case 1:
        return `${head}/smtpd[${pid}]: disconnect from ${client} ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`;
      case 2:
        return `${head}/cleanup[${pid}]: ${id}: message-id=<${int(r, 1e9)}.${id}@mail.example.com>`;
      case 3:
        return `${head}/qmgr[1200]: ${id}: from=<${USERS[int(r, USERS.length)]}@example.org>, size=${500 + int(r, 200000)}, nrcpt=1 (queue active)`;
      case 4: {
        const status = picker<string>([['sent', 90], ['deferred', 8], ['bounced', 2]])(r());
        return `${head}/smtp[${pid}]: ${id}: to=<${USERS[int(r, USERS.length)]}@example.net>, relay=mx.example.net[198.51.100.${1 + int(r, 254)}]:25, delay=${(r() * 5).toFixed(1)}, delays=0.1/0.01/0.5/0.59, dsn=2.0.0, status=${status} (250 2.0.0 OK)`;
      }
      case 5:
        return `${head}/smtpd[${pid}]: NOQUEUE: reject: RCPT from ${client}: 554 5.7.1 <spam@example.com>: Relay access denied; from=<x@example.com> to=<y@example.org> proto=ESMTP helo=<spam>`;
      case 6:
        return `${head}/qmgr[1200]: ${id}: removed`;
      default:
        return `${head}/qmgr[1200]: ${id}: from=<${USERS[int(r, USERS.length)]}@example.org>, status=expired, returned to sender`;
    }
  });
}
