// Helpers of the generate end-to-end tests: the built CLI as a subprocess, a
// self-signed certificate made with openssl, waiting for a log to hold a
// number of lines, and counting a log with a generated program (one-shot).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, waitUntil } from '../daemon/helpers.js';
import { parseExposition, type Sample } from '../helpers/promtext.js';
import { requireBinary } from './peers.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `logmetrics ...args` to its end. */
export function cli(args: string[]): Outcome {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A self-signed certificate for localhost in dir: cert.pem, key.pem and both in one file (HAProxy's crt). */
export function makeCertificate(dir: string): { cert: string; key: string; pem: string } {
  const openssl = requireBinary('openssl', 'openssl');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  const pem = join(dir, 'both.pem');
  spawnSync('sh', ['-c', `cat "${cert}" "${key}" > "${pem}"`]);
  return { cert, key, pem };
}

function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').length;
}

/** Waits until the file holds n lines (servers log a request just after answering it). */
export async function waitForLines(path: string, n: number): Promise<void> {
  await waitUntil(() => `${path} to hold ${n} lines (has ${lineCount(path)})`, async () => (lineCount(path) >= n ? true : undefined), 30_000, 50);
}

/** The metrics a program gives for a log, read start to end. */
export function countWith(program: string, log: string): { samples: Sample[]; stderr: string } {
  const r = cli(['run', '--one-shot', '--progs', program, '--logs', log]);
  if (r.code !== 0) throw new Error(`one-shot run of ${program} over ${log} failed (${r.code}):\n${r.stderr}`);
  return { samples: parseExposition(r.stdout), stderr: r.stderr };
}
