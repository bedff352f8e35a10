// A line written just after another must be read promptly too, not at the next poll (a file
// watcher that throttles a file's events, as chokidar did for 50 ms, would drop its event).
// Polling is made slow here (10 s), so only the event path can deliver the second line in time.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { Collector, startTailer, tempDir, waitFor } from './helpers.js';

t.test('a line written inside the event throttle window is read without waiting for a poll', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const c = new Collector();
  await startTailer(t, { patterns: [file], processor: c, pollIntervalMs: 10_000, rescanIntervalMs: 10_000 });
  for (let round = 0; round < 3; round++) {
    fs.appendFileSync(file, `first ${round}\n`);
    await waitFor(() => c.lines.includes(`first ${round}`), `first line of round ${round}`, 5000);
    // Soon after the event that delivered the first line.
    await new Promise((r) => setTimeout(r, 10));
    fs.appendFileSync(file, `second ${round}\n`);
    // Without the follow-up read this waits for the 10 s poll.
    await waitFor(() => c.lines.includes(`second ${round}`), `second line of round ${round}`, 3000);
  }
  t.equal(c.count, 6, 'every line exactly once');
});
