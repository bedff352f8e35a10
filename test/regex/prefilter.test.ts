import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../src/lang/compile.js';
import { compileMatcher, requiredLiteral, requiredLiterals, sharedGates } from '../../src/regex/index.js';

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

t.test('a line the full pattern matches always contains the literal', async (t) => {
  const files = [
    ...readdirSync(join(root, 'programs')).filter((f) => f.endsWith('.mtail')).map((f) => join(root, 'programs', f)),
    ...readdirSync(join(root, 'fixtures', 'differential')).map((d) => join(root, 'fixtures', 'differential', d, 'prog.mtail')),
  ];
  const lines = [...logLines(join(root, 'fixtures', 'programs')), ...logLines(join(root, 'fixtures', 'differential'))];
  let withLiteral = 0;
  let matchesChecked = 0;
  for (const file of files) {
    for (const pattern of patternsOf(file)) {
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
