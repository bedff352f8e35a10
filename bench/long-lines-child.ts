// Child process of scenario 6, run as `node long-lines-child.js PROGRAM LOG MAX_LINE_BYTES`:
// loads one program, reads LOG through the real reading path (line splitter, UTF-8 decoding)
// and times each line through the program. It prints one JSON object (LongLinesResult).
// A process per case, so that the peak RSS is that case's alone.

import { readFileSync } from 'node:fs';
import { silentLogger } from '../src/log/index.js';
import { Store } from '../src/metrics/index.js';
import { ProgramSet } from '../src/runtime/programs.js';
import { readToEnd } from '../src/tail/readToEnd.js';

/** What the child reports. */
export interface LongLinesResult {
  /** Regular expressions the program runs (its patterns). */
  patterns: number;
  lines: number;
  /** The slowest line through the program, in ms. */
  maxMs: number;
  /** VmRSS once the program is loaded and warm, before the long lines. */
  baseRssBytes: number;
  /** VmHWM at the end: the highest resident set of the process. */
  peakRssBytes: number;
  runtimeErrors: number;
}

function procStatus(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/self/status`);
  return Number(m[1]) * 1024;
}

async function main(argv: string[]): Promise<LongLinesResult> {
  const [program, log, maxLineBytes] = argv;
  const processor = new ProgramSet({ store: new Store(), logger: silentLogger, diagnostics: () => {} });
  if (!processor.load(program!)) throw new Error(`${program}: ${processor.list()[0]?.error ?? 'did not load'}`);
  const loaded = processor.loaded()[0]!;
  // Warm: the first line of a program compiles its code.
  for (let i = 0; i < 100; i++) processor.processLine('127.0.0.1 - - [22/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'warm.log');
  const baseRssBytes = procStatus('VmRSS');
  let maxMs = 0;
  const timed = {
    processLine(line: string, filename: string): void {
      const t0 = process.hrtime.bigint();
      processor.processLine(line, filename);
      maxMs = Math.max(maxMs, Number(process.hrtime.bigint() - t0) / 1e6);
    },
  };
  const stats = await readToEnd(log!, timed, { maxLineBytes: Number(maxLineBytes), blocking: true });
  return {
    patterns: loaded.program.result.checked?.patterns.length ?? 0,
    lines: stats.lines,
    maxMs,
    baseRssBytes,
    peakRssBytes: procStatus('VmHWM'),
    runtimeErrors: loaded.program.runtimeErrors,
  };
}

process.stdout.write(JSON.stringify(await main(process.argv.slice(2))) + '\n');
