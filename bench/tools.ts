// The two command lines under test: logmetrics' real CLI and Debian's mtail, both one-shot.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from './measure.js';

/** The repository root (this file runs from dist/bench/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How to run each tool; `mtail` is absent when the binary is not installed. */
export interface Tools {
  ours(progs: string, logs: string[], stdout?: string): Command;
  mtail?: (progsDir: string, logs: string[], stdout?: string) => Command;
  mtailVersion?: string;
}

const ENV = { ...process.env, TZ: 'UTC' };

/** Finds mtail on PATH and builds both command lines. */
export function findTools(): Tools {
  // Run as a command, as npm links it and users run it, so the node flags on its #! line apply.
  const ours = (progs: string, logs: string[], stdout?: string): Command => ({
    file: `${REPO_ROOT}bin/logmetrics.js`,
    args: ['run', '--progs', progs, '--logs', logs.join(','), '--one-shot', '--format', 'prometheus'],
    env: ENV,
    stdout,
  });
  const probe = spawnSync('mtail', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ours };
  const version = /mtail version (\S+)/.exec(probe.stdout + probe.stderr)?.[1] ?? 'unknown version';
  const mtail = (progsDir: string, logs: string[], stdout?: string): Command => ({
    file: 'mtail',
    // mtail listens on [::]:3903 even in one-shot mode: keep it on loopback, on a free port,
    // so a benchmark never clashes with another mtail or leaves loopback.
    args: ['--one_shot', '--one_shot_format', 'prometheus', '--progs', progsDir, '--logs', logs.join(','), '--logtostderr', '--address', '127.0.0.1', '--port', '0'],
    env: ENV,
    stdout,
  });
  return { ours, mtail, mtailVersion: version };
}
