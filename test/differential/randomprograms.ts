// Seeded random mtail programs and logs for test/differential/random.test.ts: typed
// expressions (ints, floats, strings, builtins, conversions), comparisons in nested
// conditions with else, and state kept in metrics (hidden gauges read back, del, stop,
// otherwise). Only constructs mtail 3.0.0~rc50 and logmetrics treat alike are generated:
// no second regex subst() in a block, no histogram observation of 0 or less (README,
// "Differences from mtail").
import { lcg } from '../helpers/random.js';

export interface RandomCase {
  program: string;
  log: string;
}

class Draw {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = lcg(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  below(n: number): number {
    return Math.floor(this.next() * n) % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

const INT_OPS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '**'];
const FLOAT_OPS = ['+', '-', '*', '/', '**'];
const COMPARE_OPS = ['<', '<=', '>', '>=', '==', '!='];

/** Expressions over the captures $a (int), $b (float), $c (string), $d (int). */
class Expressions {
  constructor(private readonly d: Draw) {}

  int(depth: number): string {
    const d = this.d;
    if (depth <= 0 || d.chance(0.3)) return d.pick(['$a', '$d', String(d.below(20) - 5), 'len($c)', String(d.below(1_000_000))]);
    if (d.chance(0.7)) return `(${this.int(depth - 1)} ${d.pick(INT_OPS)} ${this.int(depth - 1)})`;
    if (d.chance(0.5)) return `strtol(${d.pick(['"ff"', '"-17"', '"0x1f"', '$c'])}, ${d.pick(['16', '10', '8', '0'])})`;
    return `len(${this.str(depth - 1)})`;
  }

  float(depth: number): string {
    const d = this.d;
    if (depth <= 0 || d.chance(0.3)) return d.pick(['$b', (d.below(1000) / 100 - 3).toFixed(2), 'float($a)', '0.1', '1e3']);
    if (d.chance(0.6)) return `(${this.float(depth - 1)} ${d.pick(FLOAT_OPS)} ${d.chance(0.6) ? this.float(depth - 1) : this.int(depth - 1)})`;
    return `float(${this.int(depth - 1)})`;
  }

  str(depth: number): string {
    const d = this.d;
    if (depth <= 0 || d.chance(0.35)) return d.pick(['$c', '"x"', '"A-b"', 'string($a)', 'string($d)']);
    if (d.chance(0.45)) return `${this.str(depth - 1)} + ${this.str(depth - 1)}`;
    if (d.chance(0.4)) return `tolower(${this.str(depth - 1)})`;
    if (d.chance(0.5)) return `string(${this.int(depth - 1)})`;
    return `subst(${d.pick(['"a"', '"-"', '"1"'])}, ${d.pick(['"Z"', '""'])}, ${this.str(depth - 1)})`;
  }

  comparison(depth: number): string {
    const d = this.d;
    const op = d.pick(COMPARE_OPS);
    if (d.chance(0.4)) return `${this.int(depth)} ${op} ${this.int(depth)}`;
    if (d.chance(0.5)) return `${this.float(depth)} ${op} ${this.float(depth)}`;
    return `${this.str(depth)} ${op} ${this.str(depth)}`;
  }
}

const CAPTURES = '/^(?P<a>-?\\d+) (?P<b>-?\\d+\\.\\d+) (?P<c>\\S+) (?P<d>-?\\d+)$/';

/** A program of typed expressions and nested conditions, each statement updating a metric of its own. */
export function expressionCase(seed: number): RandomCase {
  const d = new Draw(seed);
  const e = new Expressions(d);
  const decls: string[] = [];
  const statement = (depth: number): string => {
    const i = decls.length;
    if (depth > 0 && d.chance(0.25)) {
      decls.push(`counter taken${i}`);
      const inner = [statement(depth - 1), statement(depth - 1)].join('\n');
      const cond = d.chance(0.25) ? `${e.comparison(1)} ${d.pick(['&&', '||'])} ${e.comparison(1)}` : e.comparison(2);
      const otherwise = d.chance(0.4) ? ` else {\n${statement(depth - 1)}\n}` : '';
      return `${cond} {\ntaken${i}++\n${inner}\n}${otherwise}`;
    }
    switch (d.below(4)) {
      case 0:
        decls.push(`gauge int${i}`);
        return `int${i} = ${e.int(3)}`;
      case 1:
        decls.push(`gauge float${i}`);
        return `float${i} = ${e.float(3)}`;
      case 2:
        decls.push(`counter label${i} by v`);
        return `label${i}[${e.str(3)}]++`;
      default:
        decls.push(`counter sum${i}`);
        return `sum${i} += ${e.int(2)}`;
    }
  };
  const body = Array.from({ length: 6 }, () => statement(2)).join('\n');
  const log: string[] = [];
  for (let i = 0; i < 30; i++) {
    const a = d.pick([String(d.below(100) - 50), '0', '1', '63', '64', '9223372036854775807', '-9223372036854775808', '4294967296']);
    const b = d.pick([(d.below(100_000) / 1000 - 50).toFixed(3), '0.0', '-0.0', '0.1', '123456789.125']);
    const c = d.pick(['abc', 'A-B', '12', '-7', '0x1f', 'ff', 'Hello', '1e3', '077', '12.0', '\uff71', '\u{1f600}']);
    const dd = d.pick([String(d.below(10) - 3), '0', '62', '-1']);
    log.push(`${a} ${b} ${c} ${dd}`);
  }
  return { program: `${decls.join('\n')}\n${CAPTURES} {\n${body}\n}\n`, log: log.join('\n') + '\n' };
}

/** A program that keeps state in metrics and reads it back: hidden gauges, del, stop, otherwise. */
export function stateCase(seed: number): RandomCase {
  const d = new Draw(seed);
  const value = (): string => d.pick(['$a', '$a * 2', 'st[$c]', 'st[$c] + $a', 'len($c)', 'tot', 'tot - $a', '$a % 7', 'cnt[$c]']);
  const floatValue = (): string => d.pick(['$b', '$b * 2.5', 'fs + $b', '$b / 4', 'float($a) + $b']);
  const cond = (): string =>
    d.pick([`st[$c] > ${d.below(10)}`, `$a > ${d.below(40) - 10}`, `tot >= ${d.below(200)}`, `$c == "${d.pick(['ab', 'x', 'zz'])}"`, `$b < ${(d.below(100) / 10).toFixed(1)}`, 'cnt[$c] < 3', '$c =~ /^[a-m]/']);
  const statement = (depth: number): string => {
    if (depth > 0 && d.chance(0.25)) {
      const otherwise = d.chance(0.3) ? ` else {\n${statement(depth - 1)}\n}` : '';
      return `${cond()} {\n${statement(depth - 1)}\n${statement(depth - 1)}\n}${otherwise}`;
    }
    return d.pick([
      `st[$c] = ${value()}`,
      `st[$c] += ${value()}`,
      `tot += ${value()}`,
      `fs += ${floatValue()}`,
      'cnt[$c]++',
      `g = ${floatValue()}`,
      `out[${d.pick(['$c', 'string($a % 5)', '$c + "-" + string(st[$c])'])}] = ${value()}`,
      'del st[$c]',
      'del cnt[$c]',
      `${cond()} {\n  stop\n}`,
      `h = ${d.pick(['$b + 0.5', 'float(len($c)) + 0.1'])}`,
    ]);
  };
  const blocks = [0, 1].map(() => `/^(?P<a>\\d+) (?P<b>\\d+\\.\\d+) (?P<c>\\S+)$/ {\n${Array.from({ length: 5 }, () => statement(2)).join('\n')}\n}`);
  const last = d.chance(0.5) ? 'otherwise {\n  seen++\n}' : '/x/ {\n  seen++\n}';
  // Every metric is used somewhere (mtail refuses an unused one), by a block no line matches.
  const uses = '/^NEVER$/ {\n  st["n"] = 1\n  tot++\n  fs += 1.0\n  cnt["n"]++\n  g = 1.0\n  out["n"] = 1\n  h = 1.0\n  seen++\n}';
  const decls = ['hidden gauge st by k', 'counter tot', 'counter fs', 'counter cnt by k', 'gauge g', 'gauge out by k', 'histogram h buckets 0.5, 1, 2, 4', 'counter seen'];
  const log: string[] = [];
  for (let i = 0; i < 60; i++) {
    log.push(d.chance(0.1) ? 'garbage line x' : `${d.below(40)} ${(d.below(800) / 100).toFixed(2)} ${d.pick(['ab', 'x', 'zz', 'mq', 'q1'])}`);
  }
  return { program: `${decls.join('\n')}\n${blocks.join('\n')}\n${last}\n${uses}\n`, log: log.join('\n') + '\n' };
}
