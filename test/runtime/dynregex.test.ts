// The cache of regexes built from strings when a line runs (`$a =~ $b`): the same
// front end as literals, bounded in entries and in re2 objects, and a hostile flood
// of distinct strings that stays bounded in memory.
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import t from 'tap';
import { compileMatcher, LONG_SUBJECT } from '../../src/regex/index.js';
import { DYNAMIC_REGEX_CACHE_SIZE, DYNAMIC_REGEX_RE2_SIZE, DynamicRegexCache } from '../../src/runtime/dynregex.js';
import { ProgramRuntimeError, Runtime } from '../../src/runtime/rt.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';

t.test('a string is matched as RE2, as the same pattern written as a literal', async (t) => {
  const cache = new DynamicRegexCache(1024);
  const long = 'x'.repeat(LONG_SUBJECT + 10) + 'abc';
  const cases: { name: string; source: string; subject: string; want: boolean }[] = [
    { name: 'plain substring, unanchored', source: 'oo', subject: 'foobar', want: true },
    { name: 'anchored', source: '^bar', subject: 'foobar', want: false },
    { name: 'RE2 class', source: '^\\d+$', subject: '12345', want: true },
    { name: 'Perl class in a set', source: '^[\\w.]+$', subject: 'a.b_c', want: true },
    { name: 'named group (no captures kept)', source: '(?P<x>a)b', subject: 'zab', want: true },
    { name: '\\z end of text', source: 'c\\z', subject: 'abc', want: true },
    { name: '(?i) flag', source: '(?i)ABC', subject: 'xabcx', want: true },
    { name: '(?s) dot matches newline', source: '(?s)a.b', subject: 'a\nb', want: true },
    { name: 'no (?s): dot does not match newline', source: 'a.b', subject: 'a\nb', want: false },
    { name: "(?m) anchors run on re2 (V8's differ on \\r)", source: '(?m)^b$', subject: 'a\nb', want: true },
    { name: 'empty pattern matches everything', source: '', subject: 'anything', want: true },
    { name: 'a subject longer than LONG_SUBJECT goes to the re2 twin', source: 'x+abc$', subject: long, want: true },
    { name: 'long subject without a match', source: 'x+abd$', subject: long, want: false },
  ];
  for (const c of cases) {
    t.equal(cache.test(c.subject, c.source), c.want, c.name);
    t.equal(compileMatcher(c.source).matcher.test(c.subject), c.want, `${c.name}: same as a literal`);
  }
});

t.test('a string that is not RE2 (or too long) is refused with the reason, and the refusal is cached', async (t) => {
  const cache = new DynamicRegexCache(16);
  const cases: { name: string; source: string; want: RegExp }[] = [
    { name: 'unbalanced parenthesis', source: 'a(', want: /missing \)/ },
    { name: 'unbalanced bracket', source: '[', want: /missing \]/ },
    { name: 'lookahead is not RE2', source: 'a(?=b)', want: /invalid perl operator: \(\?=/ },
    { name: 'backreference is not RE2', source: '(a)\\1', want: /invalid escape/ },
    { name: 'JavaScript \\u escape is not RE2', source: '\\u0041', want: /invalid escape/ },
    { name: 'repetition over 1000', source: 'a{1001}', want: /invalid repetition size/ },
    { name: 'longer than the limit (bytes of UTF-8)', source: 'é'.repeat(9), want: /18 bytes long, more than the maximum of 16/ },
  ];
  for (const c of cases) {
    const r = cache.test('subject', c.source);
    t.type(r, 'string', `${c.name}: refused`);
    t.match(r, c.want, `${c.name}: says why`);
  }
  t.equal(cache.count, cases.length, 'each refusal is an entry: a repeated bad string is not compiled again');
  t.equal(cache.test('x', 'a('), cache.test('y', 'a('), 'the same reason again');
});

t.test('least recently used strings are evicted first', async (t) => {
  const cache = new DynamicRegexCache(1024, 3, 2);
  cache.test('a', 'a');
  cache.test('b', 'b');
  cache.test('c', 'c');
  cache.test('a', 'a'); // a is now the most recent
  cache.test('d', 'd'); // evicts b
  t.equal(cache.count, 3, 'bounded at 3');
  const kept = (cache as unknown as { entries: Map<string, unknown> }).entries;
  t.same([...kept.keys()], ['c', 'a', 'd'], 'b, the least recently used, went first');
  const long = 'q'.repeat(LONG_SUBJECT + 1);
  cache.test(long, 'c');
  cache.test(long, 'a');
  cache.test(long, 'd');
  t.equal(cache.re2Count, 2, 'at most 2 entries keep an re2 twin');
  t.same([...kept.keys()], ['a', 'd'], 'the oldest entry with a twin was evicted to make room');
});

t.test('Runtime.dmatch: a refused string is a ProgramRuntimeError at its site', async (t) => {
  const rt = new Runtime(new Strptime(UTC_ZONE, () => 0), 8);
  t.equal(rt.dmatch('foobar', '^foo', 3), true, 'matches');
  t.equal(rt.dmatch('foobar', '^bar', 3), false, 'does not match');
  const cases: { source: string; want: RegExp }[] = [
    { source: 'a(', want: /^cannot use "a\(" as a regular expression: missing \)/ },
    { source: 'abcdefghi', want: /9 bytes long, more than the maximum of 8/ },
  ];
  for (const c of cases) {
    try {
      rt.dmatch('x', c.source, 7);
      t.fail(`${c.source} did not fail`);
    } catch (e) {
      t.ok(e instanceof ProgramRuntimeError, `${c.source}: a ProgramRuntimeError`);
      t.match((e as ProgramRuntimeError).message, c.want, `${c.source}: message`);
      t.equal((e as ProgramRuntimeError).site, 7, `${c.source}: site`);
    }
  }
});

t.test('a flood of distinct hostile strings stays bounded in entries, re2 objects and memory', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const cache = new DynamicRegexCache(1024);
  const short = 'ab'.repeat(200) + 'c';
  const long = 'ab'.repeat(LONG_SUBJECT) + 'c';
  // Patterns that are costly to compile and match (ambiguous repeats, wide classes, bounded
  // repetition that V8 can't run linearly), every one distinct, a fifth on long subjects.
  const hostile = (i: number): string => {
    switch (i % 5) {
      case 0: return `(?:a|ab|b)*[ab]{${(i % 50) + 10}}c${i}`;
      case 1: return `^(\\w+\\s?)*[0-9a-f]{32}x${i}$`;
      case 2: return `(?i)(?:[a-z]{1,9}){1,9}${i}`;
      case 3: return `(x+x+)+y${i}|[ab]*c`;
      default: return `a(${i}`; // invalid: a refusal, cached too
    }
  };
  const flood = (from: number, to: number): void => {
    for (let i = from; i < to; i++) cache.test(i % 5 === 0 ? long : short, hostile(i));
  };
  const rss = (): number => {
    gc();
    gc();
    return process.memoryUsage().rss;
  };
  // The allocator's own pools settle after a few thousand compilations (measured: RSS flat from 6,000 on).
  flood(0, 6 * DYNAMIC_REGEX_CACHE_SIZE);
  const settled = rss();
  flood(6 * DYNAMIC_REGEX_CACHE_SIZE, 14 * DYNAMIC_REGEX_CACHE_SIZE);
  const after = rss();
  t.equal(cache.count, DYNAMIC_REGEX_CACHE_SIZE, `${14 * DYNAMIC_REGEX_CACHE_SIZE} distinct strings, ${DYNAMIC_REGEX_CACHE_SIZE} kept`);
  t.ok(cache.re2Count <= DYNAMIC_REGEX_RE2_SIZE, `at most ${DYNAMIC_REGEX_RE2_SIZE} re2 objects kept (${cache.re2Count})`);
  // Unbounded, these 8,000 strings would keep about 190 MB (measured: 364 MB for 15,000), most of it re2 DFA.
  const grewMb = (after - settled) / 2 ** 20;
  t.ok(grewMb < 48, `memory stays flat once the cache is full: grew ${grewMb.toFixed(1)} MB over 8,000 more strings`);
  t.equal(cache.test(short, 'ab'), true, 'still matches after the flood');
});
