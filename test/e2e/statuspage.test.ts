// The status page as a browser shows it: headless Chromium loads / from the
// running daemon and dumps the DOM it built; the page must list the programs
// (a broken one with its error and code frame) and the followed files with
// their line counts.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runArgs, startDaemon, tempDir, valueOf } from '../daemon/helpers.js';
import { dumpDom, visibleText } from '../helpers/chromium.js';
import { requireBinary } from './peers.js';

const GOOD = 'counter lines_total\n/$/ {\n  lines_total++\n}\n';
const BROKEN = 'counter x\n/a/ {\n  x = = 1\n}\n';

/** The rows of the first table after the heading `title`, as cell texts. */
function tableAfter(dom: string, title: string): string[][] {
  const at = dom.indexOf(`<h2>${title}</h2>`);
  if (at < 0) return [];
  const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(dom.slice(at));
  if (!table) return [];
  return [...table[1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => visibleText(cell[1]!).trim()),
  );
}

t.test('the status page in headless Chromium', async (t) => {
  const chromium = requireBinary('chromium', 'chromium');
  const dir = tempDir(t, 'logmetrics-e2e-statuspage-');
  const progs = join(dir, 'progs');
  mkdirSync(progs);
  writeFileSync(join(progs, 'good.mtail'), GOOD);
  writeFileSync(join(progs, 'broken.mtail'), BROKEN);
  mkdirSync(join(dir, 'logs'));
  const files = { 'alpha.log': 12, 'beta.log': 3 };
  for (const f of Object.keys(files)) writeFileSync(join(dir, 'logs', f), '');
  const d = await startDaemon(t, runArgs(progs, [join(dir, 'logs', '*.log')]));
  for (const [f, n] of Object.entries(files)) appendFileSync(join(dir, 'logs', f), 'a line\n'.repeat(n));
  await d.waitForSamples('15 lines', (s) => valueOf(s, 'lines_total') === 15);

  const r = await dumpDom(d.url('/'), join(dir, 'chromium-profile'), chromium);
  if (r.status !== 0 || r.dom === '') throw new Error(`chromium exited ${r.status}; stderr:\n${r.stderr}`);
  const dom = r.dom;
  t.match(dom, /<title>logmetrics [^<]+<\/title>/, 'the page loaded (title)');

  const programs = tableAfter(dom, 'Programs');
  const good = programs.find((r) => r[0]?.startsWith('good.mtail'));
  const broken = programs.find((r) => r[0]?.startsWith('broken.mtail'));
  t.ok(good, 'good.mtail is listed');
  t.equal(good?.[1], 'loaded', 'good.mtail: loaded');
  t.equal(good?.[3], '15', 'good.mtail: 15 lines');
  t.ok(broken, 'broken.mtail is listed');
  t.equal(broken?.[1], 'failed', 'broken.mtail: failed');
  t.match(broken?.[0] ?? '', join(progs, 'broken.mtail').slice(-40), 'with its file');

  // The error row under the failed program: message, source line, caret under the fault.
  const error = programs.find((r) => r.length === 1 && r[0]!.includes('broken.mtail:3:7'));
  t.ok(error, 'the error row names broken.mtail:3:7');
  const frame = (error?.[0] ?? '').split('\n');
  const src = frame.findIndex((l) => /^3 \|\s+x = = 1$/.test(l));
  t.ok(src >= 0, 'the code frame shows the faulty line', { frame });
  const caret = frame[src + 1] ?? '';
  t.equal(caret.indexOf('^'), frame[src]!.indexOf('= 1'), 'the caret points at the second =', { frame });
  t.match(visibleText(dom), /1 failed/, 'the summary counts the failed program');

  const sources = tableAfter(dom, 'Sources');
  for (const [f, n] of Object.entries(files)) {
    const row = sources.find((r) => r[0] === join(dir, 'logs', f));
    t.ok(row, `${f} is listed`);
    t.equal(row?.[1], 'file', `${f}: kind file`);
    t.equal(row?.[2], String(n), `${f}: ${n} lines`);
  }
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
