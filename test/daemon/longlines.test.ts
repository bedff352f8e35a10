// Long hostile lines against catastrophic patterns must not freeze the daemon: before
// long subjects went to re2, one 1 MB line of "x" against /x+y/ held the whole process,
// /healthz included, for about a minute. Here a dozen such lines are appended while
// /healthz is polled: every poll must be answered, well within a generous bound, and
// every line must be counted as re2 and V8 agree it matches.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { get, runArgs, startDaemon, tempDir } from './helpers.js';

const PROGRAM = `counter hits by pattern
counter done_total

/(a+)+$/ {
  hits["(a+)+$"]++
}
/(x+x+)+y/ {
  hits["(x+x+)+y"]++
}
/(a|aa)+b/ {
  hits["(a|aa)+b"]++
}
/x+y/ {
  hits["x+y"]++
}
/.*.*=.*/ {
  hits[".*.*=.*"]++
}
/^done$/ {
  done_total++
}
`;

/** Far above what a poll takes when the process is responsive, far below the minute a line cost. */
const HEALTHZ_BOUND_MS = 10_000;
const LINE = 1_000_000;

t.test('/healthz answers while 1 MB hostile lines are matched, and every line is counted', async (t) => {
  const dir = tempDir(t, 'logmetrics-longlines-');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'hostile.mtail'), PROGRAM);
  const log = join(dir, 'hostile.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--max-line-bytes', String(LINE + 10)));

  const lines = [
    ...Array.from({ length: 4 }, () => 'x'.repeat(LINE)),
    ...Array.from({ length: 4 }, () => `${'a'.repeat(LINE)}!`),
    ...Array.from({ length: 2 }, () => `${'x'.repeat(LINE)}y`),
    ...Array.from({ length: 2 }, () => `${'a'.repeat(LINE)}b=`),
    ...Array.from({ length: 2 }, () => 'a'.repeat(LINE)),
  ];
  let processing = true;
  const latencies: number[] = [];
  const failures: string[] = [];
  const poller = (async () => {
    while (processing) {
      const t0 = Date.now();
      try {
        const r = await get(d.url('/healthz'), { timeoutMs: HEALTHZ_BOUND_MS });
        if (r.status !== 200) failures.push(`status ${r.status}`);
      } catch (err) {
        failures.push((err as Error).message);
      }
      latencies.push(Date.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  for (const line of lines) appendFileSync(log, `${line}\n`);
  appendFileSync(log, 'done\n');
  await d.waitForValue('done_total', {}, 1, 120_000);
  processing = false;
  await poller;

  t.same(failures, [], 'every /healthz poll was answered with 200');
  t.ok(latencies.length >= 1, `${latencies.length} polls`);
  t.ok(Math.max(...latencies) < HEALTHZ_BOUND_MS, `slowest /healthz answer ${Math.max(...latencies)} ms`);
  const samples = await d.samples();
  const hits = (p: string) => samples.find((s) => s.name === 'hits' && s.labels.pattern === p)?.value;
  t.equal(hits('(a+)+$'), 2, '(a+)+$ matched the lines of a only');
  t.equal(hits('x+y'), 2, 'x+y matched the x…y lines');
  t.equal(hits('(x+x+)+y'), 2, '(x+x+)+y matched the x…y lines');
  t.equal(hits('(a|aa)+b'), 2, '(a|aa)+b matched the a…b= lines');
  t.equal(hits('.*.*=.*'), 2, '.*.*=.* matched the lines with =');
});
