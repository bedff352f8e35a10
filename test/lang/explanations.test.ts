// Every diagnostic code has a message, an explanation for `logmetrics explain`, and an
// error baseline: a code added to the table without them fails here. Each explanation's
// examples are compiled: the bad one must be reported with its code, the good one must
// compile without it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { ALL_CODES, Code, MESSAGES } from '../../src/lang/diagnostics.js';
import { EXPLANATIONS } from '../../src/lang/explanations.js';

const root = fileURLToPath(new URL('../../../fixtures/errors/', import.meta.url));

/** Codes shown in the error baselines, with the folders that show them. */
function baselineCodes(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const text = readFileSync(join(root, dir.name, 'expected.txt'), 'utf8');
    for (const m of text.matchAll(/^prog\.mtail:\d+:\d+: (?:error|warning)\[([EW]\d{3})\]/gm)) {
      seen.set(m[1], [...(seen.get(m[1]) ?? []), dir.name]);
    }
  }
  return seen;
}

t.test('every code has a baseline folder, a message and an explanation', async (t) => {
  const seen = baselineCodes();
  t.ok(ALL_CODES.length >= 50, `the table holds the codes (${ALL_CODES.length})`);
  for (const code of ALL_CODES) {
    t.ok(seen.has(code), `${code} is shown by a baseline in fixtures/errors/`);
    t.ok(MESSAGES[code].message.length > 0, `${code} has a message`);
    t.ok(EXPLANATIONS[code]?.text.length > 40, `${code} has an explanation`);
  }
  for (const code of seen.keys()) t.ok((ALL_CODES as string[]).includes(code), `baseline code ${code} is in the table`);
});

t.test('codes are unique and well formed', async (t) => {
  t.equal(new Set(ALL_CODES).size, ALL_CODES.length, 'no code is used twice');
  for (const code of ALL_CODES) t.match(code, /^[EW]\d{3}$/, `${code} is E or W and three digits`);
});

t.test("each explanation's examples", async (t) => {
  for (const code of ALL_CODES) {
    const e = EXPLANATIONS[code];
    const bad = compile('bad.mtail', e.bad);
    t.ok(bad.diagnostics.some((d) => d.code === code), `${code}: the bad example is reported with ${code} (got ${bad.diagnostics.map((d) => d.code).join(', ') || 'nothing'})`);
    const good = compile('good.mtail', e.good);
    t.same(good.diagnostics.map((d) => `${d.code} ${d.message}`), [], `${code}: the corrected example compiles cleanly`);
    t.ok(good.generated, `${code}: the corrected example generates code`);
  }
});

t.test('warnings are W codes and leave the program running; errors stop it', async (t) => {
  for (const code of ALL_CODES) {
    const r = compile('bad.mtail', EXPLANATIONS[code].bad);
    const ds = r.diagnostics.filter((d) => d.code === code);
    if (ds.length === 0) continue;
    t.equal(ds[0].severity, code.startsWith('W') ? 'warning' : 'error', `${code}: severity`);
    if (code.startsWith('E')) t.notOk(r.generated, `${code}: no code is generated`);
  }
  t.equal(Code.RenamedForExport, 'W002', 'the rename warning keeps its code');
});
