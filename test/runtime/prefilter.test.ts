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

t.test('a gate answers once per line for every check sharing it, and they compare where it is', async (t) => {
  const gate = new LiteralPrefilter(']: ');
  const accepted = new LiteralPrefilter(']: Accepted ', gate);
  const failed = new LiteralPrefilter(']: Failed ', gate);
  const searches: string[] = [];
  const { includes, indexOf } = String.prototype;
  // (Only searches for these strings: tap itself searches too.)
  const watched = new Set([']: ', ']: Accepted ', ']: Failed ']);
  String.prototype.includes = function (this: string, s: string, from?: number) {
    if (watched.has(s)) searches.push(s);
    return includes.call(this, s, from);
  };
  String.prototype.indexOf = function (this: string, s: string, from?: number) {
    if (watched.has(s)) searches.push(s);
    return indexOf.call(this, s, from);
  };
  try {
    const access = '127.0.0.1 - - [22/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5';
    t.equal(accepted.test(access), false);
    t.equal(failed.test(access), false);
    t.same(searches, [']: '], 'a line without the gate string: one search for both checks');
    searches.length = 0;
    const login = 'sshd[7]: Accepted publickey for ann';
    t.equal(accepted.test(login), true);
    t.equal(failed.test(login), false, 'the gate passes, the check itself decides');
    t.same(searches, [']: ', ']: ', ']: Accepted '], 'the gate string once in the line: where (and that it is nowhere else), then only the check whose next character matches');
    searches.length = 0;
    const twice = 'sshd[7]: Failed x]: Accepted publickey for ann';
    t.equal(accepted.test(twice), true);
    t.equal(failed.test(twice), true);
    t.same(searches, [']: ', ']: ', ']: Accepted ', ']: Failed '], 'the gate string twice: each check searches the line');
  } finally {
    String.prototype.includes = includes;
    String.prototype.indexOf = indexOf;
  }
});

t.test('checks behind a gate answer as a search of the whole line would', async (t) => {
  let seed = 5;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 12) % n;
  };
  const groups: [gate: string, literals: string[]][] = [
    [']: ', [']: Accepted ', ']: Failed ', ']: message repeated ', ']: (', ']: ']],
    // The gate inside a literal or at its end; a literal holding it twice (it can then never
    // be in a line holding the gate once); one character more than the gate.
    ['of memory: Kill', ['Out of memory: Kill', 'Memory cgroup out of memory: Kill', 'of memory: Kill process']],
    ['ab', ['xab', 'abab', 'aby', 'ab']],
  ];
  for (const [gateText, literals] of groups) {
    const gate = new LiteralPrefilter(gateText);
    const checks = literals.map((l) => new LiteralPrefilter(l, gate));
    // Lines made of pieces of the literals, so the gate string is there 0 to 3 times, at
    // the start, the end, or inside, whole literals or their halves around it.
    const pieces = [...literals, ...literals.map((l) => l.slice(0, 1 + rnd(l.length))), ...literals.map((l) => l.slice(rnd(l.length))), 'x', ' ', 'sshd[1', 'Out of', 'a', 'b'];
    let same = 0, found = 0;
    for (let i = 0; i < 20_000; i++) {
      let line = '';
      for (let k = rnd(5); k >= 0; k--) line += pieces[rnd(pieces.length)];
      for (const [k, check] of checks.entries()) {
        const want = line.includes(literals[k]);
        if (check.test(line) !== want) {
          t.fail(`${gateText}: ${JSON.stringify(literals[k])} in ${JSON.stringify(line)}: got ${!want}`);
          break;
        }
        same++;
        if (want) found++;
      }
    }
    t.equal(same, 20_000 * literals.length, `gate ${JSON.stringify(gateText)}: every answer as includes() gives it (${found} found)`);
  }
});
