// programs/haproxy.mtail's labels on lines the captured fixtures do not hold:
// status -1 (no response), several captured headers, no capture at all; each
// line run alone through `logmetrics run --one-shot` and through Debian's mtail,
// which must agree. And the `limit` on haproxy_http_requests_total bounds the
// series a flood of invented Host headers can create.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { parseExposition, type Sample } from '../../src/export/textparse.js';
import { findRepoRoot, MTAIL_MISSING, mtailAvailable, runProcess } from '../differential/corpus.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = findRepoRoot();
const BIN = path.join(ROOT, 'bin', 'logmetrics.js');
const PROGRAM = path.join(ROOT, 'programs', 'haproxy.mtail');

const line = (code: string, captures: string): string =>
  `Nov 22 02:32:48 lb1 haproxy[8]: 127.0.0.1:4410 [22/Nov/2026:02:32:48.606] fe b/s1 0/0/0/-1/5 ${code} 0 - - CD-- 1/1/0/0/0 0/0 ${captures}"GET / HTTP/1.1"`;

const CASES: Array<{ name: string; line: string; labels: Record<string, string> }> = [
  { name: 'status -1 (client gone before a response)', line: line('-1', '{shop.example|curl/8} '), labels: { code: '-1', status_class: 'none', host: 'shop.example' } },
  { name: 'the first of several captured headers is the host', line: line('200', '{a.example|x|y} '), labels: { code: '200', status_class: '2xx', host: 'a.example' } },
  { name: 'an empty capture', line: line('404', '{} '), labels: { code: '404', status_class: '4xx', host: '' } },
  { name: 'no capture configured', line: line('503', ''), labels: { code: '503', status_class: '5xx', host: '' } },
  { name: 'a request and a response capture', line: line('302', '{b.example} {text/html} '), labels: { code: '302', status_class: '3xx', host: 'b.example' } },
];

function requests(samples: Sample[]): Sample[] {
  return samples.filter((s) => s.name === 'haproxy_http_requests_total');
}

async function oneShot(dir: string, log: string): Promise<Sample[]> {
  const r = await runProcess(process.execPath, [BIN, 'run', '--one-shot', '--progs', dir, '--logs', log], { ...process.env, TZ: 'UTC' });
  if (r.code !== 0) throw new Error(`logmetrics exited ${r.code}: ${r.stderr}`);
  return parseExposition(r.stdout);
}

t.test('haproxy.mtail labels: status_class and host, as mtail reads them', async (t) => {
  const dir = tempDir(t, 'logmetrics-haproxy-prog-');
  const progs = path.join(dir, 'progs');
  fs.mkdirSync(progs);
  fs.copyFileSync(PROGRAM, path.join(progs, 'haproxy.mtail'));
  const haveMtail = mtailAvailable();
  if (!haveMtail) t.fail(MTAIL_MISSING);
  for (const c of CASES) {
    const log = path.join(dir, 'one.log');
    fs.writeFileSync(log, c.line + '\n');
    const ours = requests(await oneShot(progs, log));
    t.equal(ours.length, 1, `${c.name}: one series`);
    const { prog: _p, frontend, backend, server, ...rest } = ours[0]?.labels ?? {};
    t.same([frontend, backend, server], ['fe', 'b', 's1'], `${c.name}: frontend, backend, server`);
    t.same(rest, c.labels, `${c.name}: ${JSON.stringify(c.labels)}`);
    t.equal(ours[0]?.value, 1, `${c.name}: counted once`);
    if (!haveMtail) continue;
    const r = await runProcess(
      'mtail',
      ['--one_shot', '--one_shot_format', 'prometheus', '--logtostderr', '--address', '127.0.0.1', '--port', '0', '--progs', progs, '--logs', log],
      { ...process.env, TZ: 'UTC' },
    );
    t.equal(r.code, 0, `${c.name}: mtail exits 0`);
    const theirs = requests(parseExposition(r.stdout));
    t.same(theirs.map((s) => [s.labels, s.value]), ours.map((s) => [s.labels, s.value]), `${c.name}: mtail exports the same series`);
  }
});

t.test('limit 10000: invented Host headers cannot grow haproxy_http_requests_total without bound', async (t) => {
  const dir = tempDir(t, 'logmetrics-haproxy-limit-');
  const progs = path.join(dir, 'progs');
  fs.mkdirSync(progs);
  fs.copyFileSync(PROGRAM, path.join(progs, 'haproxy.mtail'));
  const decl = /^counter haproxy_http_requests_total .* limit (\d+)$/m.exec(fs.readFileSync(PROGRAM, 'utf8'));
  t.equal(decl?.[1], '10000', 'declared with limit 10000');
  const hosts = 10_500;
  const lines: string[] = [];
  for (let i = 0; i < hosts; i++) lines.push(line('200', `{h${i}.example} `));
  const log = path.join(dir, 'flood.log');
  fs.writeFileSync(log, lines.join('\n') + '\n');
  const series = requests(await oneShot(progs, log));
  t.equal(series.length, 10_000, `${hosts} hosts: 10000 series kept`);
  t.ok(series.some((s) => s.labels.host === `h${hosts - 1}.example`), 'the newest host is kept');
  t.notOk(series.some((s) => s.labels.host === 'h0.example'), 'the oldest is dropped');
});
