// Parallel one-shot runs (src/runtime/parallel.ts): programs split over worker threads must give
// exactly what one thread gives, run-time errors included.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { prometheusText } from '../../src/export/prometheus.js';
import type { Logger } from '../../src/log/index.js';
import { evaluate } from '../../src/runtime/evaluate.js';
import { chooseThreads, startWorker } from '../../src/runtime/parallel.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CASES = join(ROOT, 'fixtures', 'differential');

/** Every differential program in one directory, and all their logs in one file. */
function allPrograms(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'logmetrics-parallel-'));
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  const log = join(dir, 'all.log');
  const parts: Buffer[] = [];
  for (const c of readdirSync(CASES).sort()) {
    copyFileSync(join(CASES, c, 'prog.mtail'), join(progs, `${c}.mtail`));
    parts.push(readFileSync(join(CASES, c, 'input.log')));
  }
  writeFileSync(log, Buffer.concat(parts));
  return { dir, log };
}

interface Run {
  text: string;
  status: number;
  /** Run-time error counts by program, from the summary events. */
  errors: Record<string, unknown>;
}

async function run(progs: string, log: string, threads: number): Promise<Run> {
  const errors: Record<string, unknown> = {};
  const logger: Logger = {
    log(_level, event, fields) {
      if (event === 'runtime_errors') errors[String(fields?.prog)] = fields?.count;
      if (event === 'worker_failed') throw new Error(`a worker failed: ${String(fields?.error)}`);
    },
  };
  const { store, status } = await evaluate({ progs, logs: [log], threads, maxLineBytes: 1 << 20, syslogUseCurrentYear: false }, new PassThrough(), logger);
  return { text: prometheusText(store, { progLabel: true }), status, errors };
}

t.test('2 and 3 threads give what 1 thread gives, over 65 programs', async (t) => {
  const { dir, log } = allPrograms();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const progs = join(dir, 'progs');
  const one = await run(progs, log, 1);
  t.ok(one.text.split('\n').length > 500, 'a large exposition to compare');
  t.ok(Object.keys(one.errors).length > 0, 'some programs fail on some lines');
  for (const threads of [2, 3]) {
    const many = await run(progs, log, threads);
    t.equal(many.status, one.status, `${threads} threads: same status`);
    t.equal(many.text, one.text, `${threads} threads: same exposition`);
    t.same(many.errors, one.errors, `${threads} threads: same run-time error counts`);
  }
});

t.test('the shipped programs over their captured logs, through the CLI', async (t) => {
  const bin = join(ROOT, 'bin', 'logmetrics.js');
  const logs = ['apache/access-combined.log', 'nginx/access-timed.log', 'haproxy/haproxy-http.log', 'postfix']
    .map((p) => join(ROOT, 'fixtures', 'programs', p))
    .flatMap((p) => (p.endsWith('.log') ? [p] : readdirSync(p).filter((f) => f.endsWith('.log')).map((f) => join(p, f))));
  const cli = (threads: number) =>
    spawnSync(process.execPath, [bin, 'run', '--progs', join(ROOT, 'programs'), '--logs', logs.join(','), '--one-shot', '--threads', String(threads), '--log-level', 'debug'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
  const one = cli(1);
  const two = cli(2);
  t.equal(one.status, 0, one.stderr);
  t.equal(two.status, 0, two.stderr);
  t.match(two.stderr, /event=threads threads=2/, 'two threads were used');
  t.ok(one.stdout.length > 1000, 'metrics printed');
  t.equal(two.stdout, one.stdout, 'the same metrics');
});

t.test('how many threads', async (t) => {
  const dir = tempDir(t, 'logmetrics-threads-');
  const small = join(dir, 'small.log');
  writeFileSync(small, 'a line\n');
  t.same(chooseThreads(undefined, 7, [small]), { threads: 1, sizes: [7] }, 'a small log: one thread');
  t.same(chooseThreads(3, 7, [small]), { threads: 3, sizes: [7] }, 'asked for: as asked');
  t.same(chooseThreads(3, 2, [small]), { threads: 2, sizes: [7] }, 'never more threads than programs');
  t.equal(chooseThreads(2, 7, ['-']).threads, 1, 'stdin can be read only once');
  t.equal(chooseThreads(2, 7, [join(dir, 'missing.log')]).threads, 1, 'a missing log is left to the main thread to report');
});

t.test('a worker that cannot load its programs fails, and says why', async (t) => {
  const job = { programFiles: ['/nonexistent/prog.mtail'], logs: [], timezone: 'UTC', maxLineBytes: 1024, syslogUseCurrentYear: false };
  const { results } = await startWorker(job, { log() {} });
  await t.rejects(results, /nonexistent\/prog\.mtail/);
});
