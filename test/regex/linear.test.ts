// Hostile input: catastrophic-backtracking patterns on long crafted lines must
// finish quickly, because V8 falls back to its linear-time engine.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import RE2 from 're2';
import { compileMatcher, enableLinearFallback } from '../../src/regex/index.js';

// The flag must be set before any of the RegExps below is compiled.
enableLinearFallback();

const HOSTILE: { pattern: string; line: string }[] = [
  { pattern: '(a+)+$', line: 'a'.repeat(40000) + '!' },
  { pattern: '(x+x+)+y', line: 'x'.repeat(40000) },
  { pattern: '(.*a){12}', line: 'a'.repeat(11) + 'b'.repeat(40000) },
  { pattern: '^(\\w+\\s?)+$', line: 'word '.repeat(8000) + '!' },
  { pattern: '(a|aa)+$', line: 'a'.repeat(40000) + '!' },
  { pattern: '^(\\S+\\s*)+x$', line: 'ab '.repeat(13000) + 'y' },
  { pattern: '"(?P<ua>(?:[^"]+)*)"$', line: '"' + 'M'.repeat(40000) },
];

for (const { pattern, line } of HOSTILE) {
  t.test(`/${pattern}/ on a ${line.length}-character hostile line`, async (t) => {
    const { matcher, engine } = compileMatcher(pattern);
    t.equal(engine, 'v8', 'runs on V8, protected by the linear-time fallback');
    const start = performance.now();
    const result = matcher.exec(line);
    const elapsed = performance.now() - start;
    // A safety bound, not a benchmark: without the fallback these take minutes or longer.
    t.ok(elapsed < 1000, `took ${elapsed.toFixed(1)} ms`);
    const expected = new RE2(pattern, 'u').exec(line);
    t.same(result && [result.index, ...result], expected && [expected.index, ...expected], 'same answer as re2');
  });
}

t.test('fact: without the fallback, (a+)+$ on 30 characters does not finish in 1 s', async (t) => {
  // A separate process, since the flag is process-wide and cannot be unset here.
  // SIGKILL: tap's process hooks, inherited through NODE_OPTIONS, handle SIGTERM in
  // JavaScript, which cannot run until the match ends.
  const child = spawnSync(process.execPath, ['-e', "/(a+)+$/.exec('a'.repeat(30) + '!')"], {
    timeout: 1000,
    killSignal: 'SIGKILL',
  });
  t.equal(child.signal, 'SIGKILL', 'killed by the timeout');
});
