// Shared escaping, number spelling and chunking.
import t from 'tap';
import {
  ChunkedOutput,
  escapeHelpOpenMetrics,
  escapeHelpPrometheus,
  escapeLabelValue,
  formatTimestampMs,
  formatTimestampSeconds,
  formatValue,
} from '../../src/export/textformat.js';
import { Store } from '../../src/metrics/index.js';
import { renderPrometheus, prometheusText } from '../../src/export/prometheus.js';
import { addMetric, spec } from '../metrics/helpers.js';

t.test('formatValue: integers whole, floats shortest, specials as the formats spell them', async (t) => {
  const cases: [number, string][] = [
    [0, '0'],
    [12345678, '12345678'],
    [-3, '-3'],
    [9007199254740993, '9007199254740992'],
    [0.1, '0.1'],
    [1e21, '1e+21'],
    [1.5e-7, '1.5e-7'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) t.equal(formatValue(v), want, `${v} -> ${want}`);
});

t.test('escaping', async (t) => {
  const cases: [string, (s: string) => string, string, string][] = [
    ['1 label: plain text untouched', escapeLabelValue, 'GET /index.html', 'GET /index.html'],
    ['2 label: quote', escapeLabelValue, 'a"b', 'a\\"b'],
    ['3 label: backslash', escapeLabelValue, 'a\\b', 'a\\\\b'],
    ['4 label: newline', escapeLabelValue, 'a\nb', 'a\\nb'],
    ['5 label: all three, repeated', escapeLabelValue, '\\"\n\\"\n', '\\\\\\"\\n\\\\\\"\\n'],
    ['6 label: tab and CR stay raw', escapeLabelValue, 'a\tb\rc', 'a\tb\rc'],
    ['7 Prometheus HELP keeps quotes', escapeHelpPrometheus, 'a"b\\c\nd', 'a"b\\\\c\\nd'],
    ['8 OpenMetrics HELP escapes quotes', escapeHelpOpenMetrics, 'a"b\\c\nd', 'a\\"b\\\\c\\nd'],
  ];
  for (const [name, f, input, want] of cases) t.equal(f(input), want, name);
});

t.test('timestamps', async (t) => {
  t.equal(formatTimestampMs(1700000000123), '1700000000123', 'Prometheus: integer ms');
  t.equal(formatTimestampMs(1700000000123.7), '1700000000123', 'Prometheus: fraction of a ms dropped');
  t.equal(formatTimestampSeconds(1700000000123), '1700000000.123', 'OpenMetrics: seconds with ms fraction');
  t.equal(formatTimestampSeconds(1700000000000), '1700000000', 'OpenMetrics: whole seconds');
  t.equal(formatTimestampSeconds(0), '0', 'OpenMetrics: epoch');
});

t.test('ChunkedOutput writes chunks of about the requested size', async (t) => {
  const chunks: string[] = [];
  const out = new ChunkedOutput((c) => chunks.push(c), 10);
  for (const s of ['abc', 'defgh', 'ij', 'k', 'lmnopqrstu', 'v']) out.push(s);
  t.same(chunks, ['abcdefghij', 'klmnopqrstu'], 'flushes once the buffer reaches the size');
  out.end();
  t.same(chunks, ['abcdefghij', 'klmnopqrstu', 'v'], 'end writes the rest');
  out.end();
  t.equal(chunks.length, 3, 'end twice writes nothing more');
});

t.test('renderPrometheus streams a large store in moderate chunks', async (t) => {
  const store = new Store();
  const datums = Array.from({ length: 5000 }, (_, i) => [[`/path/${i}`], i] as [string[], number]);
  addMetric(store, spec({ name: 'hits', kind: 'counter', keys: ['path'] }), datums);
  const chunks: string[] = [];
  renderPrometheus(store, { chunkSize: 4096 }, (c) => chunks.push(c));
  const whole = chunks.join('');
  t.equal(whole, prometheusText(store), 'the chunks add up to the whole exposition');
  t.ok(chunks.length > 20, `many chunks (${chunks.length}), not one giant string`);
  const lineCount = whole.split('\n').length - 1;
  t.ok(chunks.length < lineCount / 20, 'far fewer chunks than samples');
  const longest = Math.max(...chunks.map((c) => c.length));
  t.ok(longest < 4096 + 200, `no chunk much over the requested size (longest ${longest})`);
});
