// A file cut back to a smaller, non-zero size: when the bytes that remain are the ones we
// read, they were handed out already and reading goes on from the cut (no line doubled);
// when the file now holds other bytes, it is read again from its start (no line lost).
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Collector, LineWriter, sorted, sourceStats, startTailer, tempDir, waitFor } from './helpers.js';

for (const useFsEvents of [true, false]) {
  const mode = useFsEvents ? 'events' : 'polling only';

  t.test(`${mode}: truncate -s to a line boundary, then appends: each line once`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, '');
    const c = new Collector();
    const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents });
    const w = new LineWriter(file, 'before');
    const first = w.write(40);
    const cut = fs.statSync(file).size;
    w.write(60);
    await waitFor(() => c.count >= 100, 'the first 100 lines');
    fs.truncateSync(file, cut); // keeps the first 40 lines, which were read
    await waitFor(() => sourceStats(tailer, file).truncations === 1, 'the cut to be seen');
    const after = new LineWriter(file, 'after');
    after.write(20);
    await waitFor(() => c.count >= 120, '120 lines');
    await tailer.stop();
    w.close();
    after.close();
    t.same(sorted(c.lines), sorted([...w.written, ...after.written]), 'no line doubled, none lost');
    t.equal(c.lines.filter((l) => l === first[0]).length, 1, 'the surviving start is not read again');
  });
}

t.test('a cut inside the unfinished line keeps what is left of it', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents: false });
  fs.appendFileSync(file, 'whole line\npartial');
  await waitFor(() => sourceStats(tailer, file).bytes === 18, 'the unfinished line to be read');
  fs.truncateSync(file, 'whole line\npar'.length);
  await waitFor(() => sourceStats(tailer, file).truncations === 1, 'the cut to be seen');
  fs.appendFileSync(file, 'tial-2\nnext\n');
  await waitFor(() => c.count >= 3, 'three lines');
  await tailer.stop();
  t.same(c.lines, ['whole line', 'partial-2', 'next']);
});

t.test('rewritten smaller with other bytes: read again from the start', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents: false });
  const w = new LineWriter(file, 'old');
  w.write(50);
  await waitFor(() => c.count >= 50, 'the first 50 lines');
  // Same inode, fewer bytes, other content (the cut is not a prefix of what we read).
  const fd = fs.openSync(file, 'r+');
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, 'new-1\nnew-2\n', 0);
  fs.closeSync(fd);
  await waitFor(() => c.count >= 52, 'the new lines');
  await tailer.stop();
  w.close();
  t.same(sorted(c.lines), sorted([...w.written, 'new-1', 'new-2']), 'old lines once, new lines once');
  t.equal(sourceStats(tailer, file).truncations, 1);
});
