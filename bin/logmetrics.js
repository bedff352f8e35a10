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
const { main } = await import('../dist/bundle/cli/main.js');
process.exitCode = await main(process.argv);
