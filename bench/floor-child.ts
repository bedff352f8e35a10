// The floor of a program over a log: the time V8 takes to run only the program's regexes over
// the log's lines, as the program would run them (each top-level pattern per line; where one
// fails and has an `else`, the patterns of the else block). Lines are read and split before
// the clock starts; the matchers are the program's own (translated RE2, only the groups it reads).
// Usage: node floor-child.js PROGRAM LOG
// Prints {"ms": …, "lines": …, "patterns": …} on stdout.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as A from '../src/lang/ast.js';
import { compile } from '../src/lang/compile.js';
import { compileMatcher, enableLinearFallback, type Matcher } from '../src/regex/index.js';

/** A pattern the program tries on every line it reaches, and the ones it tries when it fails. */
interface Gate {
  matcher: Matcher;
  orElse: Gate[];
}

// As bin/logmetrics.js does before any pattern is compiled.
enableLinearFallback();
const [program, log] = process.argv.slice(2);
if (program === undefined || log === undefined) throw new Error('usage: floor-child.js PROGRAM LOG');
const result = compile(basename(program), readFileSync(program, 'utf8'));
if (!result.generated || !result.ast) throw new Error(`${program} did not compile`);
const groups = result.generated.groups;

/** The patterns in a condition (a pattern, or patterns joined by && and ||). */
function patternsIn(node: unknown, out: A.PatternExpr[]): A.PatternExpr[] {
  if (node === null || typeof node !== 'object') return out;
  if ((node as { kind?: unknown }).kind === 'pattern') {
    out.push(node as A.PatternExpr);
    return out;
  }
  for (const v of Object.values(node)) if (typeof v === 'object') patternsIn(v, out);
  return out;
}

function gates(body: A.Stmt[]): Gate[] {
  const out: Gate[] = [];
  for (const s of body) {
    if (s.kind !== 'cond' || s.cond === null) continue;
    const orElse = s.else ? gates(s.else.body) : [];
    for (const p of patternsIn(s.cond, [])) {
      if (p.index === undefined || p.source === undefined) continue;
      out.push({ matcher: compileMatcher(p.source, groups[p.index]).matcher, orElse });
    }
  }
  return out;
}

const top = gates(result.ast.body);
const count = (gs: Gate[]): number => gs.reduce((n, g) => n + 1 + count(g.orElse), 0);
const text = readFileSync(log, 'utf8');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();

let matched = 0;
function run(gs: Gate[], line: string): void {
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i]!;
    if (g.matcher.exec(line) !== null) matched++;
    else if (g.orElse.length > 0) run(g.orElse, line);
  }
}

const start = performance.now();
for (let i = 0; i < lines.length; i++) run(top, lines[i]!);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, lines: lines.length, patterns: count(top), matched }) + '\n');
