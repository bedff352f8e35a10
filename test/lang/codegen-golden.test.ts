// Golden generated code: the JavaScript of every shipped program (programs/*.mtail), as
// `logmetrics check --emit js` prints it, is compared with fixtures/codegen/<name>.js, so a
// change to code generation shows in review as a diff of the code users read.
//
// After an intended change to code generation, rewrite the golden files with
//
//   npx tsc -p tsconfig.json && UPDATE_CODEGEN=1 npx tap dist/test/lang/codegen-golden.test.js
//
// and read the diff (git diff fixtures/codegen) as you would read the change itself.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';

const programs = fileURLToPath(new URL('../../../programs/', import.meta.url));
const golden = fileURLToPath(new URL('../../../fixtures/codegen/', import.meta.url));
const update = process.env.UPDATE_CODEGEN === '1';
const files = readdirSync(programs).filter((f) => f.endsWith('.mtail')).sort();

t.ok(files.length >= 6, `every shipped program is covered (${files.length})`);

for (const file of files) {
  t.test(file, async (t) => {
    const result = compile(file, readFileSync(join(programs, file), 'utf8'));
    t.ok(result.generated, `${file} compiles`);
    const code = result.generated?.code ?? '';
    const expectedFile = join(golden, `${basename(file, '.mtail')}.js`);
    if (update) writeFileSync(expectedFile, code);
    t.ok(existsSync(expectedFile), `fixtures/codegen/${basename(file, '.mtail')}.js exists (create it with UPDATE_CODEGEN=1)`);
    if (existsSync(expectedFile)) t.equal(code, readFileSync(expectedFile, 'utf8'), 'generated code is the golden file');
  });
}

t.test('every golden file belongs to a shipped program', async (t) => {
  const names = new Set(files.map((f) => basename(f, '.mtail')));
  for (const f of readdirSync(golden).filter((f) => f.endsWith('.js'))) t.ok(names.has(basename(f, '.js')), `${f} has programs/${basename(f, '.js')}.mtail`);
});
