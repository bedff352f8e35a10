import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Collector, LineWriter, sorted, sourceStats, startTailer, tempDir, waitFor } from './helpers.js';

// Every scenario asserts that each line written after start-up arrives exactly once: the
// collected lines, sorted, equal the written ones, sorted (a loss or a duplicate shows).

for (const useFsEvents of [true, false]) {
  const mode = useFsEvents ? 'events' : 'polling only';

  t.test(`${mode}: rename-and-create, with writes to the old file after the switch`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, '');
    const c = new Collector();
    const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents });
    const w = new LineWriter(file, 'w');
    w.write(50);
    await waitFor(() => c.count >= 50, 'first 50 lines');
    fs.renameSync(file, `${file}.1`);
    w.write(10); // renamed, not yet replaced
    fs.writeFileSync(file, ''); // logrotate's `create`
    await waitFor(() => sourceStats(tailer, file).rotations === 1, 'the rotation to be seen');
    w.write(10); // the writer has not reopened yet: these land in app.log.1
    w.reopen();
    w.write(50);
    await waitFor(() => c.count >= 120, '120 lines');
    await tailer.stop();
    w.close();
    t.same(sorted(c.lines), sorted(w.written), 'every line exactly once');
    t.equal(sourceStats(tailer, file).rotations, 1, 'one rotation');
    t.same(c.files(), [file], 'lines carry the followed path');
  });

  t.test(`${mode}: copytruncate`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, '');
    const c = new Collector();
    const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents });
    const w = new LineWriter(file, 'w'); // O_APPEND, as copytruncate requires of writers
    w.write(30);
    await waitFor(() => c.count >= 30, 'first 30 lines');
    fs.copyFileSync(file, `${file}.1`);
    fs.truncateSync(file, 0);
    await waitFor(() => sourceStats(tailer, file).truncations === 1, 'the truncation to be seen');
    w.write(20);
    await waitFor(() => c.count >= 50, '50 lines');
    await tailer.stop();
    w.close();
    t.same(sorted(c.lines), sorted(w.written));
    t.equal(sourceStats(tailer, file).rotations, 0, 'same file: not a rotation');
  });
}

t.test('copytruncate where the file regrows past the old offset before the next poll', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents: false, pollIntervalMs: 300 });
  const w = new LineWriter(file, 'short');
  w.write(5);
  await waitFor(() => c.count >= 5, 'first 5 lines');
  const before = sourceStats(tailer, file).bytes;
  // Truncate and write more than was there, all within one tick: size alone cannot tell.
  fs.truncateSync(file, 0);
  const w2 = new LineWriter(file, 'after-truncation-longer');
  w2.write(20);
  t.ok(fs.statSync(file).size > before, 'the file is larger than the old offset');
  await waitFor(() => c.count >= 25, '25 lines');
  await tailer.stop();
  w.close();
  w2.close();
  t.same(sorted(c.lines), sorted([...w.written, ...w2.written]));
  t.equal(sourceStats(tailer, file).truncations, 1);
});

t.test('delete and recreate, with writes to the deleted file', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c });
  const w = new LineWriter(file, 'w');
  w.write(30);
  await waitFor(() => c.count >= 30, 'first 30 lines');
  fs.unlinkSync(file);
  w.write(10); // into the deleted file
  await waitFor(() => c.count >= 40, 'lines of the deleted file');
  w.write(5);
  w.reopen(); // creates the file again
  w.write(30);
  await waitFor(() => c.count >= 75, '75 lines');
  await tailer.stop();
  w.close();
  t.same(sorted(c.lines), sorted(w.written));
  t.equal(sourceStats(tailer, file).rotations, 1);
});

t.test('a symlink switched to a new file', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'data'));
  const a = path.join(dir, 'data', 'a.log');
  const b = path.join(dir, 'data', 'b.log');
  const link = path.join(dir, 'current.log');
  fs.writeFileSync(a, '');
  fs.symlinkSync(a, link);
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [link], processor: c });
  const wa = new LineWriter(a, 'a');
  wa.write(20);
  await waitFor(() => c.count >= 20, 'first 20 lines');
  const wb = new LineWriter(b, 'b');
  wb.write(5); // written before the switch: b.log is new to us, so read from its start
  fs.symlinkSync(b, `${link}.tmp`);
  fs.renameSync(`${link}.tmp`, link); // atomic switch, as `ln -sfn` does it
  await waitFor(() => sourceStats(tailer, link).rotations === 1, 'the switch to be seen');
  wa.write(10); // the writer still has a.log open
  wb.write(20);
  await waitFor(() => c.count >= 55, '55 lines');
  await tailer.stop();
  wa.close();
  wb.close();
  t.same(sorted(c.lines), sorted([...wa.written, ...wb.written]));
  t.same(c.files(), [link], 'lines carry the symlink path');
});

t.test('rotation when the glob also matches the rotated name: no line twice', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [path.join(dir, 'app.log*')], processor: c });
  const w = new LineWriter(file, 'w');
  w.write(20);
  await waitFor(() => c.count >= 20, 'first 20 lines');
  fs.renameSync(file, `${file}.1`);
  w.write(10);
  fs.writeFileSync(file, '');
  await waitFor(() => tailer.stats().sources[`${file}.1`] !== undefined, 'app.log.1 to be followed');
  w.write(10);
  w.reopen();
  w.write(20);
  await waitFor(() => c.count >= 60, '60 lines');
  await tailer.stop();
  w.close();
  t.same(sorted(c.lines), sorted(w.written));
});

t.test('a writer that keeps writing through several rotations', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'busy.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, pollIntervalMs: 25 });
  const w = new LineWriter(file, 'busy');
  const styles = ['rename', 'copytruncate', 'delete', 'rename', 'copytruncate', 'delete'] as const;
  // A file that is created and rotated away again between two looks at the path is never
  // seen (by any poller, mtail included), so each rotation waits until the new file was opened:
  // real rotations are minutes apart, not milliseconds.
  const rotations = (): number => sourceStats(tailer, file).rotations;
  for (const [i, style] of styles.entries()) {
    for (let k = 0; k < 10; k++) {
      w.write(50);
      await new Promise((r) => setImmediate(r));
    }
    const seen = rotations();
    if (style === 'rename') {
      fs.renameSync(file, `${file}.${i}`);
      w.write(25);
      fs.writeFileSync(file, '');
      w.write(25);
      w.reopen();
      await waitFor(() => rotations() > seen, `rotation ${i} to be seen`);
    } else if (style === 'copytruncate') {
      // Lines written between the tailer's last read and the truncation are lost by
      // copytruncate itself (they exist only in the copy), so let the tailer catch up first.
      const n = w.written.length;
      await waitFor(() => c.count >= n, 'catching up before copytruncate');
      fs.copyFileSync(file, `${file}.${i}`);
      fs.truncateSync(file, 0);
    } else {
      fs.unlinkSync(file);
      w.write(25);
      w.reopen();
      await waitFor(() => rotations() > seen, `rotation ${i} to be seen`);
    }
  }
  w.write(100);
  const total = w.written.length;
  await waitFor(() => c.count >= total, `${total} lines`, 15000);
  await tailer.stop();
  w.close();
  t.equal(c.count, total, 'count');
  t.same(sorted(c.lines), sorted(w.written), 'every line exactly once');
  t.equal(sourceStats(tailer, file).rotations, 4, 'rename and delete rotations');
  t.equal(sourceStats(tailer, file).truncations, 2, 'copytruncates');
});
