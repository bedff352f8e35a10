// 500 followed files and 250 that appear later: every one is followed, through file-system
// events and through polling alone. (Idle CPU and pickup time are measured by bench scenario 10,
// not here: a timed test on a shared machine would fail for the wrong reasons.)
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { Collector, startTailer, tempDir, waitFor } from './helpers.js';

const FILES = 500;
const ADDED = 250;
const GENEROUS_MS = 60_000;

for (const [name, useFsEvents] of [
  ['with file-system events', true],
  ['polling only (a file system without events)', false],
] as const) {
  t.test(`${FILES} files followed, ${ADDED} new ones picked up: ${name}`, async (t) => {
    const dir = tempDir(t);
    const file = (i: number) => path.join(dir, `app-${String(i).padStart(4, '0')}.log`);
    for (let i = 0; i < FILES; i++) fs.writeFileSync(file(i), 'before start\n');
    const c = new Collector();
    // Default poll interval: the events, not a fast test poll, must carry the event case.
    await startTailer(t, { patterns: [path.join(dir, '*.log')], processor: c, useFsEvents, pollIntervalMs: 250 });
    for (let i = 0; i < FILES; i++) fs.appendFileSync(file(i), `line of ${i}\n`);
    await waitFor(() => c.count >= FILES, `a line from each of ${FILES} files`, GENEROUS_MS);
    t.equal(c.files().length, FILES, `${FILES} distinct files followed`);
    t.notOk(c.lines.includes('before start'), 'files found at start-up are read from their end');

    for (let i = FILES; i < FILES + ADDED; i++) fs.writeFileSync(file(i), `line of ${i}\n`);
    await waitFor(() => c.count >= FILES + ADDED, `a line from each of ${ADDED} new files`, GENEROUS_MS);
    await new Promise((r) => setTimeout(r, 300)); // a line read twice would show by now
    t.equal(c.count, FILES + ADDED, 'each line once');
    t.equal(c.files().length, FILES + ADDED, `${ADDED} new files picked up, from their start`);
    t.same(
      c.got.filter((g) => g.line !== `line of ${Number(/app-(\d+)/.exec(g.file)![1])}`),
      [],
      'every line carries its own file name',
    );
  });
}
