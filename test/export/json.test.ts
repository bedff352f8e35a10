// The JSON export: mtail's /json layout (a list of metrics with LabelValues,
// Kind and Type as mtail's enum numbers, times in ns), text metrics included.
import t from 'tap';
import { Store } from '../../src/metrics/index.js';
import { jsonText, renderJson } from '../../src/export/json.js';
import { addMetric, spec } from '../metrics/helpers.js';

t.test('01 empty store is an empty list', async (t) => {
  t.equal(jsonText(new Store()), '[]\n');
});

t.test('02 layout of counters, histograms and text; hidden left out', async (t) => {
  const s = new Store();
  const c = addMetric(s, spec({ name: 'c', kind: 'counter', keys: ['code'], limit: 10 }), [
    [['a"b'], 1, 1700000000123],
  ]);
  c.setExpiry(['a"b'], 3_600_000);
  addMetric(s, spec({ name: 'h', kind: 'histogram', valueType: 'float', buckets: [0.5, 1, 2] }), [
    [[], [0.25, 1.5, 9], 5],
  ]);
  addMetric(s, spec({ name: 'hid', kind: 'counter', hidden: true }), [[[], 3]]);
  addMetric(s, spec({ name: 'txt', exportedName: 'the-text', kind: 'text' }), [[[], 'hello\n', 0]]);
  addMetric(s, spec({ name: 'g', kind: 'gauge', valueType: 'float' }), [[[], NaN, 0]]);
  addMetric(s, spec({ name: 'untouched', kind: 'gauge' }));
  const want = `[
  {
    "Name": "c",
    "Program": "a.mtail",
    "Kind": 1,
    "Type": 0,
    "Keys": [
      "code"
    ],
    "LabelValues": [
      {
        "Labels": [
          "a\\"b"
        ],
        "Value": {
          "Value": 1,
          "Time": 1700000000123000000
        },
        "Expiry": 3600000000000
      }
    ],
    "Source": "a.mtail:1:1",
    "Limit": 10
  },
  {
    "Name": "g",
    "Program": "a.mtail",
    "Kind": 2,
    "Type": 1,
    "LabelValues": [
      {
        "Value": {
          "Value": "NaN",
          "Time": 0
        }
      }
    ],
    "Source": "a.mtail:1:1"
  },
  {
    "Name": "h",
    "Program": "a.mtail",
    "Kind": 5,
    "Type": 3,
    "LabelValues": [
      {
        "Value": {
          "Buckets": {
            "0.5": 1,
            "1": 0,
            "2": 1,
            "+Inf": 1
          },
          "Count": 3,
          "Sum": 10.75,
          "Time": 5000000
        }
      }
    ],
    "Source": "a.mtail:1:1",
    "Buckets": [
      {
        "Min": "0",
        "Max": "0.5"
      },
      {
        "Min": "0.5",
        "Max": "1"
      },
      {
        "Min": "1",
        "Max": "2"
      },
      {
        "Min": "2",
        "Max": "+Inf"
      }
    ]
  },
  {
    "Name": "the-text",
    "Program": "a.mtail",
    "Kind": 4,
    "Type": 2,
    "LabelValues": [
      {
        "Value": {
          "Value": "hello\\n",
          "Time": 0
        }
      }
    ],
    "Source": "a.mtail:1:1"
  },
  {
    "Name": "untouched",
    "Program": "a.mtail",
    "Kind": 2,
    "Type": 0,
    "Source": "a.mtail:1:1"
  }
]
`;
  const got = jsonText(s);
  t.equal(got, want, 'exact text');
  const parsed = JSON.parse(got) as { Name: string }[];
  t.same(
    parsed.map((m) => m.Name),
    ['c', 'g', 'h', 'the-text', 'untouched'],
    'valid JSON listing every metric but the hidden one',
  );
});

t.test('03 streams in chunks that add up to the whole', async (t) => {
  const s = new Store();
  const datums = Array.from({ length: 2000 }, (_, i) => [[`k${i}`], i] as [string[], number]);
  addMetric(s, spec({ name: 'c', kind: 'counter', keys: ['k'] }), datums);
  const chunks: string[] = [];
  renderJson(s, { chunkSize: 2048 }, (c) => chunks.push(c));
  t.ok(chunks.length > 1, `${chunks.length} chunks`);
  const parsed = JSON.parse(chunks.join('')) as { LabelValues: unknown[] }[];
  t.equal(parsed[0]!.LabelValues.length, 2000, 'every datum present');
});

t.test('04 an int64 beyond 2^53 is written with every digit, as Go writes an int64', async (t) => {
  const s = new Store();
  addMetric(s, spec({ name: 'big', kind: 'gauge', keys: ['k'] }), [
    [['max'], 9223372036854775807n, 1000],
    [['min'], -9223372036854775808n, 1000],
    [['safe'], 9007199254740991, 1000],
  ]);
  const text = jsonText(s);
  t.match(text, /"Value": 9223372036854775807,/, 'MaxInt64');
  t.match(text, /"Value": -9223372036854775808,/, 'MinInt64');
  t.match(text, /"Value": 9007199254740991,/, 'a safe int');
  t.doesNotThrow(() => JSON.parse(text), 'valid JSON');
});
