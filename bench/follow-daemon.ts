// A following daemon under test (logmetrics `run` or mtail, not one-shot): start it on a
// loopback port, read `lines_total` from its /metrics, stop it, and never leave it running.

import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { REPO_ROOT } from './tools.js';

export type FollowTool = 'logmetrics' | 'mtail';

/** A running daemon following one file. */
export interface FollowDaemon {
  tool: FollowTool;
  port: number;
  /** The daemon's process id (its CPU time is in /proc/<pid>/stat). */
  pid: number;
  /** The value of `lines_total` in /metrics now (0 while the metric is absent). */
  linesTotal(): Promise<number>;
  /** The text of /metrics now. */
  metrics(): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited after a grace period. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const SCRAPE_TIMEOUT_MS = 5_000;
const STDERR_TAIL_BYTES = 8192;
const LINES_TOTAL = /^lines_total(?:\{[^}]*\})? (\S+)/m;

/** How each tool is started, and the stderr line that names the port it bound (both are given port 0). */
function commandLine(tool: FollowTool, progsDir: string, log: string): { file: string; args: string[]; bound: RegExp } {
  const common = ['--progs', progsDir, '--logs', log, '--address', '127.0.0.1', '--port', '0'];
  return tool === 'logmetrics'
    ? { file: `${REPO_ROOT}bin/logmetrics.js`, args: ['run', ...common], bound: /event=listening .*?\bport=(\d+)/ }
    : { file: 'mtail', args: [...common, '--logtostderr'], bound: /Listening on \S*:(\d+)/ };
}

/** Starts `tool` following `log` with the programs of `progsDir`; resolves once it has bound its port. */
export function startFollowDaemon(tool: FollowTool, progsDir: string, log: string): Promise<FollowDaemon> {
  const { file, args, bound } = commandLine(tool, progsDir, log);
  // Its own process group, so that a stop reaches everything it started.
  const child = spawn(file, args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderrTail = '';
  let exited: string | undefined;
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && exited === undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killHard = () => kill('SIGKILL');
  // If the benchmark is interrupted or fails, the daemon goes with it.
  process.once('exit', killHard);
  const closed = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      process.off('exit', killHard);
      resolve();
    });
  });
  const failure = (what: string) => new Error(`${tool}: ${what}; end of its stderr:\n${stderrTail}`);
  // One kept-alive connection, as a Prometheus server scrapes.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  const scrape = (port: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path: '/metrics', agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (body += s));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(failure(`/metrics answered ${res.statusCode}`));
          resolve(body);
        });
        res.on('error', reject);
      });
      req.setTimeout(SCRAPE_TIMEOUT_MS, () => req.destroy(new Error(`no answer from /metrics in ${SCRAPE_TIMEOUT_MS} ms`)));
      req.on('error', (err) => reject(failure(`scrape failed (${err.message})${exited ? `, it has exited (${exited})` : ''}`)));
    });

  const stop = async () => {
    agent.destroy();
    kill('SIGTERM');
    const grace = setTimeout(killHard, STOP_GRACE_MS);
    await closed;
    clearTimeout(grace);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().then(() => reject(failure(`no port announced in ${START_TIMEOUT_MS} ms`)));
    }, START_TIMEOUT_MS);
    let port: number | undefined;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderrTail = (stderrTail + s).slice(-STDERR_TAIL_BYTES);
      const m = port === undefined ? bound.exec(stderrTail) : null;
      if (!m) return;
      port = Number(m[1]);
      clearTimeout(timer);
      const p = port;
      const linesTotal = async () => {
        const m = LINES_TOTAL.exec(await scrape(p));
        return m ? Number(m[1]) : 0;
      };
      resolve({ tool, port: p, pid: child.pid!, linesTotal, metrics: () => scrape(p), stop });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(failure(`cannot start ${file}: ${err.message}`));
    });
    void closed.then(() => {
      clearTimeout(timer);
      if (port === undefined) reject(failure(`exited (${exited}) before listening`));
    });
  });
}
