import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readToEnd } from '../../src/tail/index.js';
import { tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function collect(file: string, opts: { maxLineBytes: number; chunkBytes?: number; limitBytes?: number; blocking?: boolean }) {
  const got: [string, string][] = [];
  const stats = await readToEnd(file, { processLine: (l, f) => void got.push([l, f]) }, opts);
  return { lines: got.map((g) => g[0]), files: [...new Set(got.map((g) => g[1]))], stats };
}

t.test('a regular file, read in small chunks', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'x.log');
  const text = 'héllo wörld\r\nsecond\n' + 'z'.repeat(50) + '\n\nlast without newline';
  fs.writeFileSync(file, text);
  for (const blocking of [false, true]) {
    for (const chunkBytes of [1, 3, 7, 64 * 1024]) {
      const how = `chunk ${chunkBytes}${blocking ? ', blocking reads' : ''}`;
      const r = await collect(file, { maxLineBytes: 20, chunkBytes, blocking });
      t.same(r.lines, ['héllo wörld', 'second', 'z'.repeat(20), '', 'last without newline'], `lines, ${how}`);
      t.same(r.files, [file], 'absolute path');
      t.same(r.stats, { lines: 5, bytes: Buffer.byteLength(text), longLinesCut: 1, errors: 0 }, `stats, ${how}`);
    }
  }
});

t.test('limitBytes: the file as it was, whatever was appended since', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'grows.log');
  fs.writeFileSync(file, 'one\ntwo\nthree\n');
  const size = fs.statSync(file).size;
  fs.appendFileSync(file, 'four\nfive\n');
  for (const blocking of [false, true]) {
    for (const chunkBytes of [1, 4, 1024]) {
      const r = await collect(file, { maxLineBytes: 100, chunkBytes, limitBytes: size, blocking });
      t.same(r.lines, ['one', 'two', 'three'], `chunk ${chunkBytes}${blocking ? ', blocking' : ''}`);
      t.equal(r.stats.bytes, size);
    }
  }
  const cut = await collect(file, { maxLineBytes: 100, limitBytes: 6 });
  t.same(cut.lines, ['one', 'tw'], 'a limit inside a line hands out its start at the end, like any unterminated last line');
});

t.test('a relative path is reported as absolute', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'r.log'), 'a\n');
  const rel = path.relative(process.cwd(), path.join(dir, 'r.log'));
  const r = await collect(rel, { maxLineBytes: 100 });
  t.same(r.files, [path.join(dir, 'r.log')]);
});

t.test('a FIFO is read until its writer closes it', async (t) => {
  const dir = tempDir(t);
  const fifo = path.join(dir, 'p');
  await new Promise<void>((res, rej) => execFile('mkfifo', [fifo], (e) => (e ? rej(e) : res())));
  const writer = spawn('sh', ['-c', `printf 'a\\nb\\nc' > '${fifo}'`]);
  const exited = new Promise((res) => writer.on('exit', res));
  const r = await collect(fifo, { maxLineBytes: 100, blocking: true });
  await exited;
  t.same(r.lines, ['a', 'b', 'c'], 'the last line without a newline is handed out at EOF (blocking reads are for regular files only)');
});

t.test('a missing file rejects', async (t) => {
  await t.rejects(readToEnd('/nonexistent/dir/x.log', { processLine() {} }, { maxLineBytes: 10 }), { code: 'ENOENT' });
  await t.rejects(readToEnd('/nonexistent/dir/x.log', { processLine() {} }, { maxLineBytes: 10, blocking: true }), { code: 'ENOENT' });
});

t.test('a read error is counted, not thrown', async (t) => {
  const dir = tempDir(t);
  // Opening a directory read-only succeeds on Linux; reading it fails with EISDIR.
  const logged: string[] = [];
  const stats = await readToEnd(dir, { processLine() {} }, {
    maxLineBytes: 10,
    logger: { log: (_level, event) => logged.push(event) },
  });
  t.equal(stats.errors, 1);
  t.same(logged, ['tail.read_error']);
});

for (const mode of ['read', 'tail']) {
  t.test(`stdin ('-') through a real pipe: ${mode === 'read' ? 'readToEnd' : 'Tailer'}`, async (t) => {
    const child = spawn(process.execPath, [path.join(here, 'stdinChild.js'), mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const pause = () => new Promise((r) => setTimeout(r, 30));
    child.stdin.write('one\ntw');
    await pause();
    child.stdin.write('o\r\nthree is longer than sixteen bytes\nfo');
    await pause();
    child.stdin.end('ur');
    t.equal(await exited, 0, 'child exits cleanly');
    const result = JSON.parse(out);
    t.same(result.lines, [
      ['one', '-'],
      ['two', '-'],
      ['three is longer ', '-'],
      ['four', '-'],
    ]);
    t.equal(result.stats.lines, 4);
    t.equal(result.stats.longLinesCut, 1);
  });
}
