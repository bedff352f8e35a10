// Lexer: tokens, spans, newline flags, the regex rescan and lexical diagnostics.
// Expected tokens follow mtail's lexer (internal/runtime/compiler/parser/lexer.go):
// only \" is decoded in strings and only \/ in regexes, keywords and builtins are
// reserved words, identifiers may be Unicode letters.
import t from 'tap';
import { Code, Diagnostics } from '../../src/lang/diagnostics.js';
import { Lexer } from '../../src/lang/lexer.js';
import { lexAll } from './helpers.js';

/** Tokens as "kind text" strings. */
function kinds(src: string): string[] {
  return lexAll(src).tokens.map((tok) => `${tok.kind} ${tok.text}`);
}

t.test('tokens of representative inputs', async (t) => {
  const cases: { name: string; src: string; want: string[] }[] = [
    { name: 'power is one token, not two stars', src: 'a ** b * c', want: ['id a', 'op **', 'id b', 'op *', 'id c'] },
    { name: 'match operators', src: '$1 =~ x !~ y', want: ['capref 1', 'op =~', 'id x', 'op !~', 'id y'] },
    { name: 'compound assignment and increment', src: 'x += 2\ny++\nz--', want: ['id x', 'op +=', 'int 2', 'id y', 'op ++', 'id z', 'op --'] },
    {
      name: 'two-character comparisons and shifts',
      src: '<= >= == != << >> && || < > = !',
      want: ['op <=', 'op >=', 'op ==', 'op !=', 'op <<', 'op >>', 'op &&', 'op ||', 'op <', 'op >', 'op =', 'op !'],
    },
    { name: 'bitwise operators and punctuation', src: '& | ^ ~ { } ( ) [ ] , %', want: ['op &', 'op |', 'op ^', 'op ~', 'op {', 'op }', 'op (', 'op )', 'op [', 'op ]', 'op ,', 'op %'] },
    { name: 'minus after an operand is subtraction', src: 'x -1', want: ['id x', 'op -', 'int 1'] },
    { name: 'minus at the start of an operand is a negative literal', src: 'x = -1', want: ['id x', 'op =', 'int -1'] },
    { name: 'minus then a negative literal', src: 'x - -1', want: ['id x', 'op -', 'int -1'] },
    { name: 'minus after a closing parenthesis is subtraction', src: '(x)-1', want: ['op (', 'id x', 'op )', 'op -', 'int 1'] },
    { name: 'minus after a capture reference is subtraction', src: '$1-2', want: ['capref 1', 'op -', 'int 2'] },
    { name: 'a negative literal on a new line', src: 'x\n-1', want: ['id x', 'int -1'] },
    { name: 'minus separated by a space is an operator', src: '- 1', want: ['op -', 'int 1'] },
    { name: 'negative float after a comma', src: 'buckets -0.5, -1', want: ['keyword buckets', 'float -0.5', 'op ,', 'int -1'] },
    { name: 'durations', src: '1h30m 30s 1.5h 250ms 7d', want: ['duration 1h30m', 'duration 30s', 'duration 1.5h', 'duration 250ms', 'duration 7d'] },
    { name: 'floats', src: '1.5 .5 1e3 1.5e-3 2E+2 7.', want: ['float 1.5', 'float .5', 'float 1e3', 'float 1.5e-3', 'float 2E+2', 'float 7.'] },
    { name: 'escaped quote is decoded', src: '"a\\"b"', want: ['string a"b'] },
    { name: 'other escapes keep their backslash', src: '"a\\tb\\n\\\\"', want: ['string a\\tb\\n\\\\'] },
    { name: 'an empty string', src: '""', want: ['string '] },
    { name: 'numbered and named capture references', src: '$1 $name $0 $x_2', want: ['capref 1', 'capref name', 'capref 0', 'capref x_2'] },
    { name: 'decorators', src: '@x @my_deco', want: ['deco x', 'deco my_deco'] },
    { name: 'keywords, builtins and identifiers', src: 'counter len lenx otherwise strptime text_1', want: ['keyword counter', 'builtin len', 'id lenx', 'keyword otherwise', 'builtin strptime', 'id text_1'] },
    { name: 'a comment runs to the end of the line', src: 'x # y "z /w/\nv', want: ['id x', 'id v'] },
    { name: 'a comment at the end of the input', src: 'x # no newline', want: ['id x'] },
    { name: 'Unicode identifiers', src: 'größe Σx ünï_2', want: ['id größe', 'id Σx', 'id ünï_2'] },
    { name: 'Unicode capture names', src: '$größe', want: ['capref größe'] },
    { name: 'a slash is an operator until the parser rescans it', src: '/a/', want: ['op /', 'id a', 'op /'] },
  ];
  for (const c of cases) {
    const { diags } = lexAll(c.src);
    t.same(kinds(c.src), c.want, c.name);
    t.equal(diags.list.length, 0, `${c.name}: no diagnostics`);
  }
});

t.test('spans are half-open offsets into the source', async (t) => {
  const { tokens } = lexAll('ab  "c\\"d" $e\n  1h');
  t.same(
    tokens.map((tok) => [tok.start, tok.end]),
    [[0, 2], [4, 10], [11, 13], [16, 18]],
    'id, string with its quotes and escape, capref with its $, duration',
  );
});

t.test('nlBefore marks the first token of a line, comment lines included', async (t) => {
  const cases: { name: string; src: string; want: boolean[] }[] = [
    { name: 'two tokens on one line', src: 'a b', want: [false, false] },
    { name: 'second line', src: 'a\nb c', want: [false, true, false] },
    { name: 'blank and comment lines between', src: 'a\n\n# note\n  b', want: [false, true] },
    { name: 'a comment after a token', src: 'a # note\nb', want: [false, true] },
    { name: 'a leading newline', src: '\na', want: [true] },
    { name: 'CRLF line ends', src: 'a\r\nb', want: [false, true] },
  ];
  for (const c of cases) t.same(lexAll(c.src).tokens.map((tok) => tok.nlBefore), c.want, c.name);
});

t.test('rescanRegex reads a regex literal where the parser expects one', async (t) => {
  const cases: { name: string; src: string; want: string; end: number; next: string }[] = [
    { name: 'plain', src: '/a+b/ {', want: 'a+b', end: 5, next: 'op {' },
    { name: 'escaped slash becomes a slash', src: '/a\\/b/ x', want: 'a/b', end: 6, next: 'id x' },
    { name: 'other escapes are kept for RE2', src: '/\\d+\\.\\s/', want: '\\d+\\.\\s', end: 9, next: 'eof ' },
    { name: 'a # inside a regex is not a comment', src: '/a#b/ c', want: 'a#b', end: 5, next: 'id c' },
    { name: 'quotes inside a regex', src: '/"x"/', want: '"x"', end: 5, next: 'eof ' },
  ];
  for (const c of cases) {
    const diags = new Diagnostics();
    const lexer = new Lexer(c.src, diags);
    const slash = lexer.next();
    t.equal(slash.text, '/', `${c.name}: lexed as a slash first`);
    const re = lexer.rescanRegex(slash);
    t.equal(re.kind, 'regex', `${c.name}: kind`);
    t.equal(re.text, c.want, `${c.name}: text`);
    t.same([re.start, re.end], [0, c.end], `${c.name}: span`);
    const next = lexer.next();
    t.equal(`${next.kind} ${next.text}`, c.next, `${c.name}: lexing goes on after the regex`);
    t.equal(diags.list.length, 0, `${c.name}: no diagnostics`);
  }
});

t.test('an unterminated regex is reported up to the end of its line', async (t) => {
  const diags = new Diagnostics();
  const lexer = new Lexer('/abc\nx', diags);
  const re = lexer.rescanRegex(lexer.next());
  t.equal(re.text, 'abc', 'the text so far');
  t.same(diags.list.map((d) => [d.code, d.span.start, d.span.end]), [[Code.UnterminatedRegex, 1, 4]], 'E003 over the regex text, after the slash (where mtail points)');
  const next = lexer.next();
  t.same([next.kind, next.text, next.nlBefore], ['id', 'x', true], 'the next line lexes normally');
});

t.test('a regex missing its closing slash before a brace ends before the brace', async (t) => {
  const cases: { name: string; src: string; text: string; end: number; next: string; recovered: boolean }[] = [
    { name: 'pattern then brace', src: '/ERR (.*) {\n', text: 'ERR (.*)', end: 9, next: 'op {', recovered: true },
    { name: 'CRLF after the brace', src: '/a {\r\n', text: 'a', end: 2, next: 'op {', recovered: true },
    { name: 'an escaped space before the brace is part of the regex', src: '/a\\ {\nx', text: 'a\\ {', end: 5, next: 'id x', recovered: false },
  ];
  for (const c of cases) {
    const diags = new Diagnostics();
    const lexer = new Lexer(c.src, diags);
    const re = lexer.rescanRegex(lexer.next());
    t.equal(re.text, c.text, `${c.name}: text`);
    t.same(diags.list.map((d) => [d.code, d.span.start, d.span.end]), [[Code.UnterminatedRegex, 1, c.end]], `${c.name}: E003 from after the slash up to the regex end`);
    t.match(diags.list[0]?.hint ?? '', c.recovered ? /before the `\{`/ : /on the same line/, `${c.name}: hint`);
    const next = lexer.next();
    t.equal(`${next.kind} ${next.text}`, c.next, `${c.name}: next token`);
  }
});

t.test('invalid input gives diagnostics with spans, and lexing goes on', async (t) => {
  const cases: { name: string; src: string; want: [Code, number, number][]; tokens: string[] }[] = [
    { name: 'a character outside the language', src: 'a ☃ b', want: [[Code.UnexpectedChar, 2, 3]], tokens: ['id a', 'invalid ☃', 'id b'] },
    { name: 'an astral character is one token', src: '😀x', want: [[Code.UnexpectedChar, 0, 2]], tokens: ['invalid 😀', 'id x'] },
    { name: 'a backtick', src: 'x`', want: [[Code.UnexpectedChar, 1, 2]], tokens: ['id x', 'invalid `'] },
    { name: 'a dollar without a name', src: '$ x', want: [[Code.BadCapref, 0, 1]], tokens: ['invalid $', 'id x'] },
    { name: 'letters glued to a number', src: '3x y', want: [[Code.BadNumber, 0, 2]], tokens: ['invalid 3', 'id y'] },
    { name: 'an exponent without digits', src: '1e', want: [[Code.BadNumber, 0, 2]], tokens: ['invalid 1'] },
    // mtail's lexer refuses an int literal beyond int64 (an INVALID token); MinInt64 itself is fine.
    { name: 'an int beyond int64', src: '9223372036854775808 x', want: [[Code.BadNumber, 0, 19]], tokens: ['invalid 9223372036854775808', 'id x'] },
    { name: 'MaxInt64', src: '9223372036854775807', want: [], tokens: ['int 9223372036854775807'] },
    { name: 'MinInt64', src: '-9223372036854775808', want: [], tokens: ['int -9223372036854775808'] },
    { name: 'below MinInt64', src: '-9223372036854775809', want: [[Code.BadNumber, 0, 20]], tokens: ['invalid -9223372036854775809'] },
    { name: 'an unterminated string stops at the newline', src: '"abc\nx', want: [[Code.UnterminatedString, 0, 4]], tokens: ['string abc', 'id x'] },
    { name: 'a backslash before the newline does not escape it', src: '"ab\\\nx', want: [[Code.UnterminatedString, 0, 4]], tokens: ['string ab\\', 'id x'] },
  ];
  for (const c of cases) {
    const { tokens, diags } = lexAll(c.src);
    t.same(diags.list.map((d) => [d.code, d.span.start, d.span.end]), c.want, `${c.name}: diagnostics`);
    t.same(tokens.map((tok) => `${tok.kind} ${tok.text}`), c.tokens, `${c.name}: tokens`);
    t.ok(diags.list.every((d) => d.severity === 'error'), `${c.name}: errors, not warnings`);
  }
});

// U+2424 as mtail's lexer reads it (lexer.go's next() makes it eof): checked against mtail
// 3.0.0~rc50 case by case (verdicts and counts), see fixtures/differential/81-end-mark.
t.test('U+2424 ends the program where a token starts, and only ends a token it follows', async (t) => {
  const M = '\u2424';
  const cases: { name: string; src: string; want: string[]; codes: string[] }[] = [
    { name: 'at the start of a line: nothing after it is read', src: `a\n${M}\nb "c`, want: ['id a'], codes: [Code.EndMark] },
    { name: 'after spaces', src: `a  ${M} b`, want: ['id a'], codes: [Code.EndMark] },
    { name: 'with only blanks after it: no warning', src: `a\n${M}\n  \n`, want: ['id a'], codes: [] },
    { name: 'right after a name: ends the name only', src: `a${M}++ b`, want: ['id a', 'op ++', 'id b'], codes: [] },
    { name: 'right after a number', src: `1${M}2`, want: ['int 1', 'int 2'], codes: [] },
    { name: 'right after a capture reference', src: `$a${M}]`, want: ['capref a', 'op ]'], codes: [] },
    { name: 'right after an operator mtail reads past', src: `1 *${M} 2 -${M}1`, want: ['int 1', 'op *', 'int 2', 'op -', 'int 1'], codes: [] },
    { name: 'right after a two-character operator: the end', src: `a++${M} b`, want: ['id a', 'op ++'], codes: [Code.EndMark] },
    { name: 'right after an operator mtail does not read past: the end', src: `a /${M} b`, want: ['id a', 'op /'], codes: [Code.EndMark] },
    { name: 'two after a name: the second is the end', src: `a${M}${M}b`, want: ['id a'], codes: [Code.EndMark] },
    { name: 'in a comment: ends the comment, the rest of the line is read', src: `a # x ${M} b\nc`, want: ['id a', 'id b', 'id c'], codes: [] },
    { name: 'in a string: unterminated, and reading goes on after it', src: `"ab${M}c"`, want: ['string ab', 'id c', 'string '], codes: [Code.UnterminatedString, Code.UnterminatedString] },
    { name: 'an escaped mark in a string is no escape', src: `"a\\${M}"`, want: ['string a\\', 'string '], codes: [Code.UnterminatedString, Code.UnterminatedString] },
  ];
  for (const c of cases) {
    const { diags } = lexAll(c.src);
    t.same(kinds(c.src), c.want, c.name);
    t.same(diags.list.map((d) => d.code), c.codes, `${c.name}: diagnostics`);
  }
});

t.test('U+2424 in a regex leaves it unterminated, as mtail', async (t) => {
  const diags = new Diagnostics();
  const lexer = new Lexer(`/a\u2424b/ x`, diags);
  const re = lexer.rescanRegex(lexer.next());
  t.same([re.kind, re.text, re.end], ['regex', 'a', 2], 'the regex ends at the mark');
  t.same(diags.list.map((d) => d.code), [Code.UnterminatedRegex]);
  t.same([lexer.next().text, lexer.next().text], ['b', '/'], 'reading goes on after the mark');
});
