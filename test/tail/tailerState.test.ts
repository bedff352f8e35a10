import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Tailer } from '../../src/tail/index.js';
import { Collector, LineWriter, sorted, startTailer, tempDir, waitFor } from './helpers.js';

/** Writes a few lines every few milliseconds until stopped, like a busy service. */
class BackgroundWriter {
  readonly w: LineWriter;
  private timer: NodeJS.Timeout;

  constructor(file: string) {
    this.w = new LineWriter(file, 'bg');
    this.timer = setInterval(() => this.w.write(5), 2);
  }

  get count(): number {
    return this.w.written.length;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const stateFile = (dir: string) => path.join(dir, 'tail-positions.json');

t.test('restart with stateDir while a writer keeps writing: every line once', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const first = new Collector();
  const a = await startTailer(t, { patterns: [file], processor: first, stateDir: state });
  const bg = new BackgroundWriter(file);
  await waitFor(() => first.count >= 300, 'the first tailer to read 300 lines');
  await a.stop();
  const atStop = bg.count;
  await waitFor(() => bg.count >= atStop + 300, 'more lines while no tailer runs');
  const second = new Collector();
  const b = await startTailer(t, { patterns: [file], processor: second, stateDir: state });
  await waitFor(() => bg.count >= atStop + 600, 'more lines with the second tailer');
  bg.stop();
  bg.w.close();
  await waitFor(() => first.count + second.count >= bg.count, 'the second tailer to catch up');
  await b.stop();
  t.ok(second.count > 0 && first.count > 0, 'both runs read lines');
  t.same(sorted([...first.lines, ...second.lines]), sorted(bg.w.written), 'no line lost, none twice');
  t.same(
    fs.readdirSync(state).filter((n) => n.includes('.tmp')),
    [],
    'no temporary state file left behind',
  );
});

t.test('a file rotated while stopped is read to its end, then the new file from its start', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const first = new Collector();
  const a = await startTailer(t, { patterns: [file], processor: first, stateDir: state });
  const w = new LineWriter(file, 'w');
  w.write(50);
  await waitFor(() => first.count >= 50, '50 lines');
  await a.stop();
  w.write(20); // after the stop, before the rotation
  fs.renameSync(file, `${file}.1`); // not matched by the pattern
  w.write(20); // before the writer reopens
  w.reopen();
  w.write(30);
  const second = new Collector();
  const b = await startTailer(t, { patterns: [file], processor: second, stateDir: state });
  await waitFor(() => second.count >= 70, '70 lines after restart');
  await b.stop();
  w.close();
  t.same(sorted([...first.lines, ...second.lines]), sorted(w.written));
  t.same(second.files(), [file], 'lines of the rotated file carry the followed path');
});

t.test('a file moved to a rotated directory while stopped (olddir) is found there by inode', async (t) => {
  for (const [name, rotatedDir, found] of [
    ['relative to the log directory, as logrotate', 'old', true],
    ['absolute', 'ABS', true],
    ['not named: its lines after the stop are lost (the case the option is for)', undefined, false],
  ] as const) {
    await t.test(name, async (t) => {
      const dir = tempDir(t);
      const state = path.join(dir, 'state');
      const file = path.join(dir, 'app.log');
      const old = path.join(dir, 'old');
      fs.mkdirSync(old);
      fs.writeFileSync(file, '');
      const rotatedDirs = rotatedDir === undefined ? undefined : [rotatedDir === 'ABS' ? old : rotatedDir];
      const first = new Collector();
      const a = await startTailer(t, { patterns: [file], processor: first, stateDir: state, rotatedDirs });
      const w = new LineWriter(file, 'w');
      w.write(50);
      await waitFor(() => first.count >= 50, '50 lines');
      await a.stop();
      const lost = w.write(20); // after the stop, before the move
      fs.renameSync(file, path.join(old, 'app.log.1'));
      lost.push(...w.write(5)); // before the writer reopens
      w.reopen();
      w.write(30);
      const second = new Collector();
      const b = await startTailer(t, { patterns: [file], processor: second, stateDir: state, rotatedDirs });
      await waitFor(() => second.count >= (found ? 55 : 30), 'lines after restart');
      await new Promise((r) => setTimeout(r, 200)); // anything read twice would show up by now
      await b.stop();
      w.close();
      const expected = found ? w.written : w.written.filter((l) => !lost.includes(l));
      t.same(sorted([...first.lines, ...second.lines]), sorted(expected), found ? 'every line once' : 'the new file only');
      t.same(second.files(), [file], 'lines of the moved file carry the followed path');
    });
  }
});

t.test('an unfinished line at stop is read whole after restart', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const first = new Collector();
  const a = await startTailer(t, { patterns: [file], processor: first, stateDir: state });
  fs.appendFileSync(file, 'one\nhalf ');
  await waitFor(() => first.count >= 1, '1 line');
  await a.stop();
  const saved = JSON.parse(fs.readFileSync(stateFile(state), 'utf8'));
  t.equal(saved.files[0].offset, 4, 'the saved offset is the start of the unfinished line');
  fs.appendFileSync(file, 'a line\n');
  const second = new Collector();
  const b = await startTailer(t, { patterns: [file], processor: second, stateDir: state });
  await waitFor(() => second.count >= 1, '1 line after restart');
  await b.stop();
  t.same(first.lines, ['one']);
  t.same(second.lines, ['half a line']);
});

t.test('start-up choices with a state file', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const same = path.join(dir, 'same.log');
  const replaced = path.join(dir, 'replaced.log');
  const truncated = path.join(dir, 'truncated.log');
  for (const f of [same, replaced, truncated]) fs.writeFileSync(f, 'seen 1\nseen 2\n');
  const a = new Tailer({ patterns: [path.join(dir, '*.log')], processor: { processLine: () => {} }, stateDir: state, fromStart: true });
  await a.start();
  await a.stop();

  fs.appendFileSync(same, 'new\n');
  fs.unlinkSync(replaced); // a different file at the same path: all of it is new
  fs.writeFileSync(replaced, 'fresh 1\nfresh 2\n');
  fs.writeFileSync(truncated, 'rewritten longer than before\n'); // same inode, other bytes
  const unrelated = path.join(dir, 'unrelated.log');
  fs.writeFileSync(unrelated, 'old history\n'); // never seen: start-up rule (its end)

  const c = new Collector();
  const b = await startTailer(t, { patterns: [path.join(dir, '*.log')], processor: c, stateDir: state });
  fs.appendFileSync(unrelated, 'unrelated new\n');
  await waitFor(() => c.count >= 5, '5 lines');
  await b.stop();
  const by = (f: string) => c.got.filter((g) => g.file === f).map((g) => g.line);
  t.same(by(same), ['new'], 'same file: resumed where it stopped');
  t.same(by(replaced), ['fresh 1', 'fresh 2'], 'replaced file: from its start');
  t.same(by(truncated), ['rewritten longer than before'], 'rewritten file: from its start');
  t.same(by(unrelated), ['unrelated new'], 'file without saved position: from its end');
});

t.test('positions are saved periodically, not only at stop', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  const tailer = await startTailer(t, { patterns: [file], processor: c, stateDir: state, stateSaveIntervalMs: 50 });
  fs.appendFileSync(file, 'a\nb\n');
  await waitFor(() => c.count >= 2, '2 lines');
  const offset = () => {
    try {
      return JSON.parse(fs.readFileSync(stateFile(state), 'utf8')).files[0]?.offset;
    } catch {
      return undefined;
    }
  };
  await waitFor(() => offset() === 4, 'the state file to hold offset 4');
  await tailer.stop();
  t.equal(offset(), 4);
});

t.test('a damaged state file is reported and ignored', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  fs.mkdirSync(state);
  fs.writeFileSync(stateFile(state), '{ not json');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, 'old\n');
  const c = new Collector();
  const events: string[] = [];
  const tailer = await startTailer(t, {
    patterns: [file],
    processor: c,
    stateDir: state,
    logger: { log: (_l, e) => events.push(e) },
  });
  fs.appendFileSync(file, 'new\n');
  await waitFor(() => c.count >= 1, '1 line');
  await tailer.stop();
  t.same(c.lines, ['new']);
  t.ok(events.includes('tail.state_load_failed'), 'logged');
  t.equal(tailer.stats().errors, 1, 'counted');
  t.equal(JSON.parse(fs.readFileSync(stateFile(state), 'utf8')).version, 1, 'rewritten at stop');
});

t.test('stop() does not wait for a large backlog; the next run reads the rest once', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'backlog.log');
  const want = Array.from({ length: 6000 }, (_, i) => `${String(i).padStart(5, '0')} ${'p'.repeat(1000)}`);
  fs.writeFileSync(file, want.join('\n') + '\n');
  const slowSink = (c: Collector) => ({
    processLine(line: string, f: string) {
      const until = performance.now() + 0.5; // 0.5 ms a line: 3 s for the whole file
      while (performance.now() < until);
      c.processLine(line, f);
    },
  });
  const first = new Collector();
  const a = await startTailer(t, { patterns: [file], processor: slowSink(first), stateDir: state, fromStart: true });
  await waitFor(() => first.count > 0, 'reading to start');
  const t0 = Date.now();
  await a.stop();
  const took = Date.now() - t0;
  t.ok(took < 2800, `stop() returned after ${took} ms`);
  t.ok(first.count < want.length, `the first run stopped early (${first.count} lines)`);
  const second = new Collector();
  const b = await startTailer(t, { patterns: [file], processor: second, stateDir: state });
  await waitFor(() => first.count + second.count >= want.length, 'the rest');
  await b.stop();
  t.same([...first.lines, ...second.lines], want, 'every line once, in order');
});

t.test('positions are saved within about a second (a kill -9 reads little again), and not rewritten while idle', async (t) => {
  const dir = tempDir(t);
  const state = path.join(dir, 'state');
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  // The default save period, as the daemon uses it.
  await startTailer(t, { patterns: [file], processor: c, stateDir: state });
  const w = new LineWriter(file, 'line');
  w.write(200);
  await waitFor(() => c.count >= 200, '200 lines');
  const size = fs.statSync(file).size;
  const savedOffset = (): number => {
    try {
      const s = JSON.parse(fs.readFileSync(stateFile(state), 'utf8')) as { files: { path: string; offset: number }[] };
      return s.files.find((f) => f.path === file)?.offset ?? -1;
    } catch {
      return -1;
    }
  };
  // What a kill -9 now would leave: the saved offset. It catches up within the save period (1 s),
  // well before the 5 s of the old period.
  await waitFor(() => savedOffset() === size, 'the saved offset to reach the end', 2500);
  const mtime = fs.statSync(stateFile(state)).mtimeMs;
  await new Promise((r) => setTimeout(r, 2200));
  t.equal(fs.statSync(stateFile(state)).mtimeMs, mtime, 'idle: the state file is not rewritten');
  w.close();
});
