import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../src/lang/compile.js';
import { compileMatcher, requiredLiteral, requiredLiterals, requiredSuffix, sharedGates } from '../../src/regex/index.js';

const root = join(import.meta.dirname, '..', '..', '..');

t.test('required literals: every maximal run each match contains', async (t) => {
  const cases: [name: string, pattern: string, runs: string[]][] = [
    ['plain literal', 'DHCPACK on', ['DHCPACK on']],
    ['literal between groups', '(\\w+) DHCPACK on (\\S+)', [' DHCPACK on ']],
    ['several runs', 'sshd\\[\\d+\\]: Failed password for (\\S+)', ['sshd[', ']: Failed password for ']],
    ['anchors do not break a run', '^abc$', ['abc']],
    ['optional part is not required', 'abc(def)?', ['abc']],
    ['optional part alone gives nothing', '(?:abcdef)?x', ['x']],
    ['alternation gives nothing', 'GET|POST', []],
    ['alternation of the same text', '(?:abc|abc)', ['abc']],
    ['case folding gives nothing', '(?i)error', []],
    ['repeat with min 1 keeps its body', '(?:warn)+ x', ['warn', ' x']],
    ['exact repeat', '(?:ab){3}', ['ababab']],
    ['classes are not literals', '[0-9]+\\.[0-9]+', ['.']],
    ['escaped punctuation', '\\[error\\] ', ['[error] ']],
  ];
  for (const [name, pattern, runs] of cases) t.same(requiredLiterals(pattern), runs, name);
});

t.test('the probe: the cheapest suffix of a required run', async (t) => {
  const cases: [name: string, pattern: string, probe: string | undefined][] = [
    ['starts at a rare character', 'DHCPACK on', 'DHCPACK on'],
    ['a leading space is dropped: spaces are everywhere', '(\\w+) DHCPACK on (\\S+)', 'DHCPACK on '],
    ['the run with the rarest start wins', 'sshd\\[\\d+\\]: Failed password for (\\S+)', ']: Failed password for '],
    ['common first letters are skipped', ' sudo:', 'udo:'],
    ['a run of one character is not worth a scan', '(?:abcdef)?x', undefined],
    ['nor are runs shorter than three', 'a.b', undefined],
    ['nothing required', 'GET|POST', undefined],
    ['case folding gives nothing', '(?i)error', undefined],
    ['astral characters are kept whole', 'x😀yz', '😀yz'],
  ];
  for (const [name, pattern, probe] of cases) {
    const got = requiredLiteral(pattern);
    t.equal(got, probe, name);
    if (got !== undefined) t.ok(requiredLiterals(pattern).some((run) => run.endsWith(got)), `${name}: the probe is a suffix of a required run`);
  }
});

/** Every pattern of the programs under dir (compiled, so const fragments are joined in). */
function patternsOf(file: string): string[] {
  const result = compile('p.mtail', readFileSync(file, 'utf8'));
  return result.checked ? result.checked.patterns.map((p) => p.source!) : [];
}

function logLines(dir: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) lines.push(...logLines(p));
    else if (entry.endsWith('.log')) lines.push(...readFileSync(p, 'utf8').split('\n'));
  }
  return lines;
}

t.test('a line the full pattern matches always contains the literal and ends with the suffix', async (t) => {
  const files = [
    ...readdirSync(join(root, 'programs')).filter((f) => f.endsWith('.mtail')).map((f) => join(root, 'programs', f)),
    ...readdirSync(join(root, 'fixtures', 'differential')).map((d) => join(root, 'fixtures', 'differential', d, 'prog.mtail')),
  ];
  const lines = [...logLines(join(root, 'fixtures', 'programs')), ...logLines(join(root, 'fixtures', 'differential'))];
  let withLiteral = 0;
  let matchesChecked = 0;
  let suffixesChecked = 0;
  for (const file of files) {
    for (const pattern of patternsOf(file)) {
      const suffix = requiredSuffix(pattern);
      if (suffix !== undefined) {
        const { matcher } = compileMatcher(pattern);
        for (const line of lines) {
          if (matcher.exec(line) === null) continue;
          suffixesChecked++;
          if (!line.endsWith(suffix)) t.fail(`/${pattern}/ matched ${JSON.stringify(line)} which does not end with ${JSON.stringify(suffix)}`);
        }
      }
      const literal = requiredLiteral(pattern);
      if (literal === undefined) continue;
      withLiteral++;
      const { matcher } = compileMatcher(pattern);
      // Lines built to match: the literal must survive in them as well.
      for (const line of lines) {
        if (matcher.exec(line) === null) continue;
        matchesChecked++;
        if (!line.includes(literal)) t.fail(`/${pattern}/ matched ${JSON.stringify(line)} which lacks ${JSON.stringify(literal)}`);
      }
    }
  }
  t.ok(withLiteral >= 20, `${withLiteral} patterns have a prefilter literal`);
  t.ok(matchesChecked >= 1000, `${matchesChecked} matching lines checked`);
  t.ok(suffixesChecked >= 10, `${suffixesChecked} matching lines checked for their pattern's suffix`);
});

t.test('random patterns: the literal is in every match', async (t) => {
  // A seeded generator of patterns from literal pieces, classes, groups, alternations and repeats.
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = ['ab', 'c', 'xyz', '\\d+', '[a-c]*', '.', '(?:ab|c)', '(d)?', 'e{2}', '(?:fg)+', '\\s', '(?i:h)'];
  const alphabet = 'abcdefghxyz0123 ';
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const pattern = Array.from({ length: 2 + rnd(5) }, () => pieces[rnd(pieces.length)]).join('');
    const literal = requiredLiteral(pattern);
    if (literal === undefined) continue;
    const { matcher } = compileMatcher(pattern);
    for (let j = 0; j < 200; j++) {
      const line = Array.from({ length: rnd(30) }, () => alphabet[rnd(alphabet.length)]).join('');
      for (const candidate of [line, line + literal, literal + line]) {
        const m = matcher.exec(candidate);
        if (m === null) continue;
        checked++;
        if (!m[0].includes(literal)) t.fail(`/${pattern}/ matched ${JSON.stringify(m[0])} without ${JSON.stringify(literal)}`);
      }
    }
  }
  t.ok(checked > 500, `${checked} matches checked`);
});

t.test('the required suffix: the literal before a final $', async (t) => {
  const cases: [name: string, pattern: string, suffix: string | undefined][] = [
    ['a quote before $', '^(\\S+) "(?:[^"\\\\]|\\\\.)*"$', '"'],
    ['a literal run before $', '(\\d+) ms done$', ' ms done'],
    ['\\z anchors like $', 'abc\\z', 'abc'],
    ['a capture of a literal', '(\\d+)(ok)$', 'ok'],
    ['a capture ending the subject', '(\\d+ ok$)', ' ok'],
    ['zero-width asserts inside the run', 'x\\by$', 'xy'],
    ['no anchor, no suffix', 'abc', undefined],
    ['(?m)$ ends a line, not the subject', '(?m)abc$', undefined],
    ['a class before $', '[0-9]+$', undefined],
    ['an optional literal before $', 'ab(?:cd)?$', undefined],
    ['alternation with $ in one branch only', 'x(?: |$)', undefined],
    ['branches that all end the subject: their common suffix', '(?:ab"|cd")$', '"'],
    ['branches with nothing in common', '(?:ab|cd)$', undefined],
    ['what a repeat ends with', '(?:\\d+ms)+$', 'ms'],
    ['a literal before a class run stops at the class', 'ab[a-z]+$', undefined],
    ['case folding gives nothing', '(?i)abc$', undefined],
    ['a repeat of the ending is not followed', '(?:ab$)+', undefined],
    ['astral characters are kept whole', 'x😀$', 'x😀'],
    ['a common suffix never splits a surrogate pair', '(?:😀|😁)$', undefined],
    ['unparsable', '(', undefined],
  ];
  for (const [name, pattern, suffix] of cases) t.equal(requiredSuffix(pattern), suffix, name);
});

t.test('random patterns: every match ends the subject with the suffix', async (t) => {
  let seed = 4242;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = ['ab', 'c', '\\d+', '[a-c]*', '.', '(?:ab|c)', '(d)?', '(?:fg)+', '\\s', '(?i:h)', '(b)', '\\b', '$', '(?:a$|b$)', '(?:a|$)'];
  const alphabet = 'abcdfgh0123 ';
  let checked = 0;
  for (let i = 0; i < 400; i++) {
    const pattern = Array.from({ length: 1 + rnd(5) }, () => pieces[rnd(pieces.length)]).join('') + (rnd(3) === 0 ? '' : '$');
    const suffix = requiredSuffix(pattern);
    if (suffix === undefined) continue;
    const { matcher } = compileMatcher(pattern);
    for (let j = 0; j < 200; j++) {
      const line: string = Array.from({ length: rnd(20) }, () => alphabet[rnd(alphabet.length)]).join('');
      const candidates: string[] = [line, line + suffix, suffix + line];
      for (const candidate of candidates) {
        if (matcher.exec(candidate) === null) continue;
        checked++;
        if (!candidate.endsWith(suffix)) t.fail(`/${pattern}/ matched ${JSON.stringify(candidate)}, which does not end with ${JSON.stringify(suffix)}`);
      }
    }
  }
  t.ok(checked > 300, `${checked} matches checked`);
});

t.test('gates: one cheap string several probes share', async (t) => {
  const cases: [name: string, probes: string[], gates: Record<string, string>][] = [
    ['syslog-style probes share "]: "', [']: Accepted ', ']: Failed ', ']: Invalid user ', 'COMMAND='], { ']: Accepted ': ']: ', ']: Failed ': ']: ', ']: Invalid user ': ']: ' }],
    ['a probe may be its own gate', ['>, ', '>, size=', '>, status=expired'], { '>, ': '>, ', '>, size=': '>, ', '>, status=expired': '>, ' }],
    ['nothing shared, no gate', ['DHCPACK', 'udo:'], {}],
    ['a shared string as dear to find as the probes is no gate', [']: connect from ', 'ject: '], {}],
    ['one probe alone needs no gate', [']: Accepted '], {}],
  ];
  for (const [name, probes, gates] of cases) {
    const got = sharedGates(probes);
    t.same(Object.fromEntries(got), gates, name);
    for (const [probe, gate] of got) t.ok(probe.includes(gate), `${name}: ${JSON.stringify(probe)} contains its gate`);
  }
});

t.test('gates: a program of thousands of blocks still gets them, each probe containing its own', async (t) => {
  const probes = Array.from({ length: 2_000 }, (_, i) => requiredLiteral(`^GET \\/page${i} HTTP\\/1\\.1" (?P<status>\\d{3}) `)!);
  const got = sharedGates(probes);
  t.equal(got.size, probes.length, 'every probe has a gate');
  t.same(new Set(got.values()), new Set(['HTTP/1.1']), 'the one string they all share');
  const mixed = [...probes.slice(0, 40), ']: Accepted ', ']: Failed ', ']: Invalid user ', 'ünïcödé: a', 'ünïcödé: b', 'x😀y:z', 'x😀y:w'];
  for (const [probe, gate] of sharedGates(mixed)) t.ok(probe.includes(gate), `${JSON.stringify(probe)} contains ${JSON.stringify(gate)}`);
  t.equal(sharedGates(mixed).get(']: Failed '), ']: ', 'small groups still found among many');
});
