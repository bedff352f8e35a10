// Run by stdin.test.ts as a child process, so that the real process.stdin is a pipe.
// Usage: node stdinChild.js read|tail  — prints {lines, stats} as JSON on stdout.
import { readToEnd, Tailer } from '../../src/tail/index.js';

const mode = process.argv[2];
const lines: [string, string][] = [];
const processor = {
  processLine(line: string, file: string): void {
    lines.push([line, file]);
  },
};

if (mode === 'read') {
  const stats = await readToEnd('-', processor, { maxLineBytes: 16 });
  process.stdout.write(JSON.stringify({ lines, stats }) + '\n');
} else if (mode === 'tail') {
  const tailer = new Tailer({ patterns: ['-'], processor, maxLineBytes: 16, pollIntervalMs: 20 });
  await tailer.start();
  // Follow stdin until the parent closes it.
  const deadline = Date.now() + 10000;
  while (tailer.stats().sources['-'].open && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const stats = tailer.stats().sources['-'];
  await tailer.stop();
  process.stdout.write(JSON.stringify({ lines, stats }) + '\n');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
