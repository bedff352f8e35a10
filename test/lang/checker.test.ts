// Checker: capture-group type inference, type errors, names and scopes, builtin
// calls, regex validation and limits, warnings, and reporting every error of a file.
// Capture types follow mtail's rule (types.InferCaprefType on Go's simplified regexp
// tree); each row of the first table was also run through Debian's mtail 3.0.0~rc50,
// where an Int capture "007" becomes the label "7", a Float "01.50" the label "1.5",
// and an Int compares numerically (`$1 < 10`) while a String compares as text.
import t from 'tap';
import type * as A from '../../src/lang/ast.js';
import { compile } from '../../src/lang/compile.js';
import { typeName } from '../../src/lang/types.js';

/** Diagnostics of a program as "code line:col message". */
function diagnostics(src: string): string[] {
  const r = compile('p.mtail', src);
  return r.diagnostics.map((d) => {
    const { line, col } = r.source.position(d.span.start);
    return `${d.code} ${line}:${col} ${d.message}`;
  });
}

/** The checked type of the capture reference `ref` inside `/re/`, read from the typed AST. */
function captureType(re: string, ref: string): string {
  const r = compile('p.mtail', `counter c by k\n/${re}/ {\n  c[${ref}]++\n}`);
  if (!r.generated) return `did not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`;
  const cond = r.ast!.body[1] as A.CondStmt;
  const inc = (cond.then.body[0] as A.ExprStmt).expr as A.PostfixExpr;
  return typeName((inc.expr as A.IndexExpr).keys[0].type!);
}

t.test('capture group type inference', async (t) => {
  const cases: { name: string; re: string; want: string }[] = [
    { name: 'digits are an Int', re: '(\\d+)', want: 'Int' },
    { name: 'a single digit class is a String (Go keeps it a char class)', re: '(\\d)', want: 'String' },
    { name: 'an optional sign and digits are an Int', re: '(-?\\d+)', want: 'Int' },
    { name: 'digits, a dot, digits are a Float', re: '(\\d+\\.\\d+)', want: 'Float' },
    { name: 'a class of digits and a dot is a Float', re: '([0-9.]+)', want: 'Float' },
    { name: 'a repeated dotted group has several dots: String', re: '(\\d+(\\.\\d+){3})', want: 'String' },
    { name: 'digits or a dash is a String', re: '(\\d+|-)', want: 'String' },
    { name: 'a literal zero is an Int', re: '(0)', want: 'Int' },
    { name: 'a literal e is a Float (it could be an exponent)', re: '(e)', want: 'Float' },
    { name: 'a dash alone is a String', re: '(-)', want: 'String' },
    { name: 'word characters are a String', re: '(\\w+)', want: 'String' },
    { name: 'hex digits are a String', re: '([0-9a-f]+)', want: 'String' },
    { name: 'alternatives with a common prefix are factored into an Int', re: '(12|13)', want: 'Int' },
    { name: 'single-digit alternatives become a class: String', re: '(1|2)', want: 'String' },
    { name: 'alternatives of a Float and an Int are a Float', re: '(\\d+\\.\\d+|\\d+)', want: 'Float' },
    { name: 'an optional fraction is a Float', re: '(\\d+(?:\\.\\d+)?)', want: 'Float' },
    { name: 'a bounded repeat of digits is an Int', re: '(\\d{1,3})', want: 'Int' },
  ];
  for (const c of cases) t.equal(captureType(c.re, '$1'), c.want, c.name);
});

t.test('named groups are typed like numbered ones, and $0 is the whole match', async (t) => {
  t.equal(captureType('(?P<num>\\d+)', '$num'), 'Int', 'a named Int group');
  t.equal(captureType('(?P<num>\\d+)', '$1'), 'Int', 'the same group by number');
  t.equal(captureType('(?P<v>\\d+\\.\\d+)', '$v'), 'Float', 'a named Float group');
  t.equal(captureType('(?P<w>\\w+) (?P<n>\\d+)', '$n'), 'Int', 'the second named group');
  t.equal(captureType('(?P<w>\\w+) (?P<n>\\d+)', '$w'), 'String', 'the first named group');
  t.equal(captureType('(\\d+)', '$0'), 'String', '$0 is always a String');
});

t.test('type errors', async (t) => {
  const cases: { name: string; src: string; want: string[] }[] = [
    {
      name: 'arithmetic on a String',
      src: 'gauge x\n/a/ {\n  x = "s" - 1\n}',
      want: ["E030 3:7 can't apply `-` to String and Int"],
    },
    {
      // mtail compiles it and fails when the line runs (its VM pops no float as an int).
      name: 'bitwise on a Float compiles',
      src: 'gauge x\n/a/ {\n  x = 1.5 & 1\n}',
      want: [],
    },
    {
      // A match of the line, a Bool: mtail compiles it and fails on every line, as here.
      name: 'bitwise on a pattern constant compiles',
      src: 'gauge x\nconst P /a/\n/b/ {\n  x = P & 1\n}',
      want: [],
    },
    {
      name: 'bitwise on a call with no value',
      src: 'gauge x\n/(\\d+)/ {\n  x = settime($1) & 1\n}',
      want: ['E052 3:19 `&` needs Int operands, got None and Int'],
    },
    {
      name: 'a pattern assigned to a metric',
      src: 'gauge g\n/a/ {\n  g = /x/\n}',
      want: ["E054 3:7 can't assign Pattern to `g`"],
    },
    {
      name: 'a Bool assigned to a text metric',
      src: 'text t\n/a/ {\n  t = 1 < 2\n}',
      want: ["E054 3:7 can't assign Bool to `t`, which holds String values"],
    },
    {
      name: 'increment of a text metric',
      src: 'text t\n/a/ {\n  t++\n}',
      want: ['E053 3:3 `++` needs an Int metric, and `t` holds String values'],
    },
    {
      name: 'an Int as a condition',
      src: 'counter x\n/a/ {\n  x++\n}\nx {\n}',
      want: ["E034 5:1 can't use Int as a condition"],
    },
    {
      name: 'division by a literal zero',
      src: 'gauge x\n/a/ {\n  x = 4 / 0\n}',
      want: ["E035 3:7 can't divide by zero"],
    },
    {
      // mtail folds literal arithmetic first (opt.go): the divisor is the constant 0.
      name: 'division by literal arithmetic that folds to zero',
      src: 'gauge x\n/(\\d+)/ {\n  x = $1 % (4 / 11)\n}',
      want: ["E035 3:7 can't divide by zero"],
    },
    {
      name: 'a float literal divided by a float zero',
      src: 'gauge x\n/a/ {\n  x = 1.0 / (0.5 - 0.5)\n}',
      want: ["E035 3:7 can't divide by zero"],
    },
    {
      // mtail's code generator stops on these ("can't convert Bool to Int", "no opcode for type Bool").
      name: 'a comparison in arithmetic',
      src: 'gauge x\n/(\\d+)/ {\n  x = ($1 > 1) + 2\n}',
      want: ["E030 3:7 can't apply `+` to Bool and Int"],
    },
    {
      name: 'the complement of a comparison',
      src: 'gauge x\n/(\\d+)/ {\n  x = ~($1 > 1)\n}',
      want: ['E050 3:8 `~` needs an Int, got Bool'],
    },
    {
      name: 'a comparison stored in a metric that holds no Ints yet',
      src: 'gauge x\n/(\\d+)/ {\n  x = $1 == 2\n}',
      want: ["E054 3:7 can't assign Bool to `x`"],
    },
    {
      name: 'a comparison stored in an Int metric compiles (mtail fails when the line runs)',
      src: 'gauge x\n/(\\d+)/ {\n  x = 5\n  x = $1 == 2\n}',
      want: [],
    },
    {
      name: 'a capture divided by a float zero is no error (mtail: +Inf when the line runs)',
      src: 'gauge x\n/(\\d+)/ {\n  x = $1 / (0.5 - 0.5)\n}',
      want: [],
    },
    {
      name: 'assignment to a capture reference',
      src: 'counter x\n/(a)/ {\n  $1 = 2\n  x++\n}',
      want: ["E059 3:3 can't assign to this: the left side of `=` must be a metric"],
    },
    {
      name: 'too many index keys',
      src: 'counter c by a\n/(x)/ {\n  c[$1, $1]++\n}',
      want: ['E049 3:3 too many keys for `c`: it has 1 label (a), the index gives 2'],
    },
    {
      name: 'a labelled metric used without an index',
      src: 'counter c by a\n/x/ {\n  c++\n}',
      want: ['E033 3:3 `c` has 1 label (a) but no index is given'],
    },
    {
      name: 'deleting a metric without labels',
      src: 'counter c\n/x/ {\n  c++\n  del c\n}',
      want: ['E036 4:7 only an element of a metric with labels can be deleted'],
    },
  ];
  for (const c of cases) t.same(diagnostics(c.src), c.want, c.name);
});

t.test('unknown names, with hints', async (t) => {
  const cases: { name: string; src: string; message: string; hint: RegExp }[] = [
    { name: 'an undeclared metric', src: '/a/ {\n  requests++\n}', message: 'E020 2:3 `requests` is not declared', hint: /declare it earlier: `counter requests`/ },
    { name: 'an undefined const in a pattern', src: 'counter c\n/a/ + DATE {\n  c++\n}', message: 'E020 2:7 `DATE` is not declared', hint: /const DATE/ },
    { name: 'a capture number beyond the groups', src: 'counter c by k\n/(a)(b)/ {\n  c[$3]++\n}', message: 'E027 3:5 capture group `$3` is not defined by a pattern visible here', hint: /at least 3 pairs of parentheses/ },
    { name: 'a capture name not in the pattern', src: 'counter c by k\n/(?P<a>x)/ {\n  c[$user]++\n}', message: 'E021 3:5 capture group `$user` is not defined by a pattern visible here', hint: /\(\?P<user>\.\.\.\)/ },
    { name: 'a capture outside its block', src: 'counter c by k\n/(a)/ {\n}\nc[$1]++', message: 'E027 4:3 capture group `$1` is not defined by a pattern visible here', hint: /pairs of parentheses/ },
    { name: 'an undefined decorator', src: '@nope {\n}', message: 'E022 1:1 decorator `@nope` is not defined', hint: /def nope \{ \.\.\. next \.\.\. \}/ },
  ];
  for (const c of cases) {
    const r = compile('p.mtail', c.src);
    const first = r.diagnostics.find((d) => d.severity === 'error');
    t.ok(first, `${c.name}: an error`);
    if (!first) continue;
    const { line, col } = r.source.position(first.span.start);
    t.equal(`${first.code} ${line}:${col} ${first.message}`, c.message, `${c.name}: message and position`);
    t.match(first.hint ?? '', c.hint, `${c.name}: hint`);
  }
});

t.test('redeclaration names the first declaration', async (t) => {
  const cases: { name: string; src: string; want: string }[] = [
    { name: 'a metric', src: 'counter x\ngauge x\n/a/ {\n  x++\n}', want: 'E023 2:7 `x` is already declared at p.mtail:1:9' },
    { name: 'a const', src: 'const A /a/\nconst A /b/\ncounter c\nA {\n  c++\n}', want: 'E023 2:7 `A` is already declared at p.mtail:1:7' },
    { name: 'a const after a metric of the same name', src: 'counter A\nconst A /b/\nA++', want: 'E023 2:7 `A` is already declared at p.mtail:1:9' },
    { name: 'a decorator', src: 'def d {\n  next\n}\ndef d {\n  next\n}\n@d {\n}', want: 'E023 4:1 `@d` is already declared at p.mtail:1:1' },
  ];
  for (const c of cases) t.same(diagnostics(c.src).filter((d) => d.startsWith('E')), [c.want], c.name);
});

t.test('decorators: next outside, twice, missing', async (t) => {
  const cases: { name: string; src: string; want: string[] }[] = [
    { name: 'next outside a decorator', src: 'next', want: ['E024 1:1 `next` can only be used inside a decorator definition'] },
    { name: 'next in a plain block', src: '/a/ {\n  next\n}', want: ['E024 2:3 `next` can only be used inside a decorator definition'] },
    { name: 'next twice', src: 'def d {\n  next\n  next\n}\n@d {\n}', want: ['E025 3:3 `next` appears twice in decorator `@d`'] },
    { name: 'no next', src: 'counter c\ndef d {\n  c++\n}\n@d {\n}', want: ['E026 2:1 decorator `@d` has no `next`'] },
    { name: 'a decorator used inside its own definition', src: 'def d {\n  @d {\n  }\n  next\n}\n@d {\n}', want: ['E028 2:3 decorator `@d` is used inside its own definition'] },
  ];
  for (const c of cases) t.same(diagnostics(c.src), c.want, c.name);
});

t.test('builtin arity', async (t) => {
  const cases: { name: string; call: string; want: string }[] = [
    { name: 'len without arguments', call: 'len()', want: 'len() takes 1 argument (string), but 0 are given' },
    { name: 'strtol with one argument', call: 'strtol("1")', want: 'strtol() takes 2 arguments (string, base), but 1 is given' },
    { name: 'timestamp with an argument', call: 'timestamp(1)', want: 'timestamp() takes no arguments, but 1 is given' },
    { name: 'subst with two arguments', call: 'subst("a", "b")', want: 'subst() takes 3 arguments (old (string or /regex/), new, value), but 2 are given' },
    { name: 'int with two arguments', call: 'int(1, 2)', want: 'int() takes 1 argument (value), but 2 are given' },
  ];
  for (const c of cases) {
    t.same(diagnostics(`gauge x\n/a/ {\n  x = ${c.call}\n}`), [`E031 3:7 ${c.want}`], c.name);
  }
});

t.test('invalid regexes are reported with RE2\'s reason', async (t) => {
  const cases: { name: string; re: string; reason: RegExp }[] = [
    { name: 'an unclosed group', re: '(a', reason: /missing \)/ },
    { name: 'a reversed repeat', re: 'a{2,1}', reason: /invalid repetition size/ },
    { name: 'lookbehind (not RE2)', re: '(?<!x)a', reason: /invalid perl operator/ },
    { name: 'a backreference (not RE2)', re: '(a)\\1', reason: /invalid escape sequence/ },
    { name: 'a reversed class range', re: '[z-a]', reason: /invalid character class range/ },
    { name: 'a repeat count above 1000', re: 'x{1001}', reason: /invalid repetition size/ },
  ];
  for (const c of cases) {
    const d = diagnostics(`counter c\n/${c.re}/ {\n  c++\n}`);
    t.equal(d.length, 1, `${c.name}: one diagnostic`);
    t.match(d[0] ?? '', /^E040 2:1 invalid regular expression: /, `${c.name}: code and position`);
    t.match(d[0] ?? '', c.reason, `${c.name}: RE2's reason`);
  }
});

t.test('patterns longer than 1024 bytes are rejected, counted in UTF-8 bytes', async (t) => {
  const cases: { name: string; src: string; error: boolean }[] = [
    { name: 'exactly 1024 bytes', src: `counter c\n/${'a'.repeat(1024)}/ {\n  c++\n}`, error: false },
    { name: '1025 bytes', src: `counter c\n/${'a'.repeat(1025)}/ {\n  c++\n}`, error: true },
    { name: '513 two-byte characters (1026 bytes)', src: `counter c\n/${'é'.repeat(513)}/ {\n  c++\n}`, error: true },
    { name: 'const fragments joined past the limit', src: `const A /${'a'.repeat(600)}/\ncounter c\n/${'b'.repeat(600)}/ + A {\n  c++\n}`, error: true },
  ];
  for (const c of cases) {
    const d = diagnostics(c.src).filter((x) => x.startsWith('E'));
    if (c.error) t.match(d, [/^E041 .* bytes long, more than the maximum of 1024$/], c.name);
    else t.same(d, [], c.name);
  }
});

t.test('builtin argument checks', async (t) => {
  const cases: { name: string; src: string; want: string[] }[] = [
    { name: 'tolower of an Int literal', src: 'text t\n/a/ {\n  t = tolower(3)\n}', want: ['E056 3:15 tolower() needs a String, got Int'] },
    { name: 'tolower of an Int capture', src: 'text t\n/(\\d+)/ {\n  t = tolower($1)\n}', want: ['E056 3:15 tolower() needs a String, got Int'] },
    {
      name: 'strptime with a strftime layout: a warning, the program loads as in mtail',
      src: '/(\\S+)/ {\n  strptime($1, "%Y-%m-%d")\n}',
      want: ['W004 2:16 time layout "%Y-%m-%d" looks like a strftime format (%Y, %m, ...), but strptime takes Go layouts: lines will fail to parse'],
    },
    {
      name: 'strptime with a Go layout that does not parse itself',
      src: '/(\\S+ \\S+)/ {\n  strptime($1, "2006-01-02 24:00")\n}',
      want: ['E038 2:16 invalid time layout "2006-01-02 24:00": parsing time "2006-01-02 24:00" as "2006-01-02 24:00": cannot parse ":00" as "4"'],
    },
    { name: 'strptime with a computed layout', src: '/(\\S+) (\\S+)/ {\n  strptime($1, $2)\n}', want: ['E043 2:16 the layout of strptime() must be a string literal'] },
    { name: 'a pattern as an argument', src: 'gauge x\n/a/ {\n  x = len(/b/)\n}', want: ["E055 3:11 a pattern can't be an argument of len()"] },
  ];
  for (const c of cases) t.same(diagnostics(c.src), c.want, c.name);
});

t.test('an unused metric, pattern constant or decorator is an error, as in mtail', async (t) => {
  const r = compile('p.mtail', 'counter used\ncounter unused\nconst F /x/\ndef d {\n  next\n}\n/a/ {\n  used++\n}');
  t.same(
    r.diagnostics.map((d) => [d.code, d.severity, d.message]),
    [
      ['E060', 'error', 'metric `unused` is declared but never used'],
      ['E061', 'error', 'pattern constant `F` is defined but never used'],
      ['E062', 'error', 'decorator `@d` is defined but never used'],
    ],
    'an error for each unused declaration',
  );
  t.notOk(r.generated, 'no code is generated');
});

t.test('after a syntax error, no "never used" warnings are guessed', async (t) => {
  const d = diagnostics('counter x\n/a/ {\n  x = = 1\n}');
  t.same(d, ['E010 3:7 expected an expression, found `=`'], 'only the syntax error');
});

t.test('every error of a file is reported, in source order', async (t) => {
  const src = [
    'counter c by k', // 1
    'gauge g', // 2
    '/(\\d+) (\\w+)/ {', // 3
    '  c[$3]++', // 4: unknown capref
    '  missing++', // 5: undeclared
    '  g = "a" * 2', // 6: type error
    '  g = tolower(1)', // 7: tolower of an Int
    '  g = len()', // 8: arity
    '}',
    '/(/ {', // 10: bad regex
    '  c[$1]++', // 11: its captures are unknown, reported too
    '}',
    'next', // 13
  ].join('\n');
  const d = diagnostics(src).map((x) => x.split(' ').slice(0, 2).join(' '));
  t.same(d, ['E027 4:5', 'E020 5:3', 'E030 6:7', 'E056 7:15', 'E031 8:7', 'E040 10:1', 'E027 11:5', 'E024 13:1'], 'all eight, ordered by position');
  t.equal(compile('p.mtail', src).generated, undefined, 'no code for a program with errors');
});

t.test('valid programs have no diagnostics', async (t) => {
  const cases: { name: string; src: string }[] = [
    { name: 'the README-style counter', src: 'counter lines_total\n/$/ {\n  lines_total++\n}' },
    { name: 'a histogram observed from a Float capture', src: 'histogram latency buckets 0.1, 1, 10\n/took (\\d+\\.\\d+)s/ {\n  latency = $1\n}' },
    { name: 'decorator captures used in the decorated block', src: 'counter c by user\ndef who {\n  /^(?P<user>\\w+)/ {\n    next\n  }\n}\n@who {\n  c[$user]++\n}' },
    { name: 'const fragments', src: 'const IP /\\d+\\.\\d+\\.\\d+\\.\\d+/\ncounter c by ip\n/from (/ + IP + /)/ {\n  c[$1]++\n}' },
    { name: 'string concatenation', src: 'text t\n/(\\d+)/ {\n  t = "n=" + $1\n}' },
    { name: 'a Go strptime layout', src: '/(\\S+)/ {\n  strptime($1, "2006-01-02T15:04:05Z07:00")\n}' },
  ];
  for (const c of cases) {
    const r = compile('p.mtail', c.src);
    t.same(r.diagnostics.map((d) => d.message), [], c.name);
    t.ok(r.generated, `${c.name}: compiles`);
  }
});
