// Basic auth against bcrypt hashes: header parsing, verdicts, and the cache of
// successful checks (observed by taking the user out of the table: a
// remembered password still passes until the cache time runs out).
import t from 'tap';
import bcrypt from 'bcryptjs';
import { BasicAuth, parseBasic } from '../../../src/export/server/basicauth.js';

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
  for (const c of cases) t.equal(await auth.check(c.header), c.ok, c.name);
});

t.test('a success is remembered for cacheMs, and only for the same password', async (t) => {
  let now = 1_000_000;
  const users = new Map([['alice', bcrypt.hashSync('right', 4)]]);
  const auth = new BasicAuth(users, { cacheMs: 60_000, now: () => now });
  t.equal(await auth.check(basic('alice', 'right')), true, 'checked with bcrypt');
  users.delete('alice');
  t.equal(await auth.check(basic('alice', 'right')), true, 'remembered: passes without the table');
  t.equal(await auth.check(basic('alice', 'wrong')), false, 'another password is not remembered');
  now += 59_000;
  t.equal(await auth.check(basic('alice', 'right')), true, 'still remembered just before cacheMs');
  now += 2_000;
  t.equal(await auth.check(basic('alice', 'right')), false, 'forgotten after cacheMs: checked again, and alice is gone');
});

/** A user table that counts lookups: BasicAuth looks a user up once per bcrypt run. */
class CountingMap extends Map<string, string> {
  lookups = 0;
  override get(key: string): string | undefined {
    this.lookups++;
    return super.get(key);
  }
}

t.test('concurrent checks of the same credentials share one bcrypt run, and the queue is bounded', async (t) => {
  const users = new CountingMap([['alice', bcrypt.hashSync('right', 4)]]);
  const auth = new BasicAuth(users, { maxPending: 2 });
  const same = await Promise.all(Array.from({ length: 10 }, () => auth.check(basic('alice', 'right'))));
  t.same(same, Array(10).fill(true), 'ten parallel scrapes all pass');
  t.equal(users.lookups, 1, 'with one bcrypt run');
  const flood = await Promise.all(Array.from({ length: 6 }, (_, i) => auth.check(basic('alice', `guess${i}`))));
  t.same(flood, Array(6).fill(false), 'wrong guesses fail');
  t.equal(users.lookups, 3, 'only maxPending of them reached bcrypt; the rest were refused outright');
  t.equal(await auth.check(basic('alice', 'right')), true, 'the remembered password still passes');
  t.equal(users.lookups, 3, 'from the cache');
});
