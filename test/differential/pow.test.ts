// Go's amd64 Exp, under math.Pow, has two paths chosen by the CPU: fused multiply-adds with
// AVX2 and FMA, rounded steps without. The corpus case 82-float-pow holds the CLI to mtail on
// this machine's path; here each path of src/go/math.ts is held to mtail made to take it
// (GODEBUG=cpu.fma=off turns Go's FMA path off), over the same 190 operand pairs.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { expFma, expSse, goExpUsesFma, powWith } from '../../src/go/math.js';
import { parseExposition } from '../helpers/promtext.js';
import { findRepoRoot, MTAIL_MISSING, mtailAvailable, runMtail, stderrTail, type DiffCase } from './corpus.js';

const DIR = path.join(findRepoRoot(), 'fixtures', 'differential', '82-float-pow');
const CASE: DiffCase = { name: '82-float-pow', dir: DIR, prog: path.join(DIR, 'prog.mtail'), input: path.join(DIR, 'input.log') };
const PAIRS = fs
  .readFileSync(CASE.input, 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(' '))
  .map(([i, x, y]) => ({ i: i!, x: Number(x), y: Number(y) }));

/** mtail's pow[i] values, with `env` added to its environment. */
async function mtailValues(env: NodeJS.ProcessEnv): Promise<Map<string, number>> {
  const r = await runMtail(CASE, env);
  if (r.code !== 0) throw new Error(`mtail failed: ${stderrTail(r)}`);
  return new Map(parseExposition(r.stdout).filter((s) => s.name === 'pow').map((s) => [s.labels.i!, s.value]));
}

function differences(theirs: Map<string, number>, exp: (x: number) => number): string[] {
  const out: string[] = [];
  for (const { i, x, y } of PAIRS) {
    const ours = powWith(x, y, exp);
    if (!Object.is(ours, theirs.get(i)) && !(ours === 0 && theirs.get(i) === 0)) out.push(`${x} ** ${y}: mtail ${theirs.get(i)}, ours ${ours}`);
  }
  return out;
}

t.test('each Exp path gives mtail\'s Pow on that path', async (t) => {
  if (!mtailAvailable()) return void t.fail(MTAIL_MISSING);
  const rounded = await mtailValues({ GODEBUG: 'cpu.fma=off' });
  t.equal(rounded.size, PAIRS.length, `mtail wrote ${PAIRS.length} values`);
  t.same(differences(rounded, expSse), [], 'GODEBUG=cpu.fma=off: the rounded path, every value');
  if (!goExpUsesFma()) {
    // A CPU without AVX2 and FMA: mtail cannot take the fused path here, and neither do we.
    t.same(differences(await mtailValues({}), expSse), [], 'this CPU has no FMA: mtail and we take the rounded path');
    return;
  }
  const fused = await mtailValues({});
  t.same(differences(fused, expFma), [], 'the FMA path, every value');
  const apart = PAIRS.filter(({ i }) => !Object.is(fused.get(i), rounded.get(i))).length;
  t.ok(apart > 0, `the two paths differ for ${apart} of ${PAIRS.length} pairs, so each comparison can fail`);
});
