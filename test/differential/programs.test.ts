// The shipped programs against the oracle, live: Debian's mtail runs each program
// over its fixture logs now, and its output must equal the reference stored beside
// the log (fixtures/programs/<p>/<log>.mtail-output.prom). test/cli/golden.test.ts
// then holds our expected files to those references (rc50's dropped bucket
// observations aside), so ours and the live mtail agree through them.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { diffSamples, formatDiff, isEmptyDiff, parseExposition } from '../helpers/promtext.js';
import { findRepoRoot, MTAIL_MISSING, mtailAvailable, runProcess, stderrTail } from './corpus.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = findRepoRoot();
const FIXTURES = path.join(ROOT, 'fixtures', 'programs');

const PLAN: [program: string, logs: string[]][] = [
  ['nginx', ['access-combined', 'access-timed']],
  ['apache', ['access-common', 'access-combined', 'access-apache']],
  ['haproxy', ['haproxy-http', 'haproxy-tcp']],
  ['syslog', ['auth', 'syslog']],
  ['postfix', ['mail']],
  ['linecount', ['a', 'b']],
];

t.test('mtail prints the stored reference output for every shipped program and fixture log', async (t) => {
  if (!mtailAvailable()) {
    t.fail(MTAIL_MISSING);
    return;
  }
  const progs = tempDir(t, 'logmetrics-programs-');
  for (const [program, logs] of PLAN) {
    // One program at a time in mtail's program directory, one log per run, as the references were made.
    for (const f of fs.readdirSync(progs)) fs.rmSync(path.join(progs, f));
    fs.copyFileSync(path.join(ROOT, 'programs', `${program}.mtail`), path.join(progs, `${program}.mtail`));
    for (const log of logs) {
      const dir = path.join(FIXTURES, program);
      const r = await runProcess(
        'mtail',
        ['--one_shot', '--one_shot_format', 'prometheus', '--logtostderr', '--address', '127.0.0.1', '--port', '0', '--progs', progs, '--logs', path.join(dir, `${log}.log`)],
        { ...process.env, TZ: 'UTC' },
      );
      t.equal(r.code, 0, `${program}/${log}: mtail exits 0`, { stderr: stderrTail(r) });
      const live = parseExposition(r.stdout.replaceAll(`${dir}/`, 'FIXTURE_DIR/'));
      const stored = parseExposition(fs.readFileSync(path.join(dir, `${log}.mtail-output.prom`), 'utf8'));
      const diff = diffSamples(live, stored);
      t.ok(stored.length > 0, `${program}/${log}: the reference has samples`);
      t.ok(isEmptyDiff(diff), `${program}/${log}: live mtail = stored reference (${stored.length} samples)`, isEmptyDiff(diff) ? {} : { diff: formatDiff(diff, 'live mtail', 'stored') });
    }
  }
});
