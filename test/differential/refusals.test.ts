// `check --strict-mtail` against mtail itself: each construct of the mtail language that
// Debian's mtail 3.0.0~rc50 refuses (and logmetrics runs with its documented meaning) is
// flagged where it is, its rc50 form is flagged nowhere, and over every program of the
// differential corpus and programs/, mtail refuses a program exactly when we flag it.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile } from '../../src/lang/compile.js';
import { extensionUses, REFUSED } from '../../src/lang/extensions.js';
import { findRepoRoot, listCases, mapBounded, MTAIL_MISSING, mtailAvailable, runLogmetrics, runMtail, runMtailCompile, stderrTail } from './corpus.js';

interface Case {
  name: string;
  /** The construct, as written in mtail's documentation. */
  refused: string;
  /** Where we flag it (line:col), each with the message it gets. */
  flagged: [at: string, message: string][];
  /** rc50 refuses the program, or loads it and gives other numbers than its documentation (`input` then shows it). */
  mtail: 'refuses' | { input: string; mtailSays: RegExp; weSay: RegExp };
  /** The same program as rc50 accepts it: nothing to flag. */
  accepted: string;
}

const CASES: Case[] = [
  {
    name: 'a condition that starts with a const fragment',
    refused: 'const P /^\\w+ /\ncounter c\nP + /foo/ {\n  c++\n}\n',
    flagged: [['3:1', REFUSED.leadingFragment]],
    mtail: 'refuses',
    accepted: 'const P /^\\w+ /\ncounter c\n// + P + /foo/ {\n  c++\n}\n',
  },
  {
    name: 'a const fragment then a string after =~, in parentheses',
    refused: 'const P /q/\ncounter c\n/(?P<x>\\w+)/ {\n  $x =~ (P + "b") {\n    c++\n  }\n}\n',
    flagged: [['4:9', REFUSED.leadingFragment]],
    mtail: 'refuses',
    accepted: 'counter c\n/(?P<x>\\w+)/ {\n  $x =~ ("q" + "b") {\n    c++\n  }\n}\n',
  },
  {
    name: 'unary !',
    refused: 'counter c\n/^(?P<s>\\w+)$/ {\n  !($s == "ok") {\n    c++\n  }\n}\n',
    flagged: [['3:3', REFUSED.unaryNot]],
    mtail: 'refuses',
    accepted: 'counter c\n/^(?P<s>\\w+)$/ {\n  $s != "ok" {\n    c++\n  }\n}\n',
  },
  {
    name: 'a second pattern in a condition',
    refused: 'counter c\n/error/ && /disk/ {\n  c++\n}\n',
    flagged: [['2:12', REFUSED.laterPattern]],
    mtail: 'refuses',
    accepted: 'counter c\n/error/ {\n  /disk/ {\n    c++\n  }\n}\n',
  },
  {
    name: 'a pattern after a comparison',
    refused: 'counter c\n/(?P<n>\\d+)/ {\n  $n > 1 && /a/ {\n    c++\n  }\n}\n',
    flagged: [['3:13', REFUSED.laterPattern]],
    mtail: 'refuses',
    accepted: 'counter c\n/(?P<n>\\d+)/ {\n  $n > 1 {\n    /a/ {\n      c++\n    }\n  }\n}\n',
  },
  {
    name: 'a pattern and a =~ in one condition',
    refused: 'counter c\n/^(\\w+) (\\S+)$/ && $1 =~ /^GET$/ {\n  c++\n}\n',
    flagged: [['2:26', REFUSED.secondRegex]],
    mtail: 'refuses',
    accepted: 'counter c\n/^(\\w+) (\\S+)$/ {\n  $1 =~ /^GET$/ {\n    c++\n  }\n}\n',
  },
  {
    name: 'two =~ in one condition',
    refused: 'counter c\n/(?P<a>\\w+) (?P<b>\\w+)/ {\n  $a =~ /x/ && $b !~ /y/ {\n    c++\n  }\n}\n',
    flagged: [['3:22', REFUSED.secondRegex]],
    mtail: 'refuses',
    accepted: 'counter c\n/(?P<a>\\w+) (?P<b>\\w+)/ {\n  $a =~ /x/ {\n    $b !~ /y/ {\n      c++\n    }\n  }\n}\n',
  },
  {
    name: 'two regex subst() in one block, one inside the other',
    refused: 'counter c by k\n/^(?P<u>\\S+)$/ {\n  c[subst(/[0-9a-f]{8}/, ":id", subst(/\\/\\d+/, "/:n", $u))]++\n}\n',
    flagged: [['3:39', REFUSED.secondSubst]],
    mtail: 'refuses',
    accepted: 'counter c by k\n/^(?P<u>\\S+)$/ {\n  c[subst(/[0-9a-f]{8}/, ":id", subst("/1", "/:n", $u))]++\n  /$/ {\n    c[subst(/\\/\\d+/, "/:n", $u)]++\n  }\n}\n',
  },
  {
    name: 'a Float after =~',
    refused: 'counter c\n/(?P<x>\\w+)/ {\n  $x =~ 1.5 {\n    c++\n  }\n}\n',
    flagged: [['3:9', REFUSED.floatPattern]],
    mtail: 'refuses',
    accepted: 'counter c\n/(?P<x>\\w+)/ {\n  $x =~ "1.5" {\n    c++\n  }\n}\n',
  },
  {
    name: 'int() of a Float',
    refused: 'counter c\n/^(?P<secs>\\d+\\.\\d+)$/ {\n  c += int($secs)\n}\n',
    flagged: [['3:8', REFUSED.intOfFloat]],
    mtail: 'refuses',
    accepted: 'counter c\n/^(?P<secs>\\d+)\\.\\d+$/ {\n  c += int($secs)\n}\n',
  },
  {
    name: '$0 anywhere but as the subject of =~',
    refused: 'counter c by line\n/^a+/ {\n  c[tolower($0)]++\n}\n',
    flagged: [['3:13', REFUSED.wholeMatch]],
    mtail: 'refuses',
    accepted: 'counter c by line\n/^(?P<all>a+)/ {\n  c[tolower($all)]++\n  $0 =~ /aa/ {\n    c["two"]++\n  }\n}\n',
  },
  {
    name: 'a String added to a counter',
    refused: 'counter c\n/^bytes (\\S+)$/ {\n  c += $1\n}\n',
    flagged: [['3:3', REFUSED.stringToNumber]],
    mtail: 'refuses',
    accepted: 'counter c\n/^bytes (\\S+)$/ {\n  c += int($1)\n}\n',
  },
  {
    name: 'a String stored in a gauge',
    refused: 'gauge g\n/^v (\\S+)$/ {\n  g = $1\n}\n',
    flagged: [['3:3', REFUSED.stringToNumber]],
    mtail: { input: 'v 5\n', mtailSays: /^g\{prog="prog\.mtail"\} 0$/m, weSay: /^g\{prog="prog\.mtail"\} 5$/m },
    accepted: 'gauge g\n/^v (\\S+)$/ {\n  g = int($1)\n}\n',
  },
];

const repoRoot = findRepoRoot();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-refusals-'));
t.teardown(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A folder holding `text` as prog.mtail, as runMtailCompile wants it. */
function progDir(name: string, text: string): string {
  const dir = path.join(scratch, name.replace(/[^a-z0-9]+/gi, '-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'prog.mtail'), text);
  return dir;
}

/** What --strict-mtail flags in a program that compiles: line:col and message. */
function flags(text: string): [string, string][] {
  const r = compile('prog.mtail', text);
  if (!r.generated) throw new Error(`does not compile:\n${r.diagnostics.map((d) => d.message).join('\n')}`);
  return extensionUses(r.ast!).map((u) => {
    const p = r.source.position(u.span.start);
    return [`${p.line}:${p.col}`, u.message ?? u.name];
  });
}

t.test('each construct rc50 refuses is flagged where it is, and its rc50 form is not', async (t) => {
  if (!mtailAvailable()) {
    t.fail(MTAIL_MISSING);
    return;
  }
  for (const c of CASES) {
    await t.test(c.name, async (t) => {
      t.same(flags(c.refused), c.flagged, 'flagged');
      t.same(flags(c.accepted), [], 'the rc50 form: nothing flagged');
      const dir = progDir(c.name, c.refused);
      if (c.mtail === 'refuses') {
        const r = await runMtailCompile(dir);
        if (!t.equal(r.code, 1, 'mtail refuses it')) t.comment(stderrTail(r));
      } else {
        const input = path.join(dir, 'input.log');
        fs.writeFileSync(input, c.mtail.input);
        const run = { name: c.name, dir, prog: path.join(dir, 'prog.mtail'), input };
        const [mtail, ours] = await Promise.all([runMtail(run), runLogmetrics(repoRoot, run)]);
        t.match(mtail.stdout, c.mtail.mtailSays, 'mtail loads it and gives another number');
        t.match(ours.stdout, c.mtail.weSay, 'we give the documented one');
      }
      const ok = await runMtailCompile(progDir(`${c.name} accepted`, c.accepted));
      if (!t.equal(ok.code, 0, 'mtail accepts the rc50 form')) t.comment(stderrTail(ok));
    });
  }
});

t.test('over the corpus and programs/: mtail refuses a program exactly when we flag it', async (t) => {
  if (!mtailAvailable()) {
    t.fail(MTAIL_MISSING);
    return;
  }
  const programs = [
    ...listCases(path.join(repoRoot, 'fixtures', 'differential')).map((c) => ({ name: c.name, dir: c.dir, text: fs.readFileSync(c.prog, 'utf8') })),
    ...fs
      .readdirSync(path.join(repoRoot, 'programs'))
      .filter((f) => f.endsWith('.mtail'))
      .map((f) => {
        const text = fs.readFileSync(path.join(repoRoot, 'programs', f), 'utf8');
        return { name: f, dir: progDir(f, text), text };
      }),
  ];
  t.ok(programs.length >= 70, `${programs.length} programs`);
  const runs = mapBounded(programs, 2, (p) => runMtailCompile(p.dir));
  let refused = 0;
  for (const [i, p] of programs.entries()) {
    const r = await runs[i]!;
    const ours = flags(p.text).filter(([, message]) => Object.values(REFUSED).includes(message as never));
    if (r.code !== 0) refused++;
    if (!t.equal(ours.length > 0, r.code !== 0, `${p.name}: ${r.code === 0 ? 'mtail accepts it, nothing flagged' : 'mtail refuses it, flagged'}`)) t.comment(stderrTail(r));
  }
  t.ok(refused >= 7, `${refused} of them refused by mtail (the deliberate differences of README)`);
});
