// The deepest and longest program of each construct, for the limit tests (compiler, CLI,
// daemon, and mtail). `at` is the largest size accepted with the default limits (mtail's
// -max_recursion_depth 100 and -max_regexp_length 1024, and our parser's nesting bound of
// 500); `at + 1` is refused with `code`. Constructs without a code have no limit: `at` is
// just very large, and both sizes must be accepted.

export interface DeepCase {
  name: string;
  program: (n: number) => string;
  at: number;
  /** The error beyond `at`; undefined when the construct has no limit. */
  code?: string;
  /** What mtail does with the same program: 'same' (accepts at, refuses beyond, same position), 'accepts' (both sizes), or 'cannot' (mtail cannot compile the construct at all). */
  mtail: 'same' | 'accepts' | 'cannot';
  /** Why mtail differs, when it does. */
  why?: string;
}

const chainOf = (op: string) => (n: number) => `gauge x\n/(\\d+)/ {\n  x = $1${` ${op} $1`.repeat(n)}\n}\n`;

export const DEEP_CASES: DeepCase[] = [
  { name: 'nested blocks', program: (n) => `counter x\n${'/a/ {\n'.repeat(n)}x++\n${'}\n'.repeat(n)}`, at: 48, code: 'E011', mtail: 'same' },
  { name: 'else chain', program: (n) => `counter x\n${'/a/ {\n} else {\n'.repeat(n)}x++\n${'}\n'.repeat(n)}`, at: 48, code: 'E011', mtail: 'same' },
  ...['+', '-', '*', '/', '%', '**', '<<', '>>', '&', '|', '^'].map((op): DeepCase => ({ name: `a chain of ${op}`, program: chainOf(op), at: 95, code: 'E011', mtail: 'same' })),
  { name: 'a chain of && conditions', program: (n) => `counter x\n/(\\d+)/ {\n  $1 > 0${' && $1 > 0'.repeat(n)} {\n    x++\n  }\n}\n`, at: 94, code: 'E011', mtail: 'same' },
  { name: 'a chain of || conditions', program: (n) => `counter x\n/(\\d+)/ {\n  $1 > 0${' || $1 > 0'.repeat(n)} {\n    x++\n  }\n}\n`, at: 94, code: 'E011', mtail: 'same' },
  { name: 'right-nested parentheses', program: (n) => `gauge x\n/(\\d+)/ {\n  x = ${'($1 + '.repeat(n)}$1${')'.repeat(n)}\n}\n`, at: 95, code: 'E011', mtail: 'same' },
  { name: 'nested calls', program: (n) => `gauge x\n/(\\d+)/ {\n  x = ${'int('.repeat(n)}$1${')'.repeat(n)}\n}\n`, at: 47, code: 'E011', mtail: 'same' },
  { name: 'a pattern of many const parts', program: (n) => `counter x\nconst P /a/\n/a/${' + P'.repeat(n)} {\n  x++\n}\n`, at: 95, code: 'E011', mtail: 'same' },
  { name: 'a long regex', program: (n) => `counter x\n/${'a'.repeat(n)}/ {\n  x++\n}\n`, at: 1024, code: 'E041', mtail: 'same' },
  {
    name: 'parentheses around a number',
    program: (n) => `gauge x\n/(\\d+)/ {\n  x = ${'('.repeat(n)}1${')'.repeat(n)}\n}\n`,
    at: 499,
    code: 'E019',
    mtail: 'accepts',
    why: "parentheses make no node in mtail's tree and its parser keeps its own stack; ours recurses, and 500 levels (the block's brace is one) is half of what the default stack survives",
  },
  { name: 'a chain of ! (not)', program: (n) => `counter x\n${'!'.repeat(n)}/a/ {\n  x++\n}\n`, at: 96, code: 'E011', mtail: 'cannot', why: "mtail 3.0.0~rc50's lexer does not know `!`" },
  { name: 'a chain of ~ (complement)', program: (n) => `gauge x\n/(\\d+)/ {\n  x = ${'~'.repeat(n)}$1\n}\n`, at: 95, code: 'E011', mtail: 'cannot', why: "mtail 3.0.0~rc50 stops with an internal compiler error on `~` of a capture" },
  {
    name: 'a chain of decorators',
    program: (n) => `counter x\ndef d0 {\n  /a/ {\n    next\n  }\n}\n${Array.from({ length: n }, (_, i) => `def d${i + 1} {\n  @d${i} {\n    next\n  }\n}\n`).join('')}@d${n} {\n  x++\n}\n`,
    at: 99,
    code: 'E065',
    mtail: 'accepts',
    why: "mtail's checker walks each decorator body once and does not count the chain; we inline decorators, and the generated code nests as deep as the chain",
  },
  {
    name: 'a folded chain of 1 + 1',
    program: (n) => `gauge x\n/a/ {\n  x = 1${' + 1'.repeat(n)}\n}\n`,
    at: 1_194,
    code: 'E019',
    mtail: 'accepts',
    why: "mtail folds the chain before it counts depth, in time that grows with the square of its length (10,000 terms: 5 s of CPU); our checker recurses on the unfolded chain",
  },
  { name: 'a long string', program: (n) => `text x\n/a/ {\n  x = "${'s'.repeat(n)}"\n}\n`, at: 1_000_000, mtail: 'accepts' },
  { name: 'a long identifier', program: (n) => `counter ${'v'.repeat(n)}\n/a/ {\n  ${'v'.repeat(n)}++\n}\n`, at: 100_000, mtail: 'accepts' },
  // 30,000 blocks generate 180,000 lines of code: more than a call can take spread as arguments.
  { name: 'many blocks', program: (n) => `counter x\n${'/a/ {\n  x++\n}\n'.repeat(n)}`, at: 30_000, mtail: 'accepts' },
];
