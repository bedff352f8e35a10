// The deepest and longest program of every construct (test/helpers/deepprograms.ts), at
// each limit and one step beyond: we accept it at the limit, and beyond it refuse it with a
// positioned error, never a crash. mtail (`--compile_only`) is given the same programs:
// where it has the same limit it must accept and refuse at the same sizes and point at the
// same line:col; where it differs, the case says why. The same programs through the CLI
// (check, and a one-shot run) end with positioned errors and no stack trace.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, MAX_RECURSION_DEPTH } from '../../src/lang/compile.js';
import { DEFAULT_LIMITS, type CheckLimits } from '../../src/lang/checker/index.js';
import { DEEP_CASES } from '../helpers/deepprograms.js';
import { MTAIL_MISSING, findRepoRoot, mtailAvailable, mtailErrors, runMtailCompile, stderrTail, type ProcessResult } from './corpus.js';

const repoRoot = findRepoRoot();
const BIN = path.join(repoRoot, 'bin', 'logmetrics.js');

interface Ours {
  ok: boolean;
  code?: string;
  pos?: string;
}

function ours(program: string, limits: CheckLimits = DEFAULT_LIMITS): Ours {
  const r = compile('prog.mtail', program, limits);
  const e = r.diagnostics.find((d) => d.severity === 'error');
  if (r.generated !== undefined && e === undefined) return { ok: true };
  if (e === undefined) return { ok: false };
  const p = r.source.position(e.span.start);
  return { ok: false, code: e.code, pos: `${p.line}:${p.col}` };
}

function tmpProg(t: { teardown(fn: () => void): void }, program: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-limits-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'prog.mtail'), program);
  return dir;
}

/** mtail's verdict; asked again once when it exits 1 without an error line (seen under load). */
async function mtail(dir: string, flags: string[] = []): Promise<{ ok: boolean; pos?: string; r: ProcessResult }> {
  let r = await runMtailCompile(dir, flags);
  if (r.code !== 0 && mtailErrors(r.stderr).length === 0) r = await runMtailCompile(dir, flags);
  const e = mtailErrors(r.stderr)[0];
  return { ok: r.code === 0, pos: e && `${e.line}:${e.col}`, r };
}

t.test('ours: accepted at each limit, a positioned error one step beyond', async (t) => {
  for (const c of DEEP_CASES) {
    let at: Ours | undefined;
    let beyond: Ours | undefined;
    t.doesNotThrow(() => {
      at = ours(c.program(c.at));
      beyond = ours(c.program(c.at + 1));
    }, `${c.name}: compile does not throw`);
    t.same(at, { ok: true }, `${c.name}: size ${c.at} is accepted`);
    if (c.code === undefined) {
      t.same(beyond, { ok: true }, `${c.name}: size ${c.at + 1} is accepted too (no limit)`);
    } else {
      t.equal(beyond?.code, c.code, `${c.name}: size ${c.at + 1} is refused with ${c.code}`);
      t.match(beyond?.pos ?? '', /^[1-9]\d*:[1-9]\d*$/, `${c.name}: at a line:col (${beyond?.pos})`);
    }
  }
});

t.test('--max-recursion-depth and --max-regexp-length move the limits', async (t) => {
  const blocks = DEEP_CASES.find((c) => c.name === 'nested blocks')!;
  const regex = DEEP_CASES.find((c) => c.name === 'a long regex')!;
  const deeper = { ...DEFAULT_LIMITS, maxRecursionDepth: 300 };
  t.same(ours(blocks.program(148), deeper), { ok: true }, '148 nested blocks at depth 300 (two levels each, as mtail counts)');
  t.equal(ours(blocks.program(149), deeper).code, 'E011', '149 are refused');
  const longer = { ...DEFAULT_LIMITS, maxRegexLength: 4096 };
  t.same(ours(regex.program(4096), longer), { ok: true }, 'a 4096-byte pattern with --max-regexp-length 4096');
  t.equal(ours(regex.program(4097), longer).code, 'E041', '4097 bytes are refused');
  const huge = { ...DEFAULT_LIMITS, maxRecursionDepth: 1_000_000 };
  const chain = DEEP_CASES.find((c) => c.name === 'a chain of +')!;
  t.equal(ours(chain.program(MAX_RECURSION_DEPTH), huge).code, 'E011', `a depth above ${MAX_RECURSION_DEPTH} is taken as ${MAX_RECURSION_DEPTH}, what the compiler is tested to survive`);
});

t.test('mtail: the same limits, sizes and positions', async (t) => {
  if (!mtailAvailable()) {
    t.fail(MTAIL_MISSING);
    return;
  }
  for (const c of DEEP_CASES) {
    if (c.mtail === 'cannot') {
      t.ok(c.why, `${c.name}: not compared, because ${c.why}`);
      continue;
    }
    const at = await mtail(tmpProg(t, c.program(c.at)));
    const beyond = await mtail(tmpProg(t, c.program(c.at + 1)));
    if (!t.ok(at.ok, `${c.name}: mtail accepts size ${c.at}`)) t.comment(stderrTail(at.r));
    if (c.mtail === 'accepts') {
      t.ok(beyond.ok, `${c.name}: mtail accepts size ${c.at + 1} too${c.why ? `; we differ on purpose: ${c.why}` : ''}`);
      continue;
    }
    t.notOk(beyond.ok, `${c.name}: mtail refuses size ${c.at + 1}`);
    t.equal(ours(c.program(c.at + 1)).pos, beyond.pos, `${c.name}: at the same line:col as mtail (${beyond.pos})`);
  }
  const blocks = DEEP_CASES.find((c) => c.name === 'nested blocks')!;
  t.ok((await mtail(tmpProg(t, blocks.program(148)), ['--max_recursion_depth', '300'])).ok, 'mtail -max_recursion_depth 300 accepts 148 nested blocks');
  t.notOk((await mtail(tmpProg(t, blocks.program(149)), ['--max_recursion_depth', '300'])).ok, 'and refuses 149');
  const regex = DEEP_CASES.find((c) => c.name === 'a long regex')!;
  t.ok((await mtail(tmpProg(t, regex.program(4096)), ['--max_regexp_length', '4096'])).ok, 'mtail -max_regexp_length 4096 accepts 4096 bytes');
  t.notOk((await mtail(tmpProg(t, regex.program(4097)), ['--max_regexp_length', '4096'])).ok, 'and refuses 4097');
});

t.test('the CLI: check and a one-shot run report each program beyond its limit, without a crash', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-limits-cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const limited = DEEP_CASES.filter((c) => c.code !== undefined);
  limited.forEach((c, i) => fs.writeFileSync(path.join(dir, `p${String(i).padStart(2, '0')}.mtail`), c.program(c.at + 1)));
  fs.writeFileSync(path.join(dir, 'good.mtail'), 'counter lines_total\n/$/ {\n  lines_total++\n}\n');
  const log = path.join(dir, 'app.log');
  fs.writeFileSync(log, 'a\nb\nc\n');
  const check = spawnSync(process.execPath, [BIN, 'check', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  t.equal(check.status, 1, 'check exits 1');
  t.notMatch(check.stderr, /RangeError|Maximum call stack|at \S+ \(/, 'no stack trace');
  limited.forEach((c, i) => {
    t.match(check.stderr, new RegExp(`p${String(i).padStart(2, '0')}\\.mtail:\\d+:\\d+: error\\[${c.code}\\]`), `${c.name}: file:line:col and ${c.code}`);
  });
  t.match(check.stderr, new RegExp(`${limited.length} programs failed to compile \\(of ${limited.length + 1}\\)`), 'the good program compiles');
  const run = spawnSync(process.execPath, [BIN, 'run', '--one-shot', '--progs', dir, '--logs', log, '--format', 'prometheus'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  t.notMatch(run.stderr, /RangeError|Maximum call stack|at \S+ \(/, 'one-shot: no stack trace');
  t.match(run.stderr, /p00\.mtail:\d+:\d+: error\[E011\]/, 'one-shot: the errors are reported with their positions');
  t.match(run.stdout, /lines_total\{prog="good\.mtail"\} 3/, 'one-shot: the good program ran');
});
