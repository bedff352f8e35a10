// Basic auth against bcrypt hashes: header parsing, verdicts (bcrypt in a worker thread),
// the cache of successful checks (observed by counting bcrypt runs), the bounded queue,
// and the decoy hash that gives unknown users the configured cost.
import t from 'tap';
import bcrypt from 'bcryptjs';
import { BasicAuth, bcryptCost, decoyHash, parseBasic } from '../../../src/export/server/basicauth.js';

const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

t.test('parseBasic', async (t) => {
  const cases: { name: string; header: string | undefined; want: { user: string; password: string } | undefined }[] = [
    { name: 'plain', header: basic('alice', 'pw'), want: { user: 'alice', password: 'pw' } },
    { name: 'colon in the password', header: basic('alice', 'a:b:c'), want: { user: 'alice', password: 'a:b:c' } },
    { name: 'UTF-8', header: basic('zoë', 'пароль'), want: { user: 'zoë', password: 'пароль' } },
    { name: 'scheme in any case', header: 'bAsIc ' + Buffer.from('a:b').toString('base64'), want: { user: 'a', password: 'b' } },
    { name: 'empty password', header: basic('alice', ''), want: { user: 'alice', password: '' } },
    { name: 'no header', header: undefined, want: undefined },
    { name: 'bearer token', header: 'Bearer abc', want: undefined },
    { name: 'no colon', header: 'Basic ' + Buffer.from('alice').toString('base64'), want: undefined },
    { name: 'not base64', header: 'Basic !!!', want: undefined },
  ];
  for (const c of cases) t.same(parseBasic(c.header), c.want, c.name);
});

t.test('verdicts', async (t) => {
  const users = new Map([['alice', bcrypt.hashSync('right', 4)], ['bob', bcrypt.hashSync('other', 4).replace('$2b$', '$2y$')]]);
  const auth = new BasicAuth(users);
  t.teardown(() => auth.close());
  const cases: { name: string; header: string | undefined; ok: boolean }[] = [
    { name: 'right password', header: basic('alice', 'right'), ok: true },
    { name: 'right password again (cached)', header: basic('alice', 'right'), ok: true },
    { name: '$2y$ hash (htpasswd)', header: basic('bob', 'other'), ok: true },
    { name: 'wrong password', header: basic('alice', 'wrong'), ok: false },
    { name: 'wrong password after a cached success', header: basic('alice', 'righ'), ok: false },
    { name: "another user's password", header: basic('bob', 'right'), ok: false },
    { name: 'unknown user', header: basic('mallory', 'right'), ok: false },
    { name: 'missing header', header: undefined, ok: false },
    { name: 'empty password', header: basic('alice', ''), ok: false },
  ];
  for (const c of cases) t.equal(await auth.check(c.header), c.ok ? 'ok' : 'denied', c.name);
});

/** A bcrypt comparison that counts its runs and the hashes it was given. */
function counting(): { compare: (p: string, h: string) => Promise<boolean>; runs: number; hashes: string[] } {
  const c = {
    runs: 0,
    hashes: [] as string[],
    compare: async (password: string, hash: string) => {
      c.runs++;
      c.hashes.push(hash);
      await new Promise((r) => setTimeout(r, 5));
      return bcrypt.compareSync(password, hash);
    },
  };
  return c;
}

t.test('a success is remembered for cacheMs, for the same password and hash only', async (t) => {
  let now = 1_000_000;
  const users = new Map([['alice', bcrypt.hashSync('right', 4)]]);
  const c = counting();
  const auth = new BasicAuth(users, { cacheMs: 60_000, now: () => now, compare: c.compare });
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'checked with bcrypt');
  t.equal(c.runs, 1);
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'remembered');
  t.equal(c.runs, 1, 'without a bcrypt run');
  t.equal(await auth.check(basic('alice', 'wrong')), 'denied', 'another password is not remembered');
  t.equal(c.runs, 2);
  now += 59_000;
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'still remembered just before cacheMs');
  t.equal(c.runs, 2);
  now += 2_000;
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'forgotten after cacheMs: checked again');
  t.equal(c.runs, 3);
  users.set('alice', bcrypt.hashSync('new', 4));
  t.equal(await auth.check(basic('alice', 'right')), 'denied', 'a changed hash is not matched by what was remembered for the old one');
});

t.test('concurrent checks of the same credentials share one bcrypt run, and the queue is bounded', async (t) => {
  const users = new Map([['alice', bcrypt.hashSync('right', 4)]]);
  const c = counting();
  const auth = new BasicAuth(users, { maxPending: 2, compare: c.compare });
  const same = await Promise.all(Array.from({ length: 10 }, () => auth.check(basic('alice', 'right'))));
  t.same(same, Array(10).fill('ok'), 'ten parallel scrapes all pass');
  t.equal(c.runs, 1, 'with one bcrypt run');
  const flood = await Promise.all(Array.from({ length: 6 }, (_, i) => auth.check(basic('alice', `guess${i}`))));
  t.same(flood, ['denied', 'denied', 'busy', 'busy', 'busy', 'busy'], 'maxPending guesses are checked and fail; the rest are answered busy at once');
  t.equal(c.runs, 3, 'only maxPending of them reached bcrypt');
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'the remembered password still passes');
  t.equal(c.runs, 3, 'from the cache');
});

t.test('unknown users are checked against a decoy of the configured cost', async (t) => {
  const users = new Map([['alice', bcrypt.hashSync('right', 6)], ['bob', bcrypt.hashSync('x', 5)]]);
  const c = counting();
  const auth = new BasicAuth(users, { compare: c.compare });
  t.equal(await auth.check(basic('mallory', 'right')), 'denied');
  t.equal(c.hashes.length, 1, 'one bcrypt run, as for a known user');
  t.equal(bcryptCost(c.hashes[0]!), 6, 'at the highest configured cost');
  t.notOk(bcrypt.compareSync('right', c.hashes[0]!), 'a decoy no password matches');
  for (const cost of [4, 10, 14]) {
    const h = decoyHash(cost);
    t.match(h, /^\$2[ab]\$\d\d\$[./A-Za-z0-9]{53}$/, 'well-formed');
    t.equal(bcryptCost(h), cost, `cost ${cost}`);
  }
});

t.test('in a worker thread: the event loop keeps turning during a check, and close() ends a check at once', async (t) => {
  const users = new Map([['alice', bcrypt.hashSync('right', 4)]]);
  const auth = new BasicAuth(users);
  t.equal(await auth.check(basic('alice', 'right')), 'ok', 'the worker answers');
  // A cost-14 decoy takes a second or more; timers must keep firing meanwhile.
  const slow = new BasicAuth(new Map([['bob', decoyHash(14)]]));
  const verdict = slow.check(basic('bob', 'guess'));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(timer);
  t.ok(ticks >= 10, `${ticks} timer ticks while bcrypt ran`);
  const t0 = Date.now();
  await slow.close();
  t.equal(await verdict, 'denied', 'the check in progress answers denied');
  t.ok(Date.now() - t0 < 2_000, 'close() did not wait for the check to finish');
  await auth.close();
});
