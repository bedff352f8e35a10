// Random programs through both tools: seeded programs of typed expressions, nested
// conditions and state kept in metrics (randomprograms.ts) run through logmetrics and
// Debian's mtail, which must accept or refuse each alike and, when both run it, export the
// same samples. Runs of this kind found the comparison, literal folding, NaN and bool/float
// operand differences that fixtures/differential/83-88 now pin down.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { diffSamples, formatDiff, isEmptyDiff, parseExposition } from '../helpers/promtext.js';
import { tempDir } from '../helpers/tempdir.js';
import { findRepoRoot, mapBounded, MTAIL_MISSING, mtailAvailable, runLogmetrics, runMtail, stderrTail, type DiffCase } from './corpus.js';
import { expressionCase, stateCase, type RandomCase } from './randomprograms.js';

const ROOT = findRepoRoot();
const PER_KIND = 40;

t.test('random programs: the same verdict and the same samples as mtail', async (t) => {
  if (!mtailAvailable()) return void t.fail(MTAIL_MISSING);
  const work = tempDir(t, 'logmetrics-random-');
  const cases: { name: string; c: DiffCase; program: string }[] = [];
  const add = (name: string, r: RandomCase): void => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    const c: DiffCase = { name, dir, prog: path.join(dir, 'prog.mtail'), input: path.join(dir, 'input.log') };
    fs.writeFileSync(c.prog, r.program);
    fs.writeFileSync(c.input, r.log);
    cases.push({ name, c, program: r.program });
  };
  for (let seed = 1; seed <= PER_KIND; seed++) {
    add(`expressions-${seed}`, expressionCase(seed));
    add(`state-${seed}`, stateCase(seed));
  }
  const runs = mapBounded(cases, 2, async ({ c }) => Promise.all([runMtail(c), runLogmetrics(ROOT, c)]));
  let compared = 0;
  for (const [i, { name, program }] of cases.entries()) {
    const [m, o] = await runs[i]!;
    const mtailRan = m.code === 0 && m.error === undefined;
    const oursRan = o.code === 0 && o.error === undefined;
    if (mtailRan !== oursRan) {
      t.fail(`${name}: mtail ${mtailRan ? 'ran' : 'refused'} it, logmetrics ${oursRan ? 'ran' : 'refused'} it`, {
        program,
        mtail: stderrTail(m),
        logmetrics: stderrTail(o),
      });
      continue;
    }
    if (!mtailRan) continue;
    const diff = diffSamples(parseExposition(o.stdout), parseExposition(m.stdout));
    if (isEmptyDiff(diff)) compared++;
    else t.fail(`${name}: samples differ`, { program, differences: formatDiff(diff, 'logmetrics', 'mtail') + '\n' });
  }
  // Most programs run in both: a generator that produced only refused programs would test nothing.
  t.ok(compared >= cases.length * 0.8, `${compared} of ${cases.length} programs ran in both tools with the same samples`);
});
