// --max-series-per-metric and --max-series on the running daemon: label values beyond the
// caps are dropped, counted in logmetrics_series_refused_total, and warned about once per
// metric; series already stored keep counting.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runArgs, startDaemon, tempDir, valueOf } from './helpers.js';

const PROGRAM = `counter by_id by id
counter by_user by user
counter done_total

/^id=(?P<id>\\S+) user=(?P<user>\\S+)$/ {
  by_id[$id]++
  by_user[$user]++
}
/^done$/ {
  done_total++
}
`;

t.test('series beyond the caps are refused, counted and warned about once per metric', async (t) => {
  const dir = tempDir(t, 'seriescap');
  mkdirSync(join(dir, 'progs'));
  writeFileSync(join(dir, 'progs', 'ids.mtail'), PROGRAM);
  const log = join(dir, 'ids.log');
  writeFileSync(log, '');
  const d = await startDaemon(t, runArgs(join(dir, 'progs'), [log], '--max-series-per-metric', '100', '--max-series', '150'));
  // 300 ids with one user, then 60 users with one id. done_total is a series from the start.
  const lines = [...Array.from({ length: 300 }, (_, i) => `id=${i} user=u0`), ...Array.from({ length: 60 }, (_, k) => `id=0 user=u${k}`)];
  appendFileSync(log, `${lines.join('\n')}\ndone\n`);
  await d.waitForValue('done_total', {}, 1);
  const samples = await d.samples();
  const ids = samples.filter((s) => s.name === 'by_id');
  const users = samples.filter((s) => s.name === 'by_user');
  t.equal(ids.length, 100, 'by_id stops at --max-series-per-metric');
  t.equal(users.length, 49, 'by_user gets what is left of --max-series (150 - 100 - done_total)');
  t.equal(valueOf(samples, 'by_id', { id: '0' }), 61, 'a stored series keeps counting');
  t.equal(valueOf(samples, 'logmetrics_series_refused_total', { metric: 'by_id' }), 200, '200 ids refused');
  t.equal(valueOf(samples, 'logmetrics_series_refused_total', { metric: 'by_user' }), 11, '11 users refused');
  const warnings = d.stderr().split('\n').filter((l) => l.includes('event=series_refused'));
  t.equal(warnings.length, 2, 'one warning per metric');
  t.match(warnings.find((w) => w.includes('metric=by_id')) ?? '', /--max-series-per-metric 100/, 'naming the cap that was reached');
  t.match(warnings.find((w) => w.includes('metric=by_user')) ?? '', /--max-series 150/);
});
