// The status page as a browser shows it: headless Chromium loads / from the
// running daemon and dumps the DOM it built; the page must list the programs
// (a broken one with its error and code frame) and the followed files with
// their line counts.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runArgs, startDaemon, tempDir, valueOf, type Teardown } from '../daemon/helpers.js';
import { requireBinary } from './peers.js';

const GOOD = 'counter lines_total\n/$/ {\n  lines_total++\n}\n';
const BROKEN = 'counter x\n/a/ {\n  x = = 1\n}\n';

/** Runs headless Chromium with --dump-dom on `url`; resolves with the serialised DOM. */
async function dumpDom(t: Teardown, chromium: string, profile: string, url: string): Promise<string> {
  const child = spawn(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--dump-dom', url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  let exited = false;
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    });
  });
  t.teardown(() => {
    if (!exited) child.kill('SIGKILL');
  });
  // Chromium starts slowly on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await done.finally(() => clearTimeout(timer));
  if (code !== 0 || out === '') throw new Error(`chromium exited ${code}; stderr:\n${err}`);
  return out;
}

/** The text a reader sees: tags removed, entities decoded, runs of blanks (not newlines) squeezed. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The rows of the first table after the heading `title`, as cell texts. */
function tableAfter(dom: string, title: string): string[][] {
  const at = dom.indexOf(`<h2>${title}</h2>`);
  if (at < 0) return [];
  const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(dom.slice(at));
  if (!table) return [];
  return [...table[1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => textOf(cell[1]!).trim()),
  );
}

t.test('the status page in headless Chromium', async (t) => {
  const chromium = requireBinary('chromium', 'chromium');
  const dir = tempDir(t, 'e2e-statuspage');
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

  const dom = await dumpDom(t, chromium, join(dir, 'chromium-profile'), d.url('/'));
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
  t.match(textOf(dom), /1 failed/, 'the summary counts the failed program');

  const sources = tableAfter(dom, 'Sources');
  for (const [f, n] of Object.entries(files)) {
    const row = sources.find((r) => r[0] === join(dir, 'logs', f));
    t.ok(row, `${f} is listed`);
    t.equal(row?.[1], 'file', `${f}: kind file`);
    t.equal(row?.[2], String(n), `${f}: ${n} lines`);
  }
  t.equal((await d.stop()).code, 0, 'logmetrics: exit 0');
});
