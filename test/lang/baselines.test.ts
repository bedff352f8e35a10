// Error baselines: each fixtures/errors/<case>/prog.mtail is compiled and its
// diagnostics, formatted exactly as `logmetrics check` writes them to stderr
// (file:line:col, message, numbered code frame with carets, hint), are compared
// with fixtures/errors/<case>/expected.txt.
//
// After an intended change to messages or positions, rewrite the baselines with
//
//   npx tsc -p tsconfig.json && UPDATE_BASELINES=1 npx tap dist/test/lang/baselines.test.js
//
// and review every changed expected.txt by eye (git diff fixtures/errors): the
// carets must sit under the token the message is about.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { compile, formatDiagnostics } from '../../src/lang/compile.js';

const root = fileURLToPath(new URL('../../../fixtures/errors/', import.meta.url));
const update = process.env.UPDATE_BASELINES === '1';
const cases = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

t.ok(cases.length >= 15, `at least 15 baseline cases (${cases.length})`);

for (const name of cases) {
  t.test(name, async (t) => {
    const prog = join(root, name, 'prog.mtail');
    const expectedFile = join(root, name, 'expected.txt');
    // Compiled as `logmetrics check prog.mtail` would from inside the case folder, so the
    // baselines do not depend on where the repository is checked out.
    const result = compile('prog.mtail', readFileSync(prog, 'utf8'));
    t.ok(result.diagnostics.length > 0, 'the case produces diagnostics');
    const actual = formatDiagnostics(result) + '\n';
    if (update) {
      writeFileSync(expectedFile, actual);
      t.pass(`wrote ${expectedFile}`);
      return;
    }
    t.ok(existsSync(expectedFile), `${name}/expected.txt exists (create it with UPDATE_BASELINES=1)`);
    if (!existsSync(expectedFile)) return;
    t.equal(actual, readFileSync(expectedFile, 'utf8'), 'diagnostics match the baseline');
    // Every code frame's caret line must start under the column the header names.
    for (const m of actual.matchAll(/^prog\.mtail:(\d+):(\d+): .*\n.*\n\s*\d+ \| (.*)\n\s* \| ([ \t]*)\^/gm)) {
      const col = Number(m[2]);
      t.equal(m[4].length + 1, col, `caret at column ${col} of line ${m[1]}`);
    }
  });
}
