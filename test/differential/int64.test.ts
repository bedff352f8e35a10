// Ints are Go's int64, digit for digit. The corpus case 80-int64-edges compares the Prometheus
// text with mtail's, where values are float64 and only labels carry every digit; here the same
// program and log run through both tools in one-shot JSON, where mtail writes each int64 value
// exactly, and every value must be the same text. Also our own exposition formats: the
// Prometheus text and OpenMetrics print a big int in full, and both read back as mtail's float.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import t from 'tap';
import { findRepoRoot, MTAIL_MISSING, mtailAvailable, runMtail, runProcess, stderrTail, type DiffCase } from './corpus.js';

const ROOT = findRepoRoot();
const DIR = path.join(ROOT, 'fixtures', 'differential', '80-int64-edges');
const CASE: DiffCase = { name: '80-int64-edges', dir: DIR, prog: path.join(DIR, 'prog.mtail'), input: path.join(DIR, 'input.log') };

/** Every datum's value as written, by metric and labels: numbers are kept as their text. */
function valuesOf(json: string): Map<string, string> {
  // JSON.parse would round an int64 to a double: quote every bare number first.
  const quoted = json.replace(/(:\s*|\[\s*|,\s*)(-?\d[\d.eE+-]*)(?=\s*[,}\]])/g, '$1"$2"');
  const byName = JSON.parse(quoted) as Record<string, { Name: string; LabelValues?: { Labels?: string[]; Value: { Value: string } }[] }[]>;
  const out = new Map<string, string>();
  for (const list of Object.values(byName)) {
    for (const m of list) {
      for (const lv of m.LabelValues ?? []) out.set(`${m.Name}${JSON.stringify(lv.Labels ?? [])}`, lv.Value.Value);
    }
  }
  return out;
}

async function ours(format: string): Promise<string> {
  const bin = path.join(ROOT, 'bin', 'logmetrics.js');
  const r = await runProcess(process.execPath, [bin, 'run', '--progs', CASE.prog, '--logs', CASE.input, '--one-shot', '--format', format], { ...process.env, TZ: 'UTC' });
  if (r.code !== 0) throw new Error(`logmetrics --format ${format} failed: ${stderrTail(r)}`);
  return r.stdout;
}

t.test('one-shot JSON: every int64 value has the same digits as mtail', async (t) => {
  if (!mtailAvailable()) return void t.fail(MTAIL_MISSING);
  const m = await runMtailJson();
  t.equal(m.code, 0, 'mtail ran', { stderr: stderrTail(m) });
  const theirs = valuesOf(m.stdout);
  const mine = valuesOf(await ours('mtail-json'));
  t.ok(theirs.size > 100, `mtail wrote ${theirs.size} values`);
  const big = [...theirs.values()].filter((v) => /^-?\d+$/.test(v) && !Number.isSafeInteger(Number(v)));
  t.ok(big.length >= 20, `${big.length} of them are ints beyond 2^53, where a double would lose digits`);
  const differ = [...new Set([...theirs.keys(), ...mine.keys()])].filter((k) => theirs.get(k) !== mine.get(k));
  t.same(
    differ.map((k) => `${k}: mtail ${theirs.get(k)}, ours ${mine.get(k)}`),
    [],
    `the same ${theirs.size} values`,
  );
  t.equal(mine.get('lit_max[]'), '9223372036854775807', 'MaxInt64 literal');
  t.equal(mine.get('total[]'), '-9223372036854775808', 'a counter wraps around past MaxInt64');
});

t.test('Prometheus text and OpenMetrics print a big int in full', async (t) => {
  for (const format of ['prometheus', 'openmetrics']) {
    const text = await ours(format);
    t.match(text, /^lit_max\{prog="prog\.mtail"\} 9223372036854775807$/m, `${format}: MaxInt64 with every digit`);
    t.match(text, /^lit_min\{prog="prog\.mtail"\} -9223372036854775808$/m, `${format}: MinInt64`);
    t.match(text, /^lit_sum\{prog="prog\.mtail"\} -9223372036854775808$/m, `${format}: MaxInt64 + 1 wrapped`);
    const counter = format === 'openmetrics' ? 'total_total' : 'total';
    t.match(text, new RegExp(`^${counter}\\{prog="prog\\.mtail"\\} -9223372036854775808$`, 'm'), `${format}: the wrapped counter`);
  }
});

/** mtail's one-shot JSON of the case (runMtail writes Prometheus text: same run, another format flag). */
async function runMtailJson() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-int64-'));
  try {
    const prog = path.join(tmp, 'prog.mtail');
    fs.copyFileSync(CASE.prog, prog);
    return await runProcess(
      'mtail',
      ['--one_shot', '--one_shot_format', 'json', '--progs', tmp, '--logs', CASE.input, '--logtostderr', '--address', '127.0.0.1', '--port', '0'],
      { ...process.env, TZ: 'UTC' },
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

t.test('mtail itself wraps the counter (the corpus compares the rest)', async (t) => {
  if (!mtailAvailable()) return void t.fail(MTAIL_MISSING);
  const r = await runMtail(CASE);
  t.equal(r.code, 0, 'mtail ran');
  t.match(r.stdout, /^total\{prog="prog\.mtail"\} -9\.223372036854776e\+18$/m, 'mtail prints the wrapped counter as a float64');
});
