// The differential corpus (fixtures/differential/<NN-name>/) and the two
// programs it is run through: logmetrics (bin/logmetrics.js) and Google's
// mtail (Debian's 3.0.0~rc50), each as a subprocess in one-shot mode.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One folder of the corpus. `expectedFile` and `whyFile` exist only for documented cases. */
export interface DiffCase {
  name: string;
  dir: string;
  prog: string;
  input: string;
  expectedFile?: string;
  whyFile?: string;
}

/** What a subprocess did: exit code (null when killed), output, and a spawn error if any. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

/** Per-process limit; one-shot runs of these small logs take well under a second. */
const PROCESS_TIMEOUT_MS = 30_000;

/** The message a test fails with when the oracle is not installed. */
export const MTAIL_MISSING = 'install mtail: apt-get install -y mtail';

/** Finds the repository root (the folder with logmetrics' package.json) above `from`. */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'fixtures'))) {
      const name = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name;
      if (name === 'logmetrics') return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no logmetrics repository above ${from}`);
  }
}

/** Lists the case folders under `corpusDir`, sorted by name. */
export function listCases(corpusDir: string): DiffCase[] {
  return fs
    .readdirSync(corpusDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dir = path.join(corpusDir, name);
      const optional = (f: string): string | undefined => {
        const p = path.join(dir, f);
        return fs.existsSync(p) ? p : undefined;
      };
      return {
        name,
        dir,
        prog: path.join(dir, 'prog.mtail'),
        input: path.join(dir, 'input.log'),
        expectedFile: optional('expected.prom'),
        whyFile: optional('WHY'),
      };
    });
}

/** Runs a command without a shell; never rejects. */
export function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { env, timeout: PROCESS_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const code = typeof e.code === 'number' ? e.code : null;
        const error = typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.killed ? 'killed (timeout)' : undefined;
        resolve({ code, stdout: stdout ?? '', stderr: stderr ?? '', error });
      },
    );
  });
}

/** Environment for both sides: UTC, as the corpus's strptime expectations assume. */
function utcEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC' };
}

/**
 * Runs logmetrics one-shot over a case and returns its Prometheus exposition.
 * LOGMETRICS_BIN may name another build's entry script (run with node).
 */
export function runLogmetrics(repoRoot: string, c: DiffCase): Promise<ProcessResult> {
  const bin = process.env.LOGMETRICS_BIN ?? path.join(repoRoot, 'bin', 'logmetrics.js');
  const args = [bin, 'run', '--progs', c.prog, '--logs', c.input, '--one-shot', '--format', 'prometheus'];
  return runProcess(process.execPath, args, utcEnv());
}

/** True when an `mtail` binary can be started. */
export function mtailAvailable(): boolean {
  const r = spawnSync('mtail', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.error === undefined && r.status === 0;
}

/**
 * Runs mtail one-shot over a case. mtail wants a directory of programs, so the
 * program is copied alone into a temporary one (its prog label stays
 * "prog.mtail"); the HTTP listener it starts anyway is put on a free loopback port.
 * `env` is added to its environment (GODEBUG, to choose its CPU paths).
 */
export async function runMtail(c: DiffCase, env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  let progDir: string | undefined;
  try {
    progDir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-diff-'));
    fs.copyFileSync(c.prog, path.join(progDir, 'prog.mtail'));
    const args = [
      '--one_shot',
      '--one_shot_format',
      'prometheus',
      '--progs',
      progDir,
      '--logs',
      c.input,
      '--logtostderr',
      '--address',
      '127.0.0.1',
      '--port',
      '0',
    ];
    return await runProcess('mtail', args, { ...utcEnv(), ...env });
  } catch (e) {
    // Results are awaited later, one case at a time: a rejection here would go unhandled.
    return { code: null, stdout: '', stderr: '', error: (e as Error).message };
  } finally {
    if (progDir !== undefined) fs.rmSync(progDir, { recursive: true, force: true });
  }
}

/**
 * Starts `fn` on each item with at most `limit` running at once; returns one
 * promise per item, in order, so a caller can await results as they finish.
 * `fn` should not reject: a result may sit unawaited while earlier ones are used.
 */
export function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R>[] {
  const resolvers: Array<(r: R | Promise<R>) => void> = [];
  const promises = items.map(() => new Promise<R>((resolve) => resolvers.push(resolve)));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const run = fn(items[i]);
      resolvers[i](run);
      await run.catch(() => undefined);
    }
  };
  for (let w = 0; w < Math.min(limit, items.length); w++) void worker();
  return promises;
}

/** The last lines of a process's stderr, for failure messages. */
export function stderrTail(r: ProcessResult, lines = 12): string {
  return r.stderr.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Runs `mtail --compile_only` on a directory of programs (each case folder holds one
 * prog.mtail), with any extra flags such as `--max_recursion_depth 50`. mtail exits 1 when
 * a program fails to compile and prints each error as `prog.mtail:LINE:COL[-END]: message`.
 */
export function runMtailCompile(progDir: string, extraArgs: string[] = []): Promise<ProcessResult> {
  // mtail listens even with --compile_only: a free loopback port, so that runs at once never collide on :3903.
  return runProcess('mtail', ['--compile_only', '--progs', progDir, '--logtostderr', '--address', '127.0.0.1', '--port', '0', ...extraArgs], utcEnv());
}

/** One error mtail reported: 1-based line and column of its start, and the message. */
export interface MtailError {
  line: number;
  col: number;
  message: string;
}

/** The errors in mtail's compile output, in the order it printed them. */
export function mtailErrors(stderr: string, file = 'prog.mtail'): MtailError[] {
  const re = new RegExp(`^${file.replace(/\./g, '\\.')}:(\\d+):(\\d+)(?:-\\d+)?: (.*)$`, 'gm');
  return [...stderr.matchAll(re)].map((m) => ({ line: Number(m[1]), col: Number(m[2]), message: m[3] }));
}
