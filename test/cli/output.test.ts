// Output that cannot be written: a reader that leaves early (`| head -1`) stops the run
// quietly with the SIGPIPE status a shell reports for other tools (141), and a full disk
// (/dev/full) gets one clear line and status 1; neither prints a Node stack trace.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'logmetrics.js');
const dir = mkdtempSync(join(tmpdir(), 'logmetrics-output-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// 50,000 series: megabytes of output, far more than a pipe holds.
const prog = join(dir, 'words.mtail');
writeFileSync(prog, 'counter by_word by word\n/^(?P<word>\\S+)$/ {\n  by_word[$word]++\n}\n');
const log = join(dir, 'words.log');
writeFileSync(log, Array.from({ length: 50_000 }, (_, i) => `word${i}\n`).join(''));
const args = [bin, 'run', '--one-shot', '--progs', prog, '--logs', log];

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function ended(child: ReturnType<typeof spawn>, stderr: () => string): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 60 s; stderr:\n${stderr()}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr: stderr() });
    });
  });
}

t.test('a reader that closes the pipe early: exit 141, nothing on stderr', async (t) => {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  let first = '';
  child.stdout!.once('data', (chunk: Buffer) => {
    first = chunk.toString('utf8').split('\n')[0]!;
    child.stdout!.destroy(); // as head -1 does once it has its line
  });
  const r = await ended(child, () => err);
  t.match(first, /^# HELP by_word /, 'the first line was written');
  t.equal(r.code, 141, 'exit status 141, as a shell reports a tool stopped by SIGPIPE');
  t.equal(r.stderr, '', 'no stack trace, no message');
});

t.test('stdout on a full device: one line naming ENOSPC, exit 1', async (t) => {
  const full = openSync('/dev/full', 'w');
  t.teardown(() => closeSync(full));
  const child = spawn(process.execPath, args, { stdio: ['ignore', full, 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const r = await ended(child, () => err);
  t.equal(r.code, 1, 'exit 1');
  t.equal(r.stderr, 'logmetrics: cannot write the output: no space left on device (ENOSPC)\n', 'one clear line');
});
