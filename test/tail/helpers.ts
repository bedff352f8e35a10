// Shared pieces of the tail integration tests: temp dirs, a line collector, deadline waits,
// and a writer that keeps its descriptor open across rotations like a real logger.
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { Tailer, type TailerOptions } from '../../src/tail/index.js';

import { type Teardown } from '../helpers/tempdir.js';

export { tempDir, type Teardown } from '../helpers/tempdir.js';

/** A LineProcessor that collects what it receives. */
export class Collector {
  readonly got: { line: string; file: string }[] = [];
  processLine(line: string, file: string): void {
    this.got.push({ line, file });
  }

  get lines(): string[] {
    return this.got.map((g) => g.line);
  }

  get count(): number {
    return this.got.length;
  }

  files(): string[] {
    return [...new Set(this.got.map((g) => g.file))].sort();
  }
}

/** Polls cond every 10 ms until it holds; fails after timeoutMs with what was awaited. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lines in a stable order, for comparing multisets (duplicates stay visible). */
export function sorted(lines: string[]): string[] {
  return [...lines].sort();
}

/**
 * Writes numbered lines through one open descriptor, as a logger does: after the file is
 * renamed or deleted it keeps writing to the old file until reopen() is called.
 */
export class LineWriter {
  readonly written: string[] = [];
  private fd: number;
  private seq = 0;

  constructor(
    readonly file: string,
    private readonly prefix: string,
  ) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Appends n lines in one write each; returns them. */
  write(n: number, opts: { crlf?: boolean; pad?: number } = {}): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const line = `${this.prefix}-${String(this.seq++).padStart(6, '0')}${'x'.repeat(opts.pad ?? 0)}`;
      fs.writeSync(this.fd, line + (opts.crlf ? '\r\n' : '\n'));
      out.push(line);
    }
    this.written.push(...out);
    return out;
  }

  /** Closes the old descriptor and opens the path again (what a logger does on SIGHUP/USR1). */
  reopen(): void {
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Starts a Tailer with test-friendly timings; it is stopped when the test ends. */
export async function startTailer(t: Teardown, opts: Partial<TailerOptions> & Pick<TailerOptions, 'patterns' | 'processor'>): Promise<Tailer> {
  const tailer = new Tailer({ pollIntervalMs: 40, rotationGraceMs: 600, ...opts });
  t.teardown(() => tailer.stop());
  await tailer.start();
  return tailer;
}

/** The counters of one source, or an all-zero record when the Tailer does not list it. */
export function sourceStats(tailer: Tailer, name: string) {
  return (
    tailer.stats().sources[name] ?? {
      kind: 'file',
      lines: 0,
      bytes: 0,
      rotations: 0,
      truncations: 0,
      longLinesCut: 0,
      errors: 0,
      open: false,
    }
  );
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
  const port = s.address().port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}
