// Runs a command as a subprocess and measures its wall time and peak resident memory.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
/** A run that takes longer than this is killed and the benchmark fails. */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
const STDERR_TAIL_BYTES = 8192;
const POLL_INTERVAL_MS = 5;

/** How peak RSS is measured: GNU time's %M (the kernel's ru_maxrss of the child), or polling VmHWM. */
export type RssMethod = 'gnu-time' | 'proc-vmhwm';

/** Picks the RSS method: GNU time when it works, else polling /proc; BENCH_RSS=proc forces polling. */
export function chooseRssMethod(env: NodeJS.ProcessEnv = process.env): RssMethod {
  if (env.BENCH_RSS === 'proc') return 'proc-vmhwm';
  if (!existsSync(GNU_TIME)) return 'proc-vmhwm';
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '') ? 'gnu-time' : 'proc-vmhwm';
}

/** One sentence for the report on how RSS was measured. */
export function describeRssMethod(m: RssMethod): string {
  return m === 'gnu-time'
    ? `peak RSS = ${GNU_TIME} -f %M (the kernel's ru_maxrss of the process, KiB)`
    : 'peak RSS = VmHWM of /proc/<pid>/status, polled every 5 ms until exit (the high-water mark, so the last read is the peak up to the final 5 ms)';
}

export interface Command {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Where stdout goes: a file path (default /dev/null). */
  stdout?: string;
}

export interface Measurement {
  seconds: number;
  peakRssBytes: number;
}

/**
 * Runs `cmd` to completion; rejects with the end of its stderr when it fails. GNU time's
 * report goes to a file under `scratch` (pass the benchmark's temp dir, cleaned on exit).
 */
export function measure(cmd: Command, method: RssMethod, scratch = tmpdir()): Promise<Measurement> {
  return method === 'gnu-time' ? measureWithGnuTime(cmd, scratch) : measureWithProcPolling(cmd);
}

async function measureWithGnuTime(cmd: Command, scratch: string): Promise<Measurement> {
  const dir = mkdtempSync(join(scratch, 'time-'));
  const out = join(dir, 'time.txt');
  try {
    const { seconds } = await runChild({ ...cmd, file: GNU_TIME, args: ['-f', '%M', '-o', out, cmd.file, ...cmd.args] }, () => undefined, cmd);
    // GNU time writes a "Command exited with non-zero status" line first when the command fails.
    const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    if (!/^\d+$/.test(last)) throw new Error(`cannot read peak RSS from ${GNU_TIME}: ${JSON.stringify(last)}`);
    return { seconds, peakRssBytes: Number(last) * 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureWithProcPolling(cmd: Command): Promise<Measurement> {
  let peakKiB = 0;
  const { seconds } = await runChild(cmd, (pid) => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
    } catch {
      // The process has exited between two polls; the last value read stands.
    }
  });
  if (peakKiB === 0) throw new Error(`no VmHWM read for ${cmd.file}: it exited before the first poll`);
  return { seconds, peakRssBytes: peakKiB * 1024 };
}

/** Spawns the command, calls `poll(pid)` every few ms while it runs, resolves with its wall time. */
function runChild(cmd: Command, poll: (pid: number) => void, shown: Command = cmd): Promise<{ seconds: number }> {
  const outFd = openSync(cmd.stdout ?? '/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Its own process group, so that stopping it also stops what it runs (GNU time's child).
    const child = spawn(cmd.file, cmd.args, { env: cmd.env ?? process.env, stdio: ['ignore', outFd, 'pipe'], detached: true });
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    let stderrTail = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderrTail = (stderrTail + s).slice(-STDERR_TAIL_BYTES);
    });
    const timer = setInterval(() => child.pid !== undefined && poll(child.pid), POLL_INTERVAL_MS);
    const killer = setTimeout(stop, RUN_TIMEOUT_MS);
    // If the benchmark is interrupted, the measured process goes with it.
    process.once('exit', stop);
    const done = () => {
      clearInterval(timer);
      clearTimeout(killer);
      process.off('exit', stop);
      closeSync(outFd);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      done();
      if (code === 0) resolve({ seconds });
      else reject(new Error(`${[shown.file, ...shown.args].join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderrTail}`));
    });
    // A first read right away, so even a very short-lived child is seen.
    if (child.pid !== undefined) poll(child.pid);
  });
}

/** The median of a non-empty list (the mean of the two middle values when the count is even). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

