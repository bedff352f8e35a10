// Parser: AST shapes as s-expressions, mtail's precedence and associativity
// (internal/runtime/compiler/parser/parser.y: every binary operator is
// left-associative, `**` shares the level of `*`, `&&` and `||` share one level
// below the bitwise operators), statements, declarations, recovery and the depth limit.
import t, { type Test } from 'tap';
import { Code } from '../../src/lang/diagnostics.js';
import { compile } from '../../src/lang/compile.js';
import { MAX_NESTING } from '../../src/lang/parser.js';
import { parseToSexpr } from './helpers.js';

/** Parses a program that must have no syntax errors; its statements as s-expressions. */
function ok(t: Test, name: string, src: string): string {
  const { out, diags } = parseToSexpr(src);
  t.same(diags.list.map((d) => d.message), [], `${name}: no syntax errors`);
  return out;
}

t.test('precedence and associativity', async (t) => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: '** shares the level of * and is left-associative', src: 'x = 2 * 3 ** 2', want: '(= x (** (* 2 3) 2))' },
    { name: '** chains to the left', src: 'x = 2 ** 3 ** 2', want: '(= x (** (** 2 3) 2))' },
    { name: '&& and || share a level', src: 'a || b && c {\n}', want: '(if (&& (|| a b) c) { })' },
    { name: '&& then ||', src: 'a && b || c {\n}', want: '(if (|| (&& a b) c) { })' },
    { name: 'subtraction is left-associative', src: 'x = 1 - 2 - 3', want: '(= x (- (- 1 2) 3))' },
    { name: 'shift binds looser than addition', src: 'x = x << 1 + 2', want: '(= x (<< x (+ 1 2)))' },
    { name: 'multiplication binds tighter than addition', src: 'x = 1 + 2 * 3', want: '(= x (+ 1 (* 2 3)))' },
    { name: 'comparison binds looser than shift', src: 'x < 1 << 2 {\n}', want: '(if (< x (<< 1 2)) { })' },
    { name: 'bitwise binds looser than comparison', src: 'x = 1 < 2 & 3 > 4', want: '(= x (& (< 1 2) (> 3 4)))' },
    { name: 'logical binds looser than bitwise', src: 'a & b || c {\n}', want: '(if (|| (& a b) c) { })' },
    { name: 'parentheses regroup', src: 'x = 2 * (3 - 1)', want: '(= x (* 2 (- 3 1)))' },
    { name: 'unary not binds tighter than &&', src: '!a && b {\n}', want: '(if (&& (! a) b) { })' },
    { name: 'bitwise complement', src: 'x = ~y & 1', want: '(= x (& (~ y) 1))' },
    { name: 'minus before a number after an operand is subtraction', src: 'x = y -1', want: '(= x (- y 1))' },
    { name: 'a negative literal operand', src: 'x = 1 - -1', want: '(= x (- 1 -1))' },
    { name: 'postfix increment of an indexed metric', src: 'm[$1]++', want: '(post++ (index m $1))' },
    { name: 'matches against a regex and an expression', src: '$1 =~ /a/ && $2 !~ x {\n}', want: '(if (&& (=~ $1 /a/) (!~ $2 x)) { })' },
    { name: 'compound assignment', src: 'x += $1 * 2', want: '(+= x (* $1 2))' },
    { name: 'a newline may follow an operator', src: 'x = 1 +\n  2', want: '(= x (+ 1 2))' },
    { name: 'builtin calls with a pattern argument', src: 'x = subst(/a/, "b", strtol($1, 16))', want: '(= x (subst /a/ "b" (strtol $1 16)))' },
    { name: 'a call without arguments', src: 'x = timestamp()', want: '(= x (timestamp))' },
  ];
  for (const c of cases) t.equal(ok(t, c.name, c.src), c.want, c.name);
});

t.test('patterns: concatenation across lines, comments between parts', async (t) => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: 'a single regex', src: '/a/ {\n}', want: '(if /a/ { })' },
    {
      name: 'parts on several lines with comments between',
      src: '/a/ + # first part\n  # a comment line\n  /b/ + X +\n  /c/ {\n  x++\n}',
      want: '(if (pattern /a/ /b/ X /c/) { (post++ x) })',
    },
    { name: 'a const of joined fragments', src: 'const P /x/ +\n  /y/', want: '(const P (pattern /x/ /y/))' },
    { name: 'a const starting a pattern', src: 'P + /z/ {\n}', want: '(if (+ P /z/) { })' },
    { name: 'an escaped slash inside the regex', src: '/a\\/b/ {\n}', want: '(if /a/b/ { })' },
    { name: 'a pattern joined with && to a comparison', src: '/a/ && x > 1 {\n}', want: '(if (&& /a/ (> x 1)) { })' },
    { name: 'negated pattern', src: '!/a/ {\n}', want: '(if (! /a/) { })' },
  ];
  for (const c of cases) t.equal(ok(t, c.name, c.src), c.want, c.name);
});

t.test('index forms: m[$a][$b] and m[$a, $b] are the same two-key index', async (t) => {
  const a = ok(t, 'chained', 'm[$a][$b]++');
  const b = ok(t, 'comma', 'm[$a, $b]++');
  t.equal(a, '(post++ (index m $a $b))', 'chained brackets');
  t.equal(b, a, 'a comma list gives the same tree');
  t.equal(ok(t, 'mixed', 'm[$a, $b][1] = 2'), '(= (index m $a $b 1) 2)', 'both forms mixed');
});

t.test('declarations with every attribute', async (t) => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: 'plain counter', src: 'counter c', want: '(counter c)' },
    { name: 'hidden gauge with an exported name', src: 'hidden gauge g as "exported_g"', want: '(gauge g hidden as "exported_g")' },
    { name: 'keys by name and by string', src: 'counter c by a, "b c", text', want: '(counter c by a,b c,text)' },
    { name: 'histogram buckets, ints and floats', src: 'histogram h by code buckets 0, 0.5, 1, 2.5e1', want: '(histogram h by code buckets 0,0.5,1,25)' },
    { name: 'a negative lowest bucket', src: 'histogram h buckets -1, 0, 1', want: '(histogram h buckets -1,0,1)' },
    { name: 'limit', src: 'counter c by k limit 100', want: '(counter c by k limit 100)' },
    { name: 'attributes in any order', src: 'counter c limit 5 as "x" by k', want: '(counter c as "x" by k limit 5)' },
    { name: 'text and timer', src: 'text t\ntimer tm', want: '(text t)\n(timer tm)' },
    { name: 'a quoted metric name', src: 'counter "quoted-name"', want: '(counter quoted-name)' },
  ];
  for (const c of cases) t.equal(ok(t, c.name, c.src), c.want, c.name);
});

t.test('const, def/@decorator/next, del, otherwise, else, stop, one-line blocks', async (t) => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: 'const', src: 'const DATE /\\d+-\\d+/', want: '(const DATE /\\d+-\\d+/)' },
    { name: 'decorator definition and use', src: 'def wrap {\n  /x/ {\n    next\n  }\n}\n@wrap {\n  c++\n}', want: '(def wrap { (if /x/ { next }) })\n(@wrap { (post++ c) })' },
    { name: 'del', src: 'del m[$1]', want: '(del (index m $1))' },
    { name: 'del after a compound duration', src: 'del m[$1] after 1h30m', want: '(del (index m $1) after 5400000ms)' },
    { name: 'del after days', src: 'del m["a", "b"] after 2d', want: '(del (index m "a" "b") after 172800000ms)' },
    { name: 'otherwise', src: '/a/ {\n  x++\n}\notherwise {\n  y++\n}', want: '(if /a/ { (post++ x) })\n(otherwise { (post++ y) })' },
    { name: 'else', src: 'x > 1 {\n  y = 2\n} else {\n  y = 3\n}', want: '(if (> x 1) { (= y 2) } else { (= y 3) })' },
    { name: 'stop', src: '/a/ {\n  stop\n}', want: '(if /a/ { stop })' },
    { name: 'one-line block', src: '/a/ { x++ }', want: '(if /a/ { (post++ x) })' },
    { name: 'one-line block with else', src: '/a/ { x++ } else { y++ }', want: '(if /a/ { (post++ x) } else { (post++ y) })' },
    { name: 'nested one-line blocks', src: '/a/ { /b/ { x++ } }', want: '(if /a/ { (if /b/ { (post++ x) }) })' },
    { name: 'an empty block', src: '/a/ {}', want: '(if /a/ { })' },
    { name: 'comments after statements', src: 'x++ # count\ny++ # too', want: '(post++ x)\n(post++ y)' },
    { name: 'a bare block statement is only ever reached through a condition', src: '/a/ {\n  /b/ {\n  }\n}', want: '(if /a/ { (if /b/ { }) })' },
  ];
  for (const c of cases) t.equal(ok(t, c.name, c.src), c.want, c.name);
});

t.test('syntax errors: several reported from one program, parsing recovers', async (t) => {
  const src = [
    'counter a', // 1
    'a = = 1', // 2: error
    '/x/ { a++ ) }', // 3: error
    'a++ a++', // 4: error
    'del a[1] after soon', // 5: error (bad duration)
    'a++ # a comment ends this statement; a `{` on the next line would make it a condition',
    'counter b',
    '{ a++ }', // 8: error, a block without a condition
    'counter ok', // 9: still parsed
  ].join('\n');
  const { out, diags } = parseToSexpr(src);
  const lines = diags.list.map((d) => [d.code, lineOf(src, d.span.start)]);
  t.same(lines, [[Code.Expected, 2], [Code.TrailingTokens, 3], [Code.TrailingTokens, 4], [Code.BadDuration, 5], [Code.BlockWithoutCondition, 8]], 'one error per bad line, in order');
  t.match(diags.list[0].message, /expected an expression, found `=`/, 'what was found is named');
  t.match(diags.list[2].message, /unexpected `a` after the statement/, 'two statements on one line');
  t.match(diags.list[4].message, /a block needs a condition/, 'a block alone');
  t.match(out, /\(counter a\)\n\(if \/x\/ \{ \}\)\n\(post\+\+ a\)\n\(counter b\)\n\(counter ok\)$/, 'statements between the errors are kept, the bad block is dropped');
  t.match(out, /\(counter ok\)$/, 'the statement after the errors is parsed');
  t.match(out, /^\(counter a\)/, 'the statement before them too');
});

t.test('syntax errors at the end of the program', async (t) => {
  const cases: { name: string; src: string; code: Code; message: RegExp; at: number }[] = [
    { name: 'an unclosed block points at its brace', src: '/a/ {\n  x++\n', code: Code.UnclosedBlock, message: /this block is never closed/, at: 4 },
    { name: 'a stray closing brace', src: 'x++\n}', code: Code.UnmatchedBrace, message: /unexpected `}`/, at: 4 },
    { name: 'an operator with nothing after it', src: 'x = 1 +', code: Code.Expected, message: /expected an expression, found the end of the program/, at: 7 },
    { name: 'a declaration without a name', src: 'counter\nx = 1', code: Code.Expected, message: /expected a metric name after `counter`, found the end of the line/, at: 7 },
    { name: 'an unclosed call', src: 'x = len($1', code: Code.Expected, message: /expected `,` or `\)` between arguments, found the end of the program/, at: 10 },
    { name: 'an assignment as a condition', src: 'x = 1 {\n}', code: Code.AssignmentAsCondition, message: /an assignment cannot be a condition/, at: 2 },
  ];
  for (const c of cases) {
    const { diags } = parseToSexpr(c.src);
    const first = diags.list[0];
    t.ok(first, `${c.name}: reported`);
    if (!first) continue;
    t.equal(first.code, c.code, `${c.name}: code`);
    t.match(first.message, c.message, `${c.name}: message`);
    t.equal(first.span.start, c.at, `${c.name}: position`);
  }
});

t.test('the depth limit: deep nesting is one error, quickly, without a stack overflow', async (t) => {
  const n = 5000;
  const cases: { name: string; src: string }[] = [
    { name: 'nested parentheses', src: `counter x\nx = ${'('.repeat(n)}1${')'.repeat(n)}` },
    { name: 'nested blocks', src: `${'/a/ {\n'.repeat(n)}${'}\n'.repeat(n)}` },
    { name: 'repeated unary not', src: `${'!'.repeat(n)}/a/ {\n}` },
    { name: 'nested calls', src: `counter x\nx = ${'len('.repeat(n)}"a"${')'.repeat(n)}` },
    { name: 'a long left-associative chain', src: `counter x\nx = x${' + 1'.repeat(n)}` },
    { name: 'a long && chain of patterns', src: `counter x\n/a/${' && /b/'.repeat(n)} {\n  x++\n}` },
    { name: 'repeated matches', src: `counter x\n/(a)/ {\n  $1${' =~ /a/'.repeat(n)} {\n    x++\n  }\n}` },
    {
      // Flat in the text, deep once expanded: each decorator decorates with the one before
      // (1,000 deep crashed `check` and a hot-reloading daemon with a stack overflow).
      name: 'a chain of decorators, each using the previous one',
      src: `counter x\ndef d0 {\n  /a/ {\n    next\n  }\n}\n${Array.from({ length: 1000 }, (_, i) => `def d${i + 1} {\n  @d${i} {\n    next\n  }\n}\n`).join('')}@d1000 {\n  x++\n}\n`,
    },
  ];
  for (const c of cases) {
    const started = performance.now();
    let result: ReturnType<typeof compile> | undefined;
    t.doesNotThrow(() => {
      result = compile('deep.mtail', c.src);
    }, `${c.name}: compile does not throw`);
    const ms = performance.now() - started;
    const limits = [Code.TooDeep, Code.TooNested, Code.DecoratorsTooDeep];
    const deep = result?.diagnostics.filter((d) => limits.includes(d.code)) ?? [];
    t.equal(deep.length, 1, `${c.name}: one "nested deeper" error`);
    t.ok(ms < 1000, `${c.name}: well under a second (${ms.toFixed(1)} ms)`);
    t.equal(result?.generated, undefined, `${c.name}: no code`);
  }
});

t.test('many syntax errors inside nesting do not add up to a depth error', async (t) => {
  const cases: { name: string; line: string }[] = [
    { name: 'inside parentheses', line: 'x = (1 + )' },
    { name: 'inside a chain', line: 'x = 1 + 2 + )' },
    { name: 'inside a call', line: 'x = len(len( ]' },
  ];
  for (const c of cases) {
    const { diags } = parseToSexpr(`counter x\n${`${c.line}\n`.repeat(2 * MAX_NESTING)}`);
    t.equal(diags.list.filter((d) => d.code === Code.Expected || d.code === Code.TrailingTokens).length, 2 * MAX_NESTING, `${c.name}: one syntax error per line`);
    t.equal(diags.list.filter((d) => d.code === Code.TooDeep).length, 0, `${c.name}: no depth error`);
  }
});

t.test('nesting below the limit is accepted', async (t) => {
  const n = MAX_NESTING - 5;
  const cases: { name: string; src: string }[] = [
    { name: 'parentheses', src: `counter x\nx = ${'('.repeat(n)}1${')'.repeat(n)}` },
    { name: 'a chain', src: `counter x\nx = 1${' + 1'.repeat(n)}` },
  ];
  for (const c of cases) {
    const r = compile('ok.mtail', c.src);
    t.same(r.diagnostics.map((d) => d.message), [], `${c.name}: no diagnostics`);
    t.ok(r.generated, `${c.name}: compiles`);
  }
});

function lineOf(src: string, offset: number): number {
  return src.slice(0, offset).split('\n').length;
}
