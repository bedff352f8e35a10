import t from 'tap';
import { LiteralPrefilter } from '../../src/runtime/prefilter.js';

const WITH = 'GET /x HTTP/1.1';
const WITHOUT = 'sshd[1]: Accepted';

/** How many of `n` lines without the literal the prefilter rejects. */
function rejectedOf(p: LiteralPrefilter, n: number): number {
  let rejected = 0;
  for (let i = 0; i < n; i++) if (!p.test(WITHOUT)) rejected++;
  return rejected;
}

t.test('a line without the literal is rejected, one with it passes', async (t) => {
  const p = new LiteralPrefilter('HTTP/');
  t.equal(p.test(WITH), true);
  t.equal(p.test(WITHOUT), false);
});

t.test('a check that rejects lines keeps checking', async (t) => {
  const p = new LiteralPrefilter('HTTP/');
  // One line in ten lacks the literal: well worth checking.
  for (let i = 0; i < 50_000; i++) p.test(i % 10 === 0 ? WITHOUT : WITH);
  t.equal(rejectedOf(p, 100), 100, 'still rejecting after 50,000 lines');
});

t.test('a check that never rejects stands aside, then looks again', async (t) => {
  const p = new LiteralPrefilter('HTTP/');
  for (let i = 0; i < 4096; i++) p.test(WITH);
  t.equal(rejectedOf(p, 1000), 0, 'after 4096 passes and no rejection, lines pass unchecked');
  // It rests for 65,536 lines in all (1000 already passed), then checks again.
  t.equal(rejectedOf(p, 64_536), 0, 'unchecked to the end of the rest');
  t.equal(rejectedOf(p, 10), 10, 'then checking again');
});
