// The shipped programs (programs/*.mtail) tested the way users test theirs:
// `logmetrics test programs/P.mtail --log fixtures/programs/P/CASE.log
// --expect fixtures/golden/P/CASE.expected`. The expected files were written
// with --update, so two more tests keep them honest: they must agree with the
// oracle's output for the same log (fixtures/programs/P/CASE.mtail-output.prom,
// Debian's mtail 3.0.0~rc50), and their request counts with the requests
// capture.sh sent (requests.txt).
import t from 'tap';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { diffSamples, sampleKey } from '../../src/cli/samplediff.js';
import { parseExposition, type Sample } from '../../src/export/textparse.js';
import { findRepoRoot } from '../differential/corpus.js';

const ROOT = findRepoRoot();
const BIN = path.join(ROOT, 'bin', 'logmetrics.js');

interface GoldenCase {
  program: string;
  log: string;
  /** Read from stdin (`--log -`), so a filename label is "-" and not this checkout's path. */
  stdin?: boolean;
}

const CASES: GoldenCase[] = [
  { program: 'nginx', log: 'access-combined' },
  { program: 'nginx', log: 'access-timed' },
  { program: 'haproxy', log: 'haproxy-http' },
  { program: 'haproxy', log: 'haproxy-tcp' },
  { program: 'apache', log: 'access-common' },
  { program: 'apache', log: 'access-combined' },
  { program: 'apache', log: 'access-apache' },
  { program: 'syslog', log: 'auth' },
  { program: 'syslog', log: 'syslog' },
  { program: 'postfix', log: 'mail' },
  { program: 'linecount', log: 'a', stdin: true },
  { program: 'linecount', log: 'b', stdin: true },
];

const expectedFile = (c: GoldenCase): string => path.join(ROOT, 'fixtures', 'golden', c.program, `${c.log}.expected`);
const logFile = (c: GoldenCase): string => path.join(ROOT, 'fixtures', 'programs', c.program, `${c.log}.log`);
const referenceFile = (c: GoldenCase): string => path.join(ROOT, 'fixtures', 'programs', c.program, `${c.log}.mtail-output.prom`);

function run(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

t.test('every expected file in fixtures/golden is a listed case', async (t) => {
  const dir = path.join(ROOT, 'fixtures', 'golden');
  const found = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => fs.readdirSync(path.join(dir, e.name)).filter((f) => f.endsWith('.expected')).map((f) => `${e.name}/${f}`))
    .sort();
  t.same(found, CASES.map((c) => `${c.program}/${c.log}.expected`).sort(), 'no expected file is left out of the tests');
  const programs = fs.readdirSync(path.join(ROOT, 'programs')).filter((f) => f.endsWith('.mtail')).map((f) => f.replace(/\.mtail$/, ''));
  for (const p of programs) t.ok(CASES.some((c) => c.program === p), `shipped program ${p} has a golden test`);
});

t.test('logmetrics test passes every shipped program over its logs', async (t) => {
  for (const c of CASES) {
    const rel = (p: string): string => path.relative(ROOT, p);
    const args = ['test', `programs/${c.program}.mtail`, '--log', c.stdin ? '-' : rel(logFile(c)), '--expect', rel(expectedFile(c))];
    const r = await run(args, c.stdin ? fs.readFileSync(logFile(c), 'utf8') : undefined);
    t.equal(r.code, 0, `${c.program}/${c.log}: exit 0${r.code === 0 ? '' : `\n${r.stdout}${r.stderr}`}`);
    t.match(r.stdout, new RegExp(`^PASS programs/${c.program}\\.mtail: \\d+ samples match`, 'm'), `${c.program}/${c.log}: PASS`);
  }
});

/** Histogram series (bucket name without `_bucket`, labels without le) → value of one suffix sample. */
function seriesValue(samples: Map<string, Sample>, bucket: Sample, suffix: '_count' | '_bucket+Inf'): number | undefined {
  const { le: _le, ...rest } = bucket.labels;
  const base = bucket.name.replace(/_bucket$/, '');
  const key =
    suffix === '_count' ? sampleKey({ name: base + '_count', labels: rest }) : sampleKey({ name: bucket.name, labels: { ...rest, le: '+Inf' } });
  return samples.get(key)?.value;
}

t.test('the expected files agree with mtail, but for rc50\'s dropped bucket observations', async (t) => {
  for (const c of CASES) {
    const name = `${c.program}/${c.log}`;
    const ours = parseExposition(fs.readFileSync(expectedFile(c), 'utf8'));
    // The reference writes linecount's absolute log path as FIXTURE_DIR/<log>; ours read stdin.
    const reference = parseExposition(fs.readFileSync(referenceFile(c), 'utf8')).map((s) =>
      s.labels.filename?.startsWith('FIXTURE_DIR/') ? { ...s, labels: { ...s.labels, filename: '-' } } : s,
    );
    const diff = diffSamples(ours, reference);
    t.same(diff.missing, [], `${name}: every sample mtail exports is expected`);
    t.same(diff.unexpected, [], `${name}: no sample mtail does not export`);
    // mtail rc50 leaves observations <= 0 out of every bucket (+Inf included) but
    // counts them in _count and _sum. So a changed sample must be a bucket, and it
    // must be off by exactly mtail's own _count minus its +Inf bucket for that series.
    const ref = new Map(reference.map((s) => [sampleKey(s), s]));
    const mine = new Map(ours.map((s) => [sampleKey(s), s]));
    let explained = 0;
    for (const ch of diff.changed) {
      const sample = mine.get(ch.key)!;
      if (!sample.name.endsWith('_bucket')) {
        t.fail(`${name}: ${ch.key} is ${ch.actual} in ours, ${ch.expected} in mtail's`);
        continue;
      }
      const dropped = seriesValue(ref, sample, '_count')! - seriesValue(ref, sample, '_bucket+Inf')!;
      if (ch.actual - ch.expected === dropped && dropped > 0) explained++;
      else t.fail(`${name}: ${ch.key}: ours ${ch.actual}, mtail ${ch.expected}; mtail dropped ${dropped} observations of that series`);
    }
    t.equal(explained, diff.changed.length, `${name}: ${explained} bucket differences, each by the observations rc50 drops`);
    // And ours keep the invariant Prometheus requires: the +Inf bucket equals _count.
    for (const s of ours) {
      if (s.name.endsWith('_bucket') && s.labels.le === '+Inf') {
        const count = seriesValue(mine, s, '_count');
        if (count !== s.value) t.fail(`${name}: ${sampleKey(s)} is ${s.value}, _count is ${count}`);
      }
    }
  }
});

/** Counts by status from the request table of a requests.txt, for one capture target. */
function requestsByStatus(program: string, target: string): Map<string, number> {
  const text = fs.readFileSync(path.join(ROOT, 'fixtures', 'programs', program, 'requests.txt'), 'utf8');
  const table = text.slice(text.indexOf('## requests'));
  const counts = new Map<string, number>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.split('\t');
    if (fields.length !== 5 || fields[0] !== target) continue;
    counts.set(fields[4]!, (counts.get(fields[4]!) ?? 0) + 1);
  }
  return counts;
}

function sumBy(samples: Sample[], name: string, label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (s.name === name) out.set(s.labels[label] ?? '', (out.get(s.labels[label] ?? '') ?? 0) + s.value);
  return out;
}

const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

t.test('request counts in the expected files are the requests capture.sh sent', async (t) => {
  // [case, counter, program whose requests.txt lists the requests, capture target]
  const checks: Array<[GoldenCase, string, string, string]> = [
    [CASES[0]!, 'nginx_http_requests_total', 'nginx', 'nginx'],
    [CASES[1]!, 'nginx_http_requests_total', 'nginx', 'nginx'],
    [CASES[4]!, 'apache_http_requests_total', 'apache', 'nginx'],
    [CASES[5]!, 'apache_http_requests_total', 'apache', 'nginx'],
    [CASES[2]!, 'haproxy_http_requests_total', 'haproxy', 'haproxy-http'],
  ];
  for (const [c, counter, program, target] of checks) {
    const want = requestsByStatus(program, target);
    t.ok(want.size > 0, `${program}/requests.txt lists requests to ${target}`);
    const got = sumBy(parseExposition(fs.readFileSync(expectedFile(c), 'utf8')), counter, 'code');
    t.same(sorted(got), sorted(want), `${c.program}/${c.log}: ${counter} by code`);
  }
  // TCP: one connection per request to either TCP frontend (fe_tcp, fe_tcp_dead).
  const tcp = parseExposition(fs.readFileSync(expectedFile(CASES[3]!), 'utf8'));
  const sent = [...requestsByStatus('haproxy', 'haproxy-tcp').values(), ...requestsByStatus('haproxy', 'haproxy-tcp-dead').values()].reduce((a, b) => a + b, 0);
  t.equal(sent, 7, 'requests.txt: 7 TCP connections');
  t.equal([...sumBy(tcp, 'haproxy_tcp_connections_total', 'frontend').values()].reduce((a, b) => a + b, 0), sent, 'haproxy-tcp: haproxy_tcp_connections_total');
});
