import t from 'tap';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

t.test('a file that cannot be opened (EACCES) is counted and logged once; the rest goes on', async (t) => {
  const dir = tempDir(t);
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'open.log'), 'a\nb\nc\n', { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'secret.log'), 'hidden\n', { mode: 0o000 });
  fs.chmodSync(path.join(dir, 'secret.log'), 0o000);
  // root reads anything, so run the tailer as nobody when we are root.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawn(process.execPath, [path.join(here, 'errorsChild.js'), dir], {
    // stderr is kept apart: tap's process-info hook, injected into children, complains that it
    // cannot write .tap/ as nobody; that is noise unless the child fails.
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asNobody,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((res) => child.on('exit', res));
  t.equal(code, 0, 'the tailer did not crash');
  if (code !== 0) t.comment(err);
  const r = JSON.parse(out);
  t.same(r.lines, ['a', 'b', 'c'], 'the readable file was read');
  const secret = r.stats.sources[path.join(dir, 'secret.log')];
  t.equal(secret.errors, 1, 'one error episode for the unreadable file');
  t.equal(secret.open, false);
  t.equal(r.events.filter((e: string) => e.startsWith('tail.io_error')).length, 1, 'logged once');
  t.match(r.events.find((e: string) => e.startsWith('tail.io_error')), /"code":"EACCES"/);
});
