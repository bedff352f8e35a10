#!/usr/bin/env node
// Log lines are attacker-controlled: let V8 fall back to its linear-time regex engine on
// excessive backtracking. The flag must be set before any pattern is compiled, hence the
// dynamic import below. dist/bundle/ is dist/src/ bundled by esbuild (npm run build): one
// module to load instead of seventy is about 40 ms less start-up; the daemon's code is a
// separate chunk, loaded only when a daemon starts.
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
const { main } = await import('../dist/bundle/cli/main.js');
process.exitCode = await main(process.argv);
