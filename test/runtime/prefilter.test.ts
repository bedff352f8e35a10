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

t.test('a gate answers once per line for every check sharing it', async (t) => {
  const gate = new LiteralPrefilter(']: ');
  let scans = 0;
  const includes = String.prototype.includes;
  String.prototype.includes = function (this: string, s: string, from?: number) {
    if (s === ']: ') scans++;
    return includes.call(this, s, from);
  };
  try {
    const accepted = new LiteralPrefilter(']: Accepted ', gate);
    const failed = new LiteralPrefilter(']: Failed ', gate);
    const access = '127.0.0.1 - - [22/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5';
    t.equal(accepted.test(access), false);
    t.equal(failed.test(access), false);
    t.equal(scans, 1, 'a line without the gate string: one scan for both checks');
    const login = 'sshd[7]: Accepted publickey for ann';
    t.equal(accepted.test(login), true);
    t.equal(failed.test(login), false, 'the gate passes, the check itself decides');
    t.equal(scans, 2, 'one more scan for the next line');
  } finally {
    String.prototype.includes = includes;
  }
});
