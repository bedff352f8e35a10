#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2 (MiB): log lines make short-lived garbage at a high rate, and V8
// answers by growing the young generation up to 16 MiB per semi-space, so peak memory grew
// with the length of a run (63 MiB after 1M lines, 71 MiB after 5M); capped, it stays at
// 60-62 MiB with the same speed. The flag only applies when this file is run as a command
// (logmetrics ..., as npm links it); `node bin/logmetrics.js` runs without it.
// Log lines are attacker-controlled: let V8 fall back to its linear-time regex engine on
// excessive backtracking. The flag must be set before any pattern is compiled, hence the
// dynamic import below. dist/bundle/ is dist/src/ bundled by esbuild (npm run build): one
// module to load instead of seventy is about 40 ms less start-up; the daemon's code is a
// separate chunk, loaded only when a daemon starts.
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

// Output that cannot be written ends the run as it ends other Unix tools, without a stack
// trace: a reader that went away (`logmetrics run --one-shot ... | head -1`) stops us quietly
// with the status a shell reports for SIGPIPE (128 + 13), as for `cat`; a full disk gets one
// line saying so. Node ignores SIGPIPE, so the write fails with EPIPE instead.
const SIGPIPE_STATUS = 141;
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(SIGPIPE_STATUS);
  const reason = err.code === 'ENOSPC' ? 'no space left on device' : err.message;
  process.stderr.write(`logmetrics: cannot write the output: ${reason}${err.code ? ` (${err.code})` : ''}\n`);
  process.exit(1);
});
// Nowhere left to report a failing stderr: stop as stdout would.
process.stderr.on('error', (err) => process.exit(err.code === 'EPIPE' ? SIGPIPE_STATUS : 1));

const { main } = await import('../dist/bundle/cli/main.js');
process.exitCode = await main(process.argv);
