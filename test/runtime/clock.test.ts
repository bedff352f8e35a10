import t from 'tap';
import { BatchClock } from '../../src/runtime/clock.js';

t.test('one clock reading per synchronous batch of lines', async (t) => {
  const realNow = Date.now;
  let readings = 0;
  Date.now = () => 1_000 * ++readings;
  try {
    const clock = new BatchClock();
    const batch = () => [clock.now(), clock.now(), clock.now()];
    t.same(batch(), [1000, 1000, 1000], 'the lines of one batch share the first reading');
    await Promise.resolve();
    t.same(batch(), [2000, 2000, 2000], 'the next batch reads the clock again');
    await new Promise((resolve) => setImmediate(resolve));
    t.equal(clock.now(), 3000, 'and so does one after a turn of the event loop');
    t.equal(readings, 3, 'three batches, three readings');
  } finally {
    Date.now = realNow;
  }
});
