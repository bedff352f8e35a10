// The floors of the pipeline (ARCHITECTURE.md): an import may go down or sideways, never up.
// Every import in src/ is resolved to the top-level folder it lands in and checked against
// the table below; a folder not in the table is a top floor like cli/ (nothing below may
// import it).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import t from 'tap';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** What each floor may import besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  go: [],
  log: [],
  yaml: [],
  regex: ['go', 'log'],
  metrics: ['go', 'log'],
  tail: ['go', 'log'],
  export: ['metrics', 'yaml', 'go', 'log'],
  config: ['yaml', 'tail', 'go', 'log'],
  lang: ['regex', 'metrics', 'go', 'log'],
  runtime: ['lang', 'regex', 'metrics', 'tail', 'go', 'log'],
};

/** The relative specifiers a TypeScript source imports (static, re-exports, dynamic). */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1]!);
  return out;
}

/** The top-level folder of src/ a path lies in ('' for files directly in src/). */
function floorOf(path: string): string {
  const rel = relative(SRC, path);
  return rel.includes(sep) ? rel.split(sep)[0]! : '';
}

/** `file imports target` where the table forbids it, as "from → to (file: specifier)". */
export function violations(files: { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { path, text } of files) {
    const from = floorOf(path);
    const allowed = MAY_IMPORT[from];
    if (allowed === undefined) continue;
    for (const spec of specifiers(text)) {
      const to = floorOf(resolve(dirname(path), spec));
      if (to !== from && !allowed.includes(to)) out.push(`${from} → ${to} (${relative(ROOT, path)}: ${spec})`);
    }
  }
  return out;
}

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|mts|cts)$/.test(e.name) ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

t.test('the checker finds imports running up, and only those', async (t) => {
  const at = (floor: string, text: string) => ({ path: join(SRC, floor, 'x.ts'), text });
  const cases: [string, { path: string; text: string }, string[]][] = [
    ['tail importing the runtime', at('tail', "import { ProgramSet } from '../runtime/programs.js';"), ['tail → runtime']],
    ['export importing lang (type only)', at('export', "import type { Node } from '../lang/ast.js';"), ['export → lang']],
    ['go importing metrics', at('go', "export { x } from '../metrics/index.js';"), ['go → metrics']],
    ['lang importing the runtime dynamically', at('lang', "const m = await import('../runtime/rt.js');"), ['lang → runtime']],
    ['metrics importing cli', at('metrics', "import '../cli/main.js';"), ['metrics → cli']],
    ['runtime importing lang, tail and go', at('runtime', "import { a } from '../lang/a.js';\nimport { b } from '../tail/b.js';\nimport { c } from '../go/c.js';"), []],
    ['a floor importing itself through a subfolder', at('lang', "import { c } from './checker/index.js';"), []],
    ['packages and node: modules', at('tail', "import { watch } from 'chokidar';\nimport fs from 'node:fs';"), []],
    ['cli importing everything', at('cli', "import { a } from '../runtime/a.js';\nimport { b } from '../export/b.js';"), []],
  ];
  for (const [name, file, want] of cases) {
    t.same(violations([file]).map((v) => v.split(' (')[0]), want, name);
  }
});

t.test('no import in src/ runs up the floors', async (t) => {
  const files = sources(SRC);
  const imports = files.reduce((n, f) => n + specifiers(f.text).length, 0);
  t.ok(imports > 100, `imports were found to check (${imports} in ${files.length} files)`);
  for (const floor of Object.keys(MAY_IMPORT)) {
    t.ok(files.some((f) => floorOf(f.path) === floor), `src/${floor}/ exists`);
  }
  t.same(violations(files), [], 'every import goes down or sideways');
});
