// The floor of a program over a log: the time V8 takes to run only the program's regexes over
// the log's lines, as the program would run them (each top-level pattern per line; where one
// fails and has an `else`, the patterns of the else block). Lines are read and split before
// the clock starts; the matchers are the program's own (translated RE2, only the groups it reads).
// With `captures`, each match's groups are then read the plain way: each group the program reads
// that has a numeric type (mtail's inference) goes through Number(), and each group used directly
// as a label value is looked up once in a Map, as a label is. No metric is touched.
// Usage: node floor-child.js PROGRAM LOG [captures]
// Prints {"ms": …, "lines": …, "patterns": …} on stdout.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as A from '../src/lang/ast.js';
import { compile } from '../src/lang/compile.js';
import { compileMatcher, enableLinearFallback, inferCaptureTypes, type Matcher } from '../src/regex/index.js';

/** A pattern the program tries on every line it reaches, and the ones it tries when it fails. */
interface Gate {
  matcher: Matcher;
  /** Captures mode: the numeric groups the program reads, and the groups it uses as label values. */
  numeric: number[];
  labels: number[];
  orElse: Gate[];
}

// As bin/logmetrics.js does before any pattern is compiled.
enableLinearFallback();
const [program, log, mode] = process.argv.slice(2);
const captures = mode === 'captures';
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

/** Per pattern index: the groups that are label values (`metric[$group]`). */
const labelGroups = new Map<number, Set<number>>();
function findLabels(node: unknown, seen: Set<unknown>): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const n = node as A.Expr;
  if (n.kind === 'index') {
    for (const k of n.keys) {
      if (k.kind !== 'capref' || k.pattern?.index === undefined || k.group === undefined) continue;
      let set = labelGroups.get(k.pattern.index);
      if (set === undefined) labelGroups.set(k.pattern.index, (set = new Set()));
      set.add(k.group);
    }
  }
  for (const v of Object.values(node)) if (typeof v === 'object') findLabels(v, seen);
}
findLabels(result.ast.body, new Set());

function gates(body: A.Stmt[]): Gate[] {
  const out: Gate[] = [];
  for (const s of body) {
    if (s.kind !== 'cond' || s.cond === null) continue;
    const orElse = s.else ? gates(s.else.body) : [];
    for (const p of patternsIn(s.cond, [])) {
      if (p.index === undefined || p.source === undefined) continue;
      const read = groups[p.index] ?? [];
      const types = inferCaptureTypes(p.source, Math.max(0, ...read));
      const numeric = read.filter((g) => g > 0 && types[g - 1] !== 'string');
      const labels = read.filter((g) => labelGroups.get(p.index!)?.has(g) === true);
      out.push({ matcher: compileMatcher(p.source, read).matcher, numeric, labels, orElse });
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
let sum = 0;
const table = new Map<string, number>();
function read(g: Gate, m: RegExpExecArray): void {
  for (const i of g.numeric) {
    const n = Number(m[i] ?? '');
    if (n === n) sum += n;
  }
  for (const i of g.labels) {
    const v = m[i] ?? '';
    const id = table.get(v);
    if (id === undefined) table.set(v, table.size);
    else sum += id;
  }
}
function run(gs: Gate[], line: string): void {
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i]!;
    const m = g.matcher.exec(line);
    if (m !== null) {
      matched++;
      if (captures) read(g, m);
    } else if (g.orElse.length > 0) run(g.orElse, line);
  }
}

const start = performance.now();
for (let i = 0; i < lines.length; i++) run(top, lines[i]!);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, lines: lines.length, patterns: count(top), matched, sum }) + '\n');
