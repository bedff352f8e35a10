import { Code } from './diagnostics.js';

/**
 * What `logmetrics explain CODE` prints, like `rustc --explain`: why the code is reported,
 * a program that gets it, and the same program fixed. Tests compile every `bad` example
 * and check that it reports its code, and that `good` does not.
 */
export interface Explanation {
  /** A few sentences: what is wrong and why it matters. */
  text: string;
  /** A program that is reported with this code. */
  bad: string;
  /** The program corrected. */
  good: string;
}

export const EXPLANATIONS: Record<Code, Explanation> = {
  [Code.UnexpectedChar]: {
    text: 'A character that is not part of the language: not a letter, digit, operator, quote, `#`, `$` or `@`. Often a stray character pasted with the program, or a typographic quote instead of `"`.',
    bad: 'counter lines\n/GET/ {\n  lines++ ☃\n}\n',
    good: 'counter lines\n/GET/ {\n  lines++\n}\n',
  },
  [Code.UnterminatedString]: {
    text: 'A string literal must close with `"` on the line where it starts; strings cannot span lines. A `"` inside a string is written `\\"`.',
    bad: 'text last\n/(.*)/ {\n  last = "unfinished\n}\n',
    good: 'text last\n/(.*)/ {\n  last = "finished"\n}\n',
  },
  [Code.UnterminatedRegex]: {
    text: 'A regular expression literal starts and ends with `/` on the same line; a `/` inside it is written `\\/`.',
    bad: 'counter requests\n/GET index {\n  requests++\n}\n',
    good: 'counter requests\n/GET index/ {\n  requests++\n}\n',
  },
  [Code.BadNumber]: {
    text: 'A number runs straight into letters. Numbers are written in decimal (`10`, `1.5`, `2e3`); durations take a unit (`30s`, `5m`, `1h`).',
    bad: 'counter c\n/a/ {\n  c = 10abc\n}\n',
    good: 'counter c\n/a/ {\n  c = 10\n}\n',
  },
  [Code.BadDuration]: {
    text: '`del m[...] after D` removes an element when it has not been updated for D, which must be a duration literal such as `30m`, `24h` or `1h30m`.',
    bad: 'counter c by path\n/(?P<path>\\S+)/ {\n  c[$path]++\n  del c[$path] after soon\n}\n',
    good: 'counter c by path\n/(?P<path>\\S+)/ {\n  c[$path]++\n  del c[$path] after 24h\n}\n',
  },
  [Code.BadCapref]: {
    text: '`$` introduces a capture group reference: `$1` for the first group, `$name` for a group named with `(?P<name>...)`. A `$` alone has neither.',
    bad: 'counter c by code\n/(\\d+)/ {\n  c[$ 1]++\n}\n',
    good: 'counter c by code\n/(\\d+)/ {\n  c[$1]++\n}\n',
  },
  [Code.Expected]: {
    text: 'The parser met a token it cannot use at this place; the message says what would fit. The position is where the unexpected token starts.',
    bad: 'counter c\n/a/ {\n  c = = 1\n}\n',
    good: 'counter c\n/a/ {\n  c = 1\n}\n',
  },
  [Code.TooDeep]: {
    text: 'The program\'s tree is deeper than the limit: 100 by default, as in mtail, changed with `--max-recursion-depth` (mtail\'s -max_recursion_depth). It is counted as mtail counts it: every block counts twice (the condition and its statement list), a name, an index, a call\'s arguments and each operator of a chain one level each, and arithmetic on number literals (`1 + 2 + ... + 1`) is folded into one number first. Parentheses count nothing. The limit keeps a hostile or generated program from costing the compiler too much.',
    bad: `counter c\n/a/ {\n  c = ${Array.from({ length: 100 }, () => 'c').join(' + ')}\n}\n`,
    good: 'counter c\n/a/ {\n  c = 1\n}\n',
  },
  [Code.TooNested]: {
    text: 'Fixed bounds of this compiler, separate from `--max-recursion-depth` (E011): blocks, parentheses, index brackets, calls or `!`/`~` nested more than 500 deep in the text (the parser reads each level by recursion), or a tree more than 1,200 deep (arithmetic on number literals, such as a chain of thousands of `+ 1`, counts nothing for mtail, which folds it first, but our checker walks it). They keep any program text from exhausting the stack; mtail\'s programs meet E011 long before, except for parentheses and folded arithmetic, which mtail does not count.',
    bad: `counter c\n/a/ {\n  c = ${'('.repeat(501)}1${')'.repeat(501)}\n}\n`,
    good: 'counter c\n/a/ {\n  c = 1\n}\n',
  },
  [Code.UnmatchedBrace]: {
    text: 'A `}` closes a block that was never opened; usually one `}` too many, or a `{` lost on an earlier line.',
    bad: 'counter c\n/a/ {\n  c++\n}\n}\n',
    good: 'counter c\n/a/ {\n  c++\n}\n',
  },
  [Code.UnexpectedKeyword]: {
    text: 'A keyword that cannot start a statement, such as `else` without a block before it, or `by` and `as` outside a declaration.',
    bad: 'counter c\nelse {\n  c++\n}\n',
    good: 'counter c\n/a/ {\n} else {\n  c++\n}\n',
  },
  [Code.TrailingTokens]: {
    text: 'Each statement ends at the end of its line. Two statements on one line, or a stray word after a statement, is an error.',
    bad: 'counter a\ncounter b\n/x/ {\n  a++ b++\n}\n',
    good: 'counter a\ncounter b\n/x/ {\n  a++\n  b++\n}\n',
  },
  [Code.BlockWithoutCondition]: {
    text: 'A `{ ... }` block runs when its condition holds: a pattern, a comparison, or `otherwise`. A block with nothing before it would never be reached.',
    bad: 'counter c\n{\n  c++\n}\n',
    good: 'counter c\n/a/ {\n  c++\n}\n',
  },
  [Code.AssignmentAsCondition]: {
    text: 'The condition of a block is an assignment (`=` or `+=`), which is almost always a typo for the comparison `==`.',
    bad: 'counter c\ngauge g\n/(\\d+)/ {\n  g = $1\n  g = 1 {\n    c++\n  }\n}\n',
    good: 'counter c\ngauge g\n/(\\d+)/ {\n  g = $1\n  g == 1 {\n    c++\n  }\n}\n',
  },
  [Code.UnclosedBlock]: {
    text: 'The program ends inside a block: a `{` has no matching `}`. The position is the `{` that stays open.',
    bad: 'counter c\n/a/ {\n  c++\n',
    good: 'counter c\n/a/ {\n  c++\n}\n',
  },
  [Code.BadDeclAttribute]: {
    text: 'A metric declaration takes a name and then, in any order, `by` label names, `as "exported_name"`, `buckets` bounds (histograms) and `limit` N.',
    bad: 'counter c after 1h\n/a/ {\n  c++\n}\n',
    good: 'counter c by code\n/(?P<code>\\d+)/ {\n  c[$code]++\n}\n',
  },
  [Code.UnknownName]: {
    text: 'A name is used before (or without) its declaration. Metrics are declared with `counter`, `gauge`, `histogram`, `timer` or `text`; pattern constants with `const`. A declaration is visible from its line on, in its block and the blocks inside it.',
    bad: 'counter requests\n/GET/ {\n  reqs++\n}\n',
    good: 'counter requests\n/GET/ {\n  requests++\n}\n',
  },
  [Code.UnknownCapref]: {
    text: 'A named capture group `$name` is read where no pattern defining `(?P<name>...)` is visible. Groups are visible in the block of the pattern that defines them, and in the blocks inside it.',
    bad: 'counter c by user\n/(?P<name>\\w+)/ {\n  c[$user]++\n}\n',
    good: 'counter c by user\n/(?P<user>\\w+)/ {\n  c[$user]++\n}\n',
  },
  [Code.UnknownDecorator]: {
    text: 'A block is decorated with `@name`, but no decorator `def name { ... next ... }` is defined before it.',
    bad: 'counter c\n@syslog {\n  c++\n}\n',
    good: 'counter c\ndef syslog {\n  /^\\w+ \\d+ / {\n    next\n  }\n}\n@syslog {\n  c++\n}\n',
  },
  [Code.Redeclared]: {
    text: 'The same name is declared twice in one scope: two metrics, two pattern constants, a metric and a constant, or two decorators. The message names the first declaration.',
    bad: 'counter requests\ngauge requests\n/a/ {\n  requests++\n}\n',
    good: 'counter requests\ngauge in_flight\n/a/ {\n  requests++\n  in_flight = 1\n}\n',
  },
  [Code.NextOutsideDecorator]: {
    text: '`next` marks where a decorator runs the block it decorates; it means nothing outside a `def`.',
    bad: 'counter c\n/a/ {\n  c++\n  next\n}\n',
    good: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n@d {\n  c++\n}\n',
  },
  [Code.NextTwice]: {
    text: 'A decorator runs the decorated block once, at its `next`; a second `next` in the same decorator is an error.',
    bad: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n  next\n}\n@d {\n  c++\n}\n',
    good: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n@d {\n  c++\n}\n',
  },
  [Code.NoNextInDecorator]: {
    text: 'A decorator must say with `next` where the decorated block runs; without it the decorated block would never run.',
    bad: 'counter c\ndef d {\n  /a/ {\n  }\n}\n@d {\n  c++\n}\n',
    good: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n@d {\n  c++\n}\n',
  },
  [Code.UnknownCaprefNumber]: {
    text: 'A numbered capture group `$n` is read where no visible pattern has n groups. Groups are numbered by their opening parenthesis, from 1; `$0` is the whole match.',
    bad: 'counter c by k\n/(a)(b)/ {\n  c[$3]++\n}\n',
    good: 'counter c by k\n/(a)(b)/ {\n  c[$2]++\n}\n',
  },
  [Code.DecoratorInItself]: {
    text: 'A decorator is used inside its own definition; it would decorate itself without end.',
    bad: 'counter c\ndef d {\n  @d {\n    next\n  }\n}\n@d {\n  c++\n}\n',
    good: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n@d {\n  c++\n}\n',
  },
  [Code.UnusedMetric]: {
    text: 'A metric is declared and never used. mtail refuses the whole program ("Declaration of variable `x\' here is never used."), so logmetrics does too: a program checked here loads in mtail. Remove the declaration, or update the metric somewhere.',
    bad: 'counter requests\ncounter errors\n/GET/ {\n  requests++\n}\n',
    good: 'counter requests\ncounter errors\n/GET/ {\n  requests++\n}\n/ERROR/ {\n  errors++\n}\n',
  },
  [Code.UnusedConst]: {
    text: 'A pattern constant is defined with `const` and never used in a pattern. mtail refuses such a program ("Declaration of named pattern constant ... is never used."), and so do we.',
    bad: 'counter c\nconst IP /\\d+\\.\\d+\\.\\d+\\.\\d+/\n/GET/ {\n  c++\n}\n',
    good: 'counter c\nconst IP /\\d+\\.\\d+\\.\\d+\\.\\d+/\nIP + / GET/ {\n  c++\n}\n',
  },
  [Code.UnusedDecorator]: {
    text: 'A decorator is defined with `def` and never used on a block. mtail refuses such a program ("Declaration of decorator ... is never used."), and so do we.',
    bad: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n/b/ {\n  c++\n}\n',
    good: 'counter c\ndef d {\n  /a/ {\n    next\n  }\n}\n@d {\n  c++\n}\n',
  },
  [Code.TypeMismatch]: {
    text: 'An operator is applied to values of types it does not take: arithmetic needs numbers (`+` also joins strings), comparisons need two values of comparable types. Capture groups have the type their pattern implies: `(\\d+)` is an Int, `(\\w+)` a String.',
    bad: 'gauge g\n/(\\w+) (\\d+)/ {\n  g = $1 - $2\n}\n',
    good: 'gauge g\n/(\\d+) (\\d+)/ {\n  g = $1 - $2\n}\n',
  },
  [Code.Arity]: {
    text: 'A builtin function is called with the wrong number of arguments. The message lists the parameters it takes.',
    bad: 'gauge g\n/(\\w+)/ {\n  g = len()\n}\n',
    good: 'gauge g\n/(\\w+)/ {\n  g = len($1)\n}\n',
  },
  [Code.ConstNotAssignable]: {
    text: 'A pattern constant is a fixed piece of regular expression; it cannot be assigned or incremented like a metric.',
    bad: 'const P /a/\nP + /b/ {\n}\n/c/ {\n  P = 1\n}\n',
    good: 'counter c\nconst P /a/\nP + /b/ {\n  c = 1\n}\n',
  },
  [Code.IndexMissing]: {
    text: 'A metric declared with labels (`by ...`) is used without an index; each use must say which element, one key per label.',
    bad: 'counter requests by code\n/(?P<code>\\d+)/ {\n  requests++\n}\n',
    good: 'counter requests by code\n/(?P<code>\\d+)/ {\n  requests[$code]++\n}\n',
  },
  [Code.NotACondition]: {
    text: 'A block\'s condition must be a pattern, a comparison, or a boolean expression; a number or string alone is not.',
    bad: 'counter c\ngauge g\n/(\\d+)/ {\n  g = $1\n  g {\n    c++\n  }\n}\n',
    good: 'counter c\ngauge g\n/(\\d+)/ {\n  g = $1\n  g > 0 {\n    c++\n  }\n}\n',
  },
  [Code.DivideByZero]: {
    text: 'A division or modulo by the constant 0 would fail on every line; mtail refuses it when compiling too.',
    bad: 'gauge g\n/(\\d+)/ {\n  g = $1 / 0\n}\n',
    good: 'gauge g\n/(\\d+)/ {\n  g = $1 / 2\n}\n',
  },
  [Code.BadDelete]: {
    text: '`del` removes one element (one label set) of a metric with labels; a metric without labels has no element to remove.',
    bad: 'counter c\n/a/ {\n  c++\n  del c\n}\n',
    good: 'counter c by k\n/(?P<k>a)/ {\n  c[$k]++\n  del c[$k]\n}\n',
  },
  [Code.BucketsNotHistogram]: {
    text: 'Only a histogram has buckets; a counter, gauge or timer declared with `buckets` is an error.',
    bad: 'counter hits buckets 1, 2\n/a/ {\n  hits++\n}\n',
    good: 'histogram hits buckets 1, 2\n/(\\d+)/ {\n  hits = $1\n}\n',
  },
  [Code.BadStrptimeLayout]: {
    text: 'strptime() takes a Go time layout, written with the reference time Mon Jan 2 15:04:05 MST 2006. As mtail does, the layout is checked by parsing the layout itself with it; one that cannot parse its own text (here "24" is no layout element, so ":00" meets the minutes element "4") is refused.',
    bad: '/(\\S+ \\S+)/ {\n  strptime($1, "2006-01-02 24:00")\n}\n',
    good: '/(\\S+ \\S+)/ {\n  strptime($1, "2006-01-02 15:04")\n}\n',
  },
  [Code.NotAPattern]: {
    text: 'The right side of `=~` or `!~` must be a pattern (a regex literal, a string, a number, a pattern constant, or a sum of them, checked when the program loads) or a string computed when the line runs (`$user =~ $pattern`, compiled then and cached), not a comparison, a boolean or a call that returns nothing.',
    bad: 'counter c\n/(\\w+) (\\w+)/ {\n  $1 =~ ($2 == "x") {\n    c++\n  }\n}\n',
    good: 'counter c\n/(\\w+) (\\w+)/ {\n  $1 =~ $2 {\n    c++\n  }\n}\n',
  },
  [Code.BadRegex]: {
    text: 'The pattern is not a valid RE2 regular expression. RE2 (as in mtail) has no lookaround and no backreferences, which keeps matching linear in the length of the line.',
    bad: 'counter c\n/(?<!x)a/ {\n  c++\n}\n',
    good: 'counter c\n/[^x]a/ {\n  c++\n}\n',
  },
  [Code.RegexTooLong]: {
    text: 'A pattern (after joining constants) is longer than the limit, 1024 bytes by default as in mtail; `--max-regexp-length` changes it. Long patterns are slow to compile and to match.',
    bad: `counter c\n/${'a'.repeat(1025)}/ {\n  c++\n}\n`,
    good: 'counter c\n/a{1000}/ {\n  c++\n}\n',
  },
  [Code.BadLimit]: {
    text: '`limit N` caps the number of label sets a metric keeps; N must be at least 1.',
    bad: 'counter c by k limit 0\n/(?P<k>\\w+)/ {\n  c[$k]++\n}\n',
    good: 'counter c by k limit 100\n/(?P<k>\\w+)/ {\n  c[$k]++\n}\n',
  },
  [Code.StrptimeLayoutNotLiteral]: {
    text: 'The layout of strptime() is checked when the program compiles, so it must be a string literal, not a capture or an expression.',
    bad: '/(\\S+) (\\S+)/ {\n  strptime($1, $2)\n}\n',
    good: '/(\\S+) (\\S+)/ {\n  strptime($1, "2006-01-02")\n}\n',
  },
  [Code.HistogramWithoutBuckets]: {
    text: 'A histogram needs bucket bounds: `histogram latency buckets 0.1, 0.5, 1, 5`.',
    bad: 'histogram latency\n/(\\d+)/ {\n  latency = $1\n}\n',
    good: 'histogram latency buckets 0.1, 0.5, 1, 5\n/(\\d+)/ {\n  latency = $1\n}\n',
  },
  [Code.BucketsNotIncreasing]: {
    text: 'Histogram bucket bounds must be listed in increasing order, each larger than the one before.',
    bad: 'histogram latency buckets 1, 0.5\n/(\\d+)/ {\n  latency = $1\n}\n',
    good: 'histogram latency buckets 0.5, 1\n/(\\d+)/ {\n  latency = $1\n}\n',
  },
  [Code.MetricInPattern]: {
    text: 'Only pattern constants (`const NAME /.../`) can be joined with `+` into a pattern; a metric holds a value, not a piece of regex.',
    bad: 'counter c\n/a/ + c {\n  c++\n}\n',
    good: 'counter c\nconst C /c/\n/a/ + C {\n  c++\n}\n',
  },
  [Code.BadPatternPart]: {
    text: 'A pattern joined with `+` is made of regex literals, pattern constants, and string or number literals; a capture or a call cannot be part of it.',
    bad: 'counter c\nconst P /a/\n/(\\w+)/ {\n  P + $1 {\n    c++\n  }\n}\n',
    good: 'counter c\nconst P /a/\n/(\\w+)/ {\n  P + /b/ {\n    c++\n  }\n}\n',
  },
  [Code.ConstIndexed]: {
    text: 'A pattern constant has no labels; it cannot be indexed like a metric.',
    bad: 'const P /a/\nP[1] {\n}\n',
    good: 'counter c\nconst P /a/\nP {\n  c++\n}\n',
  },
  [Code.IndexArity]: {
    text: 'An index must give exactly one key per label of the metric: `by a, b` takes `m[x, y]` or `m[x][y]`.',
    bad: 'counter c by a\n/(\\w+) (\\w+)/ {\n  c[$1, $2]++\n}\n',
    good: 'counter c by a, b\n/(\\w+) (\\w+)/ {\n  c[$1, $2]++\n}\n',
  },
  [Code.ComplementNotInt]: {
    text: 'The bitwise complement `~` works on an Int only.',
    bad: 'gauge g\n/(\\d+\\.\\d+)/ {\n  g = ~$1\n}\n',
    good: 'gauge g\n/(\\d+)/ {\n  g = ~$1\n}\n',
  },
  [Code.LogicNotBool]: {
    text: '`&&` and `||` join conditions: patterns, comparisons or other boolean expressions. A number or string is not a condition.',
    bad: 'counter c\n/(\\w+)/ {\n  "x" && /a/ {\n    c++\n  }\n}\n',
    good: 'counter c\n/(\\w+)/ {\n  $1 == "x" && /a/ {\n    c++\n  }\n}\n',
  },
  [Code.BitwiseNotInt]: {
    text: 'Bitwise operators (`&`, `|`, `^`, `<<`, `>>`) work on Ints. An operand with no value (a call of `settime()` or `strptime()`) is refused; a Float or a pattern (a match of the line, a Bool), as in mtail, compiles and fails on every line that reaches it.',
    bad: 'gauge g\n/(\\d+)/ {\n  g = settime($1) & 1\n}\n',
    good: 'gauge g\n/(\\d+)/ {\n  g = $1 & 1\n}\n',
  },
  [Code.IncrementNotInt]: {
    text: '`++` and `--` count: the metric must hold Ints. A text metric, or a gauge that is also assigned Floats, cannot be incremented.',
    bad: 'text t\n/(\\w+)/ {\n  t = $1\n  t++\n}\n',
    good: 'text t\ncounter n\n/(\\w+)/ {\n  t = $1\n  n++\n}\n',
  },
  [Code.AssignMismatch]: {
    text: 'The value cannot be stored in this metric: a pattern is never a value, a text metric holds strings, a numeric metric holds numbers.',
    bad: 'text t\n/a/ {\n  t = 1 < 2\n}\n',
    good: 'text t\n/a/ {\n  t = "yes"\n}\n',
  },
  [Code.PatternArgument]: {
    text: 'A regex is not a value: it can be matched, or be the first argument of subst(), but not passed to other builtins.',
    bad: 'gauge g\n/a/ {\n  g = len(/a/)\n}\n',
    good: 'gauge g\n/(a+)/ {\n  g = len($1)\n}\n',
  },
  [Code.PatternKey]: {
    text: 'A regex or pattern constant as an index key (`m[/re/]`) gives no label value. mtail compiles it, and then labels the datum with whatever its stack holds, such as an earlier capture; logmetrics refuses it. Index with a capture or an expression of one.',
    bad: 'counter m by k\n/(\\d+) (\\w+)/ {\n  m[/x/]++\n}\n',
    good: 'counter m by k\n/(\\d+) (\\w+)/ {\n  m[$2]++\n}\n',
  },
  [Code.TolowerNotString]: {
    text: 'tolower() takes a String. To lower-case a number first convert it with string(), or use a capture typed as a String.',
    bad: 'text t\n/(\\d+)/ {\n  t = tolower($1)\n}\n',
    good: 'text t\n/(\\w+)/ {\n  t = tolower($1)\n}\n',
  },
  [Code.BadConversion]: {
    text: 'int(), float() and string() convert values; a pattern, or a call that returns nothing (strptime, settime), has nothing to convert.',
    bad: 'gauge g\n/(\\S+)/ {\n  g = int(strptime($1, "2006"))\n}\n',
    good: 'gauge g\n/(\\S+)/ {\n  strptime($1, "2006")\n  g = timestamp()\n}\n',
  },
  [Code.IncrementNotMetric]: {
    text: '`++` and `--` change a metric; a capture group or a literal cannot be incremented.',
    bad: 'counter c\n/(\\d+)/ {\n  c++\n  $1++\n}\n',
    good: 'counter c\n/(\\d+)/ {\n  c++\n}\n',
  },
  [Code.AssignNotMetric]: {
    text: 'Only a metric (or one element of it) can be assigned; a capture group or an expression cannot.',
    bad: 'counter c\n/(\\d+)/ {\n  c++\n  $1 = 2\n}\n',
    good: 'counter c\n/(\\d+)/ {\n  c = $1\n}\n',
  },
  [Code.PatternStatement]: {
    text: 'A regex literal alone on a line matches nothing and changes nothing; usually a `{` is missing after it, or a long pattern was split over two lines without `+`.',
    bad: 'counter c\n/a/\n/b/ {\n  c++\n}\n',
    good: 'counter c\n/a/ +\n/b/ {\n  c++\n}\n',
  },
  [Code.DecoratorsTooDeep]: {
    text: 'A decorator whose body uses another decorator, whose body uses another, and so on, expands into code nested as deep as the chain. A chain longer than --max-recursion-depth (100 by default) is refused. mtail checks each decorator body once and does not count the chain, so this is a limit of ours; real programs use one or two levels.',
    bad: 'counter c\n' + Array.from({ length: 102 }, (_, i) => (i === 0 ? 'def d0 {\n  /a/ {\n    next\n  }\n}\n' : `def d${i} {\n  @d${i - 1} {\n    next\n  }\n}\n`)).join('') + '@d101 {\n  c++\n}\n',
    good: 'counter c\ndef d0 {\n  /a/ {\n    next\n  }\n}\n@d0 {\n  c++\n}\n',
  },
  [Code.NoEffect]: {
    text: 'An expression alone on a line is only a statement when it does something: an assignment, `++`/`--`, or a call such as strptime(). A computation such as `$a - $b` or a comparison computes a value and throws it away; mtail refuses it ("statement with no effect"), and so do we. Usually an assignment or a `{` is missing.',
    bad: 'gauge g\n/(?P<a>\\d+) (?P<b>\\d+)/ {\n  $a - $b\n}\n',
    good: 'gauge g\n/(?P<a>\\d+) (?P<b>\\d+)/ {\n  g = $a - $b\n}\n',
  },
  [Code.ConstStatement]: {
    text: 'A pattern constant alone on a line is accepted (mtail accepts it) but does nothing: it is neither matched nor used as a condition. Add a block after it to match it.',
    bad: 'counter c\nconst P /a/\nP\n/b/ {\n  c++\n}\n',
    good: 'counter c\nconst P /a/\nP {\n  c++\n}\n',
  },
  [Code.RenamedForExport]: {
    text: 'The name a metric is exported under must be a valid Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*). Invalid characters become `_` (mtail turns `-` into `_` and drops other invalid names); the warning says which name Prometheus will see.',
    bad: 'counter requests as "http-requests"\n/a/ {\n  requests++\n}\n',
    good: 'counter requests as "http_requests"\n/a/ {\n  requests++\n}\n',
  },
  [Code.StrftimeLayout]: {
    text: 'strptime() takes a Go time layout, written with the reference time Mon Jan 2 15:04:05 MST 2006, not a C strftime format such as %Y-%m-%d. As in mtail the program loads, but every line whose time does not read literally "%Y-%m-%d" fails at run time in that strptime(), and the rest of the program does not run for it.',
    bad: '/(\\S+)/ {\n  strptime($1, "%Y-%m-%d")\n}\n',
    good: '/(\\S+)/ {\n  strptime($1, "2006-01-02")\n}\n',
  },
  [Code.EndMark]: {
    text: 'mtail\'s lexer reads U+2424 SYMBOL FOR NEWLINE (\u2424) as the end of the program, so its fuzz tests can keep a log line after the program in one file. logmetrics does the same: where a statement could start, the mark ends the program and the rest of the file is not read, whatever it holds. (Right after a name, a number or an operator such as `+` it only ends that token, in a comment it ends the comment, and in a string or a regex it leaves them unterminated, all as in mtail.)',
    bad: 'counter lines\n/$/ {\n  lines++\n}\n\u2424\ncounter words\n/\\S+/ {\n  words++\n}\n',
    good: 'counter lines\ncounter words\n/$/ {\n  lines++\n}\n/\\S+/ {\n  words++\n}\n',
  },
};
