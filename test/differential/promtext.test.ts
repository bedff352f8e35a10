// The exposition reader the differential runner compares with: named cases
// for what it must accept (mtail's and Prometheus' spellings of the same
// numbers), what it must reject, and how two sample sets are diffed.
import t from 'tap';
import {
  diffSamples,
  formatDiff,
  indexSamples,
  isEmptyDiff,
  parseExposition,
  parseSampleLine,
  sampleKey,
  type Sample,
} from '../helpers/promtext.js';

const accepted: Array<{ name: string; line: string; want: Sample }> = [
  { name: 'bare name', line: 'up 1', want: { name: 'up', labels: {}, value: 1 } },
  {
    name: 'labels in any order',
    line: 'x{prog="prog.mtail",code="200"} 3',
    want: { name: 'x', labels: { prog: 'prog.mtail', code: '200' }, value: 3 },
  },
  { name: 'Go exponent form', line: 'big 1.234567e+06', want: { name: 'big', labels: {}, value: 1234567 } },
  { name: 'negative exponent', line: 'small 5e-07', want: { name: 'small', labels: {}, value: 5e-7 } },
  { name: '+Inf', line: 'h_bucket{le="+Inf"} +Inf', want: { name: 'h_bucket', labels: { le: '+Inf' }, value: Infinity } },
  { name: '-Inf', line: 'g -Inf', want: { name: 'g', labels: {}, value: -Infinity } },
  {
    name: 'escapes in label values',
    line: 'm{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 2',
    want: { name: 'm', labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' }, value: 2 },
  },
  {
    name: 'commas, braces and unicode inside a value',
    line: 'm{path="/a,b}{c",user="σίσυφοσ😀"} 1',
    want: { name: 'm', labels: { path: '/a,b}{c', user: 'σίσυφοσ😀' }, value: 1 },
  },
  { name: 'trailing comma', line: 'm{a="1",} 4', want: { name: 'm', labels: { a: '1' }, value: 4 } },
  { name: 'empty label set', line: 'm{} 4', want: { name: 'm', labels: {}, value: 4 } },
  { name: 'timestamp after the value', line: 'm 7 1700000000000', want: { name: 'm', labels: {}, value: 7 } },
  { name: 'colon in a metric name', line: 'job:rate5m 0.5', want: { name: 'job:rate5m', labels: {}, value: 0.5 } },
];

for (const c of accepted) {
  t.test(`accepts: ${c.name}`, async (t) => {
    const { name, labels, value } = parseSampleLine(c.line);
    t.same({ name, labels, value }, c.want);
  });
}

t.test('accepts: NaN', async (t) => {
  t.ok(Number.isNaN(parseSampleLine('m NaN').value));
});

const rejected: Array<{ name: string; line: string; reason: RegExp }> = [
  { name: 'no value', line: 'm{a="1"}', reason: /value/ },
  { name: 'unquoted label value', line: 'm{a=1} 2', reason: /quoted/ },
  { name: 'unterminated label value', line: 'm{a="1} 2', reason: /unterminated/ },
  { name: 'unknown escape', line: 'm{a="\\t"} 2', reason: /escape/ },
  { name: 'value that is not a number', line: 'm 12abc', reason: /bad value/ },
  { name: 'name starting with a digit', line: '9m 1', reason: /metric name/ },
  { name: 'repeated label', line: 'm{a="1",a="2"} 1', reason: /given twice/ },
  { name: 'three fields', line: 'm 1 2 3', reason: /timestamp/ },
];

for (const c of rejected) {
  t.test(`rejects: ${c.name}`, async (t) => {
    t.throws(() => parseSampleLine(c.line), { message: c.reason });
  });
}

t.test('a whole exposition: comments and blank lines skipped, line numbers in errors', async (t) => {
  const text = [
    '# HELP c defined at prog.mtail:1:9',
    '# TYPE c counter',
    'c{prog="prog.mtail"} 3',
    '',
    '# EOF',
    'h_sum{prog="prog.mtail"} 1.5\r',
  ].join('\n');
  t.same(parseExposition(text).map(({ name, labels, value }) => ({ name, labels, value })), [
    { name: 'c', labels: { prog: 'prog.mtail' }, value: 3 },
    { name: 'h_sum', labels: { prog: 'prog.mtail' }, value: 1.5 },
  ]);
  t.throws(() => parseExposition('# ok\nc 1\nc{ 2\n'), { message: /^line 3:/ });
});

t.test('sample keys sort labels and escape values', async (t) => {
  t.equal(sampleKey({ name: 'm', labels: { z: '1', a: 'x"y' } }), 'm{a="x\\"y",z="1"}');
  t.equal(sampleKey({ name: 'm', labels: {} }), 'm');
});

t.test('a sample printed twice is reported', async (t) => {
  const samples = parseExposition('m{a="1",b="2"} 1\nm{b="2",a="1"} 1\nn 1\n');
  t.same(indexSamples(samples).duplicates, ['m{a="1",b="2"}']);
});

t.test('diff: the same numbers in different spellings and orders are equal', async (t) => {
  const mtail = parseExposition('b{prog="p"} 1.234567e+06\na{x="1",prog="p"} 3\nc NaN\nd +Inf\n');
  const ours = parseExposition('a{prog="p",x="1"} 3.0\nb{prog="p"} 1234567\nc NaN\nd +Inf\n');
  t.ok(isEmptyDiff(diffSamples(ours, mtail)));
});

t.test('diff: missing, unexpected and changed samples are all reported', async (t) => {
  const mtail = parseExposition('a 1\nb 2\nc 3\n');
  const ours = parseExposition('a 1\nb 2.5\nd 4\n');
  const diff = diffSamples(ours, mtail);
  t.same(diff.missing.map(sampleKey), ['c']);
  t.same(diff.unexpected.map(sampleKey), ['d']);
  t.same(diff.changed, [{ key: 'b', actual: 2.5, expected: 2 }]);
  t.equal(
    formatDiff(diff, 'logmetrics', 'mtail'),
    ['- only in mtail: c 3', '+ only in logmetrics: d 4', '~ b: logmetrics 2.5, mtail 2'].join('\n'),
  );
});

t.test('diff: a NaN against a number differs', async (t) => {
  t.notOk(isEmptyDiff(diffSamples(parseExposition('a NaN\n'), parseExposition('a 0\n'))));
});
