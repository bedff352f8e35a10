// No silent failure, end to end: a daemon running a program over a log it never matches
// says so once on stderr and on the status page, and counts lines and matched lines per
// program and log in its self-metrics, exactly, for a known mix.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { get, runArgs, startDaemon, tempDir, valueOf } from './helpers.js';

// A program for an access log: `GET` and `POST` lines; a status of 0 divides by zero (a run-time error).
const ACCESS = `# Requests by method.
counter requests_total by method
gauge per_status

/^(?P<method>GET|POST) \\S+ (?P<status>\\d+)$/ {
  requests_total[$method]++
  per_status = 1000 / $status
}
`;

// A program that counts every line it sees: it matches every log.
const ALL = `counter lines_total
/$/ {
  lines_total++
}
`;

t.test('a program that never matches a log: one warning, on stderr and the status page; counts per program and log', async (t) => {
  const dir = tempDir(t, 'logmetrics-matching-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'access.mtail'), ACCESS);
  writeFileSync(join(progs, 'all.mtail'), ALL);
  const access = join(dir, 'access.log');
  const syslog = join(dir, 'syslog');
  writeFileSync(access, '');
  writeFileSync(syslog, '');
  const d = await startDaemon(t, runArgs(progs, [access, syslog]));

  // The access log: 700 GET, 250 POST, 30 with status 0 (a run-time error: counted there, not as matched), 20 unmatched.
  const accessLines = [
    ...Array.from({ length: 700 }, (_, i) => `GET /a/${i} 200`),
    ...Array.from({ length: 250 }, (_, i) => `POST /b/${i} 201`),
    ...Array.from({ length: 30 }, (_, i) => `GET /c/${i} 0`),
    ...Array.from({ length: 20 }, (_, i) => `HEAD /d/${i}`),
  ];
  appendFileSync(access, accessLines.join('\n') + '\n');
  // The syslog: 2,500 lines the access program cannot match; the sample must come out escaped.
  const SYSLOG_LINES = 2500;
  appendFileSync(syslog, Array.from({ length: SYSLOG_LINES }, (_, i) => `Dec  2 06:00:00 web1 cron[${i}]: "job" <done>\u0007`).join('\n') + '\n');

  const labels = (prog: string, log: string) => ({ prog, log });
  await d.waitForValue('logmetrics_program_lines_total', labels('all.mtail', syslog), SYSLOG_LINES);
  await d.waitForValue('logmetrics_program_lines_total', labels('access.mtail', syslog), SYSLOG_LINES);
  await d.waitForValue('logmetrics_program_lines_total', labels('access.mtail', access), 1000);
  const samples = await d.samples();
  const cases: { name: string; metric: string; prog: string; log: string; want: number | undefined }[] = [
    { name: 'access program, access log: lines', metric: 'logmetrics_program_lines_total', prog: 'access.mtail', log: access, want: 1000 },
    { name: 'access program, access log: matched (GET and POST that ran to the end)', metric: 'logmetrics_program_lines_matched_total', prog: 'access.mtail', log: access, want: 950 },
    { name: 'access program, syslog: lines', metric: 'logmetrics_program_lines_total', prog: 'access.mtail', log: syslog, want: SYSLOG_LINES },
    { name: 'access program, syslog: matched', metric: 'logmetrics_program_lines_matched_total', prog: 'access.mtail', log: syslog, want: 0 },
    { name: 'catch-all program, access log: lines', metric: 'logmetrics_program_lines_total', prog: 'all.mtail', log: access, want: 1000 },
    { name: 'catch-all program, access log: matched', metric: 'logmetrics_program_lines_matched_total', prog: 'all.mtail', log: access, want: 1000 },
    { name: 'catch-all program, syslog: matched', metric: 'logmetrics_program_lines_matched_total', prog: 'all.mtail', log: syslog, want: SYSLOG_LINES },
    { name: 'access program: run-time errors (per program)', metric: 'logmetrics_program_runtime_errors_total', prog: 'access.mtail', log: '', want: 30 },
  ];
  for (const c of cases) {
    const want = c.log === '' ? { prog: c.prog } : labels(c.prog, c.log);
    t.equal(valueOf(samples, c.metric, want), c.want, c.name);
  }
  t.equal(valueOf(samples, 'requests_total', { method: 'GET' }), 730, 'the program itself counted its lines');

  // Exactly one warning, for the access program and the syslog, with a sample line.
  await d.waitForLog(/event=program_not_matching/);
  const warnings = d.stderr().split('\n').filter((l) => l.includes('event=program_not_matching'));
  t.equal(warnings.length, 1, `exactly one warning; stderr:\n${d.stderr()}`);
  const w = warnings[0]!;
  t.match(w, /level=warn /);
  t.match(w, / prog=access\.mtail /, 'names the program');
  t.ok(w.includes(` log=${syslog} `), 'names the log');
  t.match(w, / reason="matched none of the first 1000 lines" /, 'says what it saw');
  t.ok(w.includes(' sample="Dec  2 06:00:00 web1 cron[999]: \\"job\\" <done>\\u0007" '), `one sample line, quoted and escaped: ${w}`);

  // HELP from the comment above a declaration, else where it is defined.
  const exposition = await get(d.url('/metrics'), { headers: { Accept: 'text/plain' } });
  t.match(exposition.body, /^# HELP requests_total Requests by method\.$/m, 'HELP from the comment above the declaration');
  t.match(exposition.body, /^# HELP per_status defined at access\.mtail:3:7-16$/m, 'no comment: defined at');

  // The status page says the same.
  const page = await get(d.url('/'));
  t.equal(page.status, 200);
  const html = page.body;
  t.match(html, /<span class="badge failed">1 not matching<\/span>/, 'the summary counts it');
  t.ok(html.includes(`access.mtail matched none of the first 1000 lines of ${syslog} (`), 'the warning on the status page');
  t.ok(html.includes('a sample line:\n&quot;Dec  2 06:00:00 web1 cron[999]: \\&quot;job\\&quot; &lt;done&gt;\\u0007&quot;</pre>'), 'with its sample, escaped');
  const row = (prog: string, log: string) => new RegExp(`<span class="name">${prog.replace('.', '\\.')}</span></td>\\n<td><span class="file">${log.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}</span></td>\\n([^\\n]*)`).exec(html)?.[1] ?? '';
  t.match(row('access.mtail', access), /^<td class="num">1,000<\/td><td class="num">950<\/td><td class="num">95\.0%<\/td><td class="num warn">30<\/td><td class="when" title="[^"]+">\d+s ago<\/td>$/, 'access program × access log: lines, matched, ratio, errors, last line');
  t.match(row('access.mtail', syslog), /^<td class="num">2,500<\/td><td class="num">0<\/td><td class="num warn">0\.0%<\/td><td class="num">0<\/td>/, 'access program × syslog: nothing matched');
  t.match(row('all.mtail', syslog), /^<td class="num">2,500<\/td><td class="num">2,500<\/td><td class="num">100\.0%<\/td>/, 'catch-all program × syslog');
  t.match(html, new RegExp(`${syslog.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}</span></td>\\n<td>file</td>\\n<td class="num">2,500</td><td class="num" title="[^"]+">[^<]+</td><td class="when" title="[^"]+">\\d+s ago</td>`), 'the source: lines, bytes, last read');

  const { code } = await d.stop('SIGTERM');
  t.equal(code, 0);
});
