import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Collector, LineWriter, sourceStats, startTailer, tempDir, waitFor } from './helpers.js';

for (const useFsEvents of [true, false]) {
  const mode = useFsEvents ? 'events' : 'polling only';

  t.test(`${mode}: existing content is skipped, appended lines are read once, in order`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'old 1\nold 2\n');
    const c = new Collector();
    const tailer = await startTailer(t, { patterns: [file], processor: c, useFsEvents });
    const w = new LineWriter(file, 'new');
    const want = w.write(200);
    await waitFor(() => c.count >= 200, '200 lines');
    await tailer.stop();
    w.close();
    t.same(c.lines, want, 'exactly the appended lines');
    t.same(c.files(), [file], 'filename is the absolute path');
    t.equal(sourceStats(tailer, file).lines, 200, 'lines counted');
  });
}

t.test('fromStart reads existing content', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, 'old 1\nold 2\n');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, fromStart: true });
  fs.appendFileSync(file, 'new 1\n');
  await waitFor(() => c.count >= 3, '3 lines');
  await tailer.stop();
  t.same(c.lines, ['old 1', 'old 2', 'new 1']);
});

t.test('a relative pattern is resolved, and lines carry the absolute path', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'rel.log'), '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: ['rel.log'], cwd: dir, processor: c });
  fs.appendFileSync(path.join(dir, 'rel.log'), 'a\n');
  await waitFor(() => c.count >= 1, '1 line');
  await tailer.stop();
  t.same(c.got, [{ line: 'a', file: path.join(dir, 'rel.log') }]);
});

t.test('a line being written at start-up is read whole', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, 'complete\nhalf of a ');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c });
  fs.appendFileSync(file, 'line\n');
  await waitFor(() => c.count >= 1, '1 line');
  await tailer.stop();
  t.same(c.lines, ['half of a line']);
});

t.test('a partial last line waits for its newline', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c });
  fs.appendFileSync(file, 'one\npar');
  await waitFor(() => sourceStats(tailer, file).bytes === 7, 'the partial bytes to be read');
  t.same(c.lines, ['one'], 'partial line not handed out');
  fs.appendFileSync(file, 'tial\n');
  await waitFor(() => c.count >= 2, '2 lines');
  await tailer.stop();
  t.same(c.lines, ['one', 'partial']);
});

t.test('CRLF endings, a CR inside a line, empty lines', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'win.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c });
  fs.appendFileSync(file, 'a\r\nb\rc\r\n\r\n\nd\n');
  await waitFor(() => c.count >= 5, '5 lines');
  await tailer.stop();
  t.same(c.lines, ['a', 'b\rc', '', '', 'd']);
});

t.test('a long line is cut, counted, and reading goes on', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'long.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, maxLineBytes: 100 });
  const long = 'L'.repeat(300_000);
  fs.appendFileSync(file, `before\n${long}\nafter\n`);
  await waitFor(() => c.count >= 3, '3 lines');
  await tailer.stop();
  t.same(c.lines, ['before', 'L'.repeat(100), 'after']);
  t.equal(sourceStats(tailer, file).longLinesCut, 1);
});

t.test('a glob picks up a new file from its start and releases a deleted one', async (t) => {
  const dir = tempDir(t);
  const a = path.join(dir, 'a.log');
  fs.writeFileSync(a, 'old\n');
  const c = new Collector();
  const tailer = await startTailer(t, {
    patterns: [path.join(dir, '*.log')],
    processor: c,
    ignoreFilenameRegex: /^skip/,
  });
  const b = path.join(dir, 'b.log');
  fs.writeFileSync(b, 'b1\nb2\nb3\n');
  fs.writeFileSync(path.join(dir, 'c.txt'), 'not matched\n');
  fs.writeFileSync(path.join(dir, 'skip.log'), 'ignored\n');
  fs.appendFileSync(a, 'a1\n');
  await waitFor(() => c.count >= 4, '4 lines');
  t.same(
    c.got.filter((g) => g.file === b).map((g) => g.line),
    ['b1', 'b2', 'b3'],
    'new file read from its start',
  );
  t.same(c.got.filter((g) => g.file === a).map((g) => g.line), ['a1'], 'existing file read from its end');
  fs.unlinkSync(b);
  await waitFor(() => tailer.stats().sources[b] === undefined, 'b.log to be released');
  await tailer.stop();
  t.equal(c.count, 4, 'nothing else was read (c.txt, skip.log)');
});

t.test('a file in a directory created later is picked up', async (t) => {
  const dir = tempDir(t);
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [path.join(dir, '**', '*.log')], processor: c });
  fs.mkdirSync(path.join(dir, 'x', 'y'), { recursive: true });
  const file = path.join(dir, 'x', 'y', 'deep.log');
  fs.writeFileSync(file, 'deep 1\n');
  await waitFor(() => c.count >= 1, '1 line');
  fs.appendFileSync(file, 'deep 2\n');
  await waitFor(() => c.count >= 2, '2 lines');
  await tailer.stop();
  t.same(c.got, [
    { line: 'deep 1', file },
    { line: 'deep 2', file },
  ]);
});

t.test('file-system events alone deliver lines and new files promptly', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  // Polling so slow that only events can explain lines arriving within the deadline.
  const tailer = await startTailer(t, {
    patterns: [path.join(dir, '*.log')],
    processor: c,
    pollIntervalMs: 60_000,
    rescanIntervalMs: 60_000,
  });
  fs.appendFileSync(file, 'appended\n');
  await waitFor(() => c.count >= 1, 'the appended line, via a change event', 3000);
  const b = path.join(dir, 'b.log');
  fs.writeFileSync(b, 'created\n');
  await waitFor(() => c.count >= 2, 'the new file, via an add event', 3000);
  await tailer.stop();
  t.same(c.got, [
    { line: 'appended', file },
    { line: 'created', file: b },
  ]);
});
