// Numbered exposition scenarios, each checked in Prometheus text 0.0.4 and
// OpenMetrics 1.0. Expected texts follow the format specs; where a case
// mirrors mtail, the comment names what Debian's mtail 3.0.0~rc50 printed.
import t from 'tap';
import { Store } from '../../src/metrics/index.js';
import { prometheusText } from '../../src/export/prometheus.js';
import { openMetricsText } from '../../src/export/openmetrics.js';
import type { ExpositionOptions } from '../../src/export/exposition.js';
import { addMetric, spec } from '../metrics/helpers.js';

interface Scenario {
  name: string;
  build(store: Store): void;
  opts?: ExpositionOptions;
  prometheus: string;
  openmetrics: string;
}

const lines = (...ls: string[]): string => ls.map((l) => l + '\n').join('');

const scenarios: Scenario[] = [
  {
    // mtail: `c_plain{prog="a.mtail"} 0` for a scalar counter never updated.
    name: '01 scalar counter exported as 0 from declaration',
    build: (s) => addMetric(s, spec({ name: 'c_plain', kind: 'counter' })),
    prometheus: lines('# HELP c_plain defined at a.mtail:1:1', '# TYPE c_plain counter', 'c_plain{prog="a.mtail"} 0'),
    openmetrics: lines(
      '# HELP c_plain defined at a.mtail:1:1',
      '# TYPE c_plain counter',
      'c_plain_total{prog="a.mtail"} 0',
      '# EOF',
    ),
  },
  {
    name: '02 counter with labels, in creation order',
    build: (s) =>
      addMetric(s, spec({ name: 'requests', kind: 'counter', keys: ['code'] }), [
        [['200'], 5],
        [['404'], 1],
      ]),
    prometheus: lines(
      '# HELP requests defined at a.mtail:1:1',
      '# TYPE requests counter',
      'requests{prog="a.mtail",code="200"} 5',
      'requests{prog="a.mtail",code="404"} 1',
    ),
    openmetrics: lines(
      '# HELP requests defined at a.mtail:1:1',
      '# TYPE requests counter',
      'requests_total{prog="a.mtail",code="200"} 5',
      'requests_total{prog="a.mtail",code="404"} 1',
      '# EOF',
    ),
  },
  {
    // mtail printed 0.30000000000000004 and 1e+21 for the floats; ints print whole.
    name: '03 gauges: int as integer, float as shortest round-trip decimal',
    build: (s) => {
      addMetric(s, spec({ name: 'f', kind: 'gauge', valueType: 'float', keys: ['k'] }), [
        [['sum'], 0.1 + 0.2],
        [['big'], 1e21],
        [['small'], 1.5e-7],
        [['whole'], 3],
      ]);
      addMetric(s, spec({ name: 'i', kind: 'gauge' }), [[[], 12345678]]);
    },
    prometheus: lines(
      '# HELP f defined at a.mtail:1:1',
      '# TYPE f gauge',
      'f{prog="a.mtail",k="sum"} 0.30000000000000004',
      'f{prog="a.mtail",k="big"} 1e+21',
      'f{prog="a.mtail",k="small"} 1.5e-7',
      'f{prog="a.mtail",k="whole"} 3',
      '# HELP i defined at a.mtail:1:1',
      '# TYPE i gauge',
      'i{prog="a.mtail"} 12345678',
    ),
    openmetrics: lines(
      '# HELP f defined at a.mtail:1:1',
      '# TYPE f gauge',
      'f{prog="a.mtail",k="sum"} 0.30000000000000004',
      'f{prog="a.mtail",k="big"} 1e+21',
      'f{prog="a.mtail",k="small"} 1.5e-7',
      'f{prog="a.mtail",k="whole"} 3',
      '# HELP i defined at a.mtail:1:1',
      '# TYPE i gauge',
      'i{prog="a.mtail"} 12345678',
      '# EOF',
    ),
  },
  {
    // Buckets (-inf,1], (1,2], (2,4], (4,+Inf): 0, 0.5, 1, -1, -5 land in the first
    // (DESIGN.md rule 2), 3 in the third, 10 in +Inf; so le="+Inf" equals _count.
    name: '04 histogram with values below the lowest and above the highest bound',
    build: (s) =>
      addMetric(s, spec({ name: 'lat', kind: 'histogram', valueType: 'float', buckets: [1, 2, 4] }), [
        [[], [0, 0.5, 1, 3, 10, -1, -5]],
      ]),
    prometheus: lines(
      '# HELP lat defined at a.mtail:1:1',
      '# TYPE lat histogram',
      'lat_bucket{prog="a.mtail",le="1"} 5',
      'lat_bucket{prog="a.mtail",le="2"} 5',
      'lat_bucket{prog="a.mtail",le="4"} 6',
      'lat_bucket{prog="a.mtail",le="+Inf"} 7',
      'lat_sum{prog="a.mtail"} 8.5',
      'lat_count{prog="a.mtail"} 7',
    ),
    openmetrics: lines(
      '# HELP lat defined at a.mtail:1:1',
      '# TYPE lat histogram',
      'lat_bucket{prog="a.mtail",le="1"} 5',
      'lat_bucket{prog="a.mtail",le="2"} 5',
      'lat_bucket{prog="a.mtail",le="4"} 6',
      'lat_bucket{prog="a.mtail",le="+Inf"} 7',
      'lat_count{prog="a.mtail"} 7',
      'lat_sum{prog="a.mtail"} 8.5',
      '# EOF',
    ),
  },
  {
    // mtail printed zeros for `h_unused`, a scalar histogram never observed.
    name: '05 histogram declared, never observed, with labels elsewhere',
    build: (s) => {
      addMetric(s, spec({ name: 'h', kind: 'histogram', valueType: 'float', buckets: [1, 2] }));
      addMetric(s, spec({ name: 'hk', kind: 'histogram', valueType: 'float', buckets: [1], keys: ['m'] }), [
        [['GET'], [0.5, 7]],
      ]);
    },
    prometheus: lines(
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{prog="a.mtail",le="1"} 0',
      'h_bucket{prog="a.mtail",le="2"} 0',
      'h_bucket{prog="a.mtail",le="+Inf"} 0',
      'h_sum{prog="a.mtail"} 0',
      'h_count{prog="a.mtail"} 0',
      '# HELP hk defined at a.mtail:1:1',
      '# TYPE hk histogram',
      'hk_bucket{prog="a.mtail",m="GET",le="1"} 1',
      'hk_bucket{prog="a.mtail",m="GET",le="+Inf"} 2',
      'hk_sum{prog="a.mtail",m="GET"} 7.5',
      'hk_count{prog="a.mtail",m="GET"} 2',
    ),
    openmetrics: lines(
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{prog="a.mtail",le="1"} 0',
      'h_bucket{prog="a.mtail",le="2"} 0',
      'h_bucket{prog="a.mtail",le="+Inf"} 0',
      'h_count{prog="a.mtail"} 0',
      'h_sum{prog="a.mtail"} 0',
      '# HELP hk defined at a.mtail:1:1',
      '# TYPE hk histogram',
      'hk_bucket{prog="a.mtail",m="GET",le="1"} 1',
      'hk_bucket{prog="a.mtail",m="GET",le="+Inf"} 2',
      'hk_count{prog="a.mtail",m="GET"} 2',
      'hk_sum{prog="a.mtail",m="GET"} 7.5',
      '# EOF',
    ),
  },
  {
    // `le` is part of the series identity, so it is spelt as client_golang (Go's %g) spells it.
    name: '06 histogram bounds spelt like Go: 0.005, 1e+06',
    build: (s) =>
      addMetric(
        s,
        spec({ name: 'size', kind: 'histogram', valueType: 'float', buckets: [0.005, 0.25, 1000000] }),
        [[[], [0.001, 2000000]]],
      ),
    prometheus: lines(
      '# HELP size defined at a.mtail:1:1',
      '# TYPE size histogram',
      'size_bucket{prog="a.mtail",le="0.005"} 1',
      'size_bucket{prog="a.mtail",le="0.25"} 1',
      'size_bucket{prog="a.mtail",le="1e+06"} 1',
      'size_bucket{prog="a.mtail",le="+Inf"} 2',
      'size_sum{prog="a.mtail"} 2000000.001',
      'size_count{prog="a.mtail"} 2',
    ),
    openmetrics: lines(
      '# HELP size defined at a.mtail:1:1',
      '# TYPE size histogram',
      'size_bucket{prog="a.mtail",le="0.005"} 1',
      'size_bucket{prog="a.mtail",le="0.25"} 1',
      'size_bucket{prog="a.mtail",le="1e+06"} 1',
      'size_bucket{prog="a.mtail",le="+Inf"} 2',
      'size_count{prog="a.mtail"} 2',
      'size_sum{prog="a.mtail"} 2000000.001',
      '# EOF',
    ),
  },
  {
    // Label values escape \\ \" \n in both formats; HELP escapes the quote only in OpenMetrics.
    name: '07 escaping of label values, program names and HELP',
    build: (s) =>
      addMetric(
        s,
        spec({ name: 'paths', kind: 'counter', keys: ['path'], program: 'p"q\\.mtail', source: 'we\\ird\n"x".mtail:2:9' }),
        [
          [['a"b'], 1],
          [['c\\d'], 2],
          [['e\nf'], 3],
          [['tab\there\rcr'], 4],
        ],
      ),
    prometheus: lines(
      '# HELP paths defined at we\\\\ird\\n"x".mtail:2:9',
      '# TYPE paths counter',
      'paths{prog="p\\"q\\\\.mtail",path="a\\"b"} 1',
      'paths{prog="p\\"q\\\\.mtail",path="c\\\\d"} 2',
      'paths{prog="p\\"q\\\\.mtail",path="e\\nf"} 3',
      'paths{prog="p\\"q\\\\.mtail",path="tab\there\rcr"} 4',
    ),
    openmetrics: lines(
      '# HELP paths defined at we\\\\ird\\n\\"x\\".mtail:2:9',
      '# TYPE paths counter',
      'paths_total{prog="p\\"q\\\\.mtail",path="a\\"b"} 1',
      'paths_total{prog="p\\"q\\\\.mtail",path="c\\\\d"} 2',
      'paths_total{prog="p\\"q\\\\.mtail",path="e\\nf"} 3',
      'paths_total{prog="p\\"q\\\\.mtail",path="tab\there\rcr"} 4',
      '# EOF',
    ),
  },
  {
    // mtail turns '-' into '_' (dash_name) and drops "weird.name:x"; we sanitise it.
    // Keys named like the labels the exporter adds are renamed exported_<key>.
    name: '08 name sanitising and label clashes',
    build: (s) => {
      addMetric(s, spec({ name: 'dash', exportedName: 'dash-name', kind: 'counter' }), [[[], 2]]);
      addMetric(s, spec({ name: 'weird', exportedName: 'weird.name:x', kind: 'gauge' }), [[[], 1]]);
      addMetric(s, spec({ name: 'nine', exportedName: '9lives', kind: 'gauge' }), [[[], 9]]);
      addMetric(s, spec({ name: 'clash', kind: 'gauge', keys: ['prog'] }), [[['x'], 1]]);
      addMetric(s, spec({ name: 'hle', kind: 'histogram', valueType: 'float', keys: ['le'], buckets: [1] }), [
        [['y'], [1]],
      ]);
    },
    prometheus: lines(
      '# HELP _9lives defined at a.mtail:1:1',
      '# TYPE _9lives gauge',
      '_9lives{prog="a.mtail"} 9',
      '# HELP clash defined at a.mtail:1:1',
      '# TYPE clash gauge',
      'clash{prog="a.mtail",exported_prog="x"} 1',
      '# HELP dash_name defined at a.mtail:1:1',
      '# TYPE dash_name counter',
      'dash_name{prog="a.mtail"} 2',
      '# HELP hle defined at a.mtail:1:1',
      '# TYPE hle histogram',
      'hle_bucket{prog="a.mtail",exported_le="y",le="1"} 1',
      'hle_bucket{prog="a.mtail",exported_le="y",le="+Inf"} 1',
      'hle_sum{prog="a.mtail",exported_le="y"} 1',
      'hle_count{prog="a.mtail",exported_le="y"} 1',
      '# HELP weird_name:x defined at a.mtail:1:1',
      '# TYPE weird_name:x gauge',
      'weird_name:x{prog="a.mtail"} 1',
    ),
    openmetrics: lines(
      '# HELP _9lives defined at a.mtail:1:1',
      '# TYPE _9lives gauge',
      '_9lives{prog="a.mtail"} 9',
      '# HELP clash defined at a.mtail:1:1',
      '# TYPE clash gauge',
      'clash{prog="a.mtail",exported_prog="x"} 1',
      '# HELP dash_name defined at a.mtail:1:1',
      '# TYPE dash_name counter',
      'dash_name_total{prog="a.mtail"} 2',
      '# HELP hle defined at a.mtail:1:1',
      '# TYPE hle histogram',
      'hle_bucket{prog="a.mtail",exported_le="y",le="1"} 1',
      'hle_bucket{prog="a.mtail",exported_le="y",le="+Inf"} 1',
      'hle_count{prog="a.mtail",exported_le="y"} 1',
      'hle_sum{prog="a.mtail",exported_le="y"} 1',
      '# HELP weird_name:x defined at a.mtail:1:1',
      '# TYPE weird_name:x gauge',
      'weird_name:x{prog="a.mtail"} 1',
      '# EOF',
    ),
  },
  {
    // mtail groups a name shared by programs under one HELP (the first program's) and TYPE.
    name: '09 two programs sharing an exported name form one family',
    build: (s) => {
      addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'b.mtail' }), [[['foo'], 2]]);
      addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'a.mtail' }), [[['foo'], 1]]);
      addMetric(s, spec({ name: 'other', exportedName: 'shared', kind: 'counter', program: 'c.mtail' }), [[[], 3]]);
      addMetric(s, spec({ name: 'zz', kind: 'gauge', program: 'a.mtail' }), [[[], 4]]);
    },
    prometheus: lines(
      '# HELP shared defined at a.mtail:1:1',
      '# TYPE shared counter',
      'shared{prog="a.mtail",x="foo"} 1',
      'shared{prog="b.mtail",x="foo"} 2',
      'shared{prog="c.mtail"} 3',
      '# HELP zz defined at a.mtail:1:1',
      '# TYPE zz gauge',
      'zz{prog="a.mtail"} 4',
    ),
    openmetrics: lines(
      '# HELP shared defined at a.mtail:1:1',
      '# TYPE shared counter',
      'shared_total{prog="a.mtail",x="foo"} 1',
      'shared_total{prog="b.mtail",x="foo"} 2',
      'shared_total{prog="c.mtail"} 3',
      '# HELP zz defined at a.mtail:1:1',
      '# TYPE zz gauge',
      'zz{prog="a.mtail"} 4',
      '# EOF',
    ),
  },
  {
    name: '09b without the prog label, a series two programs share is written once (first program)',
    opts: { progLabel: false },
    build: (s) => {
      addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'b.mtail' }), [
        [['foo'], 2],
        [['bar'], 5],
      ]);
      addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'a.mtail' }), [[['foo'], 1]]);
    },
    prometheus: lines(
      '# HELP shared defined at a.mtail:1:1',
      '# TYPE shared counter',
      'shared{x="foo"} 1',
      'shared{x="bar"} 5',
    ),
    openmetrics: lines(
      '# HELP shared defined at a.mtail:1:1',
      '# TYPE shared counter',
      'shared_total{x="foo"} 1',
      'shared_total{x="bar"} 5',
      '# EOF',
    ),
  },
  {
    // mtail exported neither `hidden counter hid` nor `text txt`.
    name: '10 hidden and text metrics are not exported',
    build: (s) => {
      addMetric(s, spec({ name: 'hid', kind: 'counter', hidden: true }), [[[], 7]]);
      addMetric(s, spec({ name: 'hg', kind: 'gauge', keys: ['k'], hidden: true }), [[['a'], 1]]);
      addMetric(s, spec({ name: 'txt', kind: 'text' }), [[[], 'hello']]);
      addMetric(s, spec({ name: 'g', kind: 'gauge' }), [[[], 1]]);
    },
    prometheus: lines('# HELP g defined at a.mtail:1:1', '# TYPE g gauge', 'g{prog="a.mtail"} 1'),
    openmetrics: lines('# HELP g defined at a.mtail:1:1', '# TYPE g gauge', 'g{prog="a.mtail"} 1', '# EOF'),
  },
  {
    // Prometheus 0.0.4 timestamps are integer ms (mtail --emit_metric_timestamp); OpenMetrics uses seconds.
    name: '11 timestamps on',
    opts: { timestamps: true },
    build: (s) => {
      addMetric(s, spec({ name: 'c', kind: 'counter', keys: ['k'] }), [[['a'], 1, 1700000000123]]);
      addMetric(s, spec({ name: 'c0', kind: 'counter' }));
      addMetric(s, spec({ name: 'h', kind: 'histogram', valueType: 'float', buckets: [1] }), [
        [[], [0.5], 1700000000000],
      ]);
    },
    prometheus: lines(
      '# HELP c defined at a.mtail:1:1',
      '# TYPE c counter',
      'c{prog="a.mtail",k="a"} 1 1700000000123',
      '# HELP c0 defined at a.mtail:1:1',
      '# TYPE c0 counter',
      'c0{prog="a.mtail"} 0 0',
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{prog="a.mtail",le="1"} 1 1700000000000',
      'h_bucket{prog="a.mtail",le="+Inf"} 1 1700000000000',
      'h_sum{prog="a.mtail"} 0.5 1700000000000',
      'h_count{prog="a.mtail"} 1 1700000000000',
    ),
    openmetrics: lines(
      '# HELP c defined at a.mtail:1:1',
      '# TYPE c counter',
      'c_total{prog="a.mtail",k="a"} 1 1700000000.123',
      '# HELP c0 defined at a.mtail:1:1',
      '# TYPE c0 counter',
      'c0_total{prog="a.mtail"} 0 0',
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{prog="a.mtail",le="1"} 1 1700000000',
      'h_bucket{prog="a.mtail",le="+Inf"} 1 1700000000',
      'h_count{prog="a.mtail"} 1 1700000000',
      'h_sum{prog="a.mtail"} 0.5 1700000000',
      '# EOF',
    ),
  },
  {
    name: '12 timestamps off (the default) print no timestamp even when set',
    opts: { timestamps: false },
    build: (s) => addMetric(s, spec({ name: 'c', kind: 'counter' }), [[[], 1, 1700000000123]]),
    prometheus: lines('# HELP c defined at a.mtail:1:1', '# TYPE c counter', 'c{prog="a.mtail"} 1'),
    openmetrics: lines('# HELP c defined at a.mtail:1:1', '# TYPE c counter', 'c_total{prog="a.mtail"} 1', '# EOF'),
  },
  {
    // Like mtail with --emit_prog_label=false; a key named prog then keeps its name.
    name: '13 prog label off',
    opts: { progLabel: false },
    build: (s) => {
      addMetric(s, spec({ name: 'c', kind: 'counter' }), [[[], 3]]);
      addMetric(s, spec({ name: 'ck', kind: 'counter', keys: ['code', 'prog'] }), [[['200', 'x'], 4]]);
      addMetric(s, spec({ name: 'h', kind: 'histogram', valueType: 'float', buckets: [1] }), [[[], [2]]]);
    },
    prometheus: lines(
      '# HELP c defined at a.mtail:1:1',
      '# TYPE c counter',
      'c 3',
      '# HELP ck defined at a.mtail:1:1',
      '# TYPE ck counter',
      'ck{code="200",prog="x"} 4',
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{le="1"} 0',
      'h_bucket{le="+Inf"} 1',
      'h_sum 2',
      'h_count 1',
    ),
    openmetrics: lines(
      '# HELP c defined at a.mtail:1:1',
      '# TYPE c counter',
      'c_total 3',
      '# HELP ck defined at a.mtail:1:1',
      '# TYPE ck counter',
      'ck_total{code="200",prog="x"} 4',
      '# HELP h defined at a.mtail:1:1',
      '# TYPE h histogram',
      'h_bucket{le="1"} 0',
      'h_bucket{le="+Inf"} 1',
      'h_count 1',
      'h_sum 2',
      '# EOF',
    ),
  },
  {
    // mtail: timers are gauges; scalar gauges and timers never touched have no datum and no family.
    name: '14 timer exported as gauge, untouched scalar gauge absent',
    build: (s) => {
      addMetric(s, spec({ name: 't', kind: 'timer' }), [[[], 250]]);
      addMetric(s, spec({ name: 'g_untouched', kind: 'gauge' }));
      addMetric(s, spec({ name: 't_untouched', kind: 'timer' }));
    },
    prometheus: lines('# HELP t defined at a.mtail:1:1', '# TYPE t gauge', 't{prog="a.mtail"} 250'),
    openmetrics: lines('# HELP t defined at a.mtail:1:1', '# TYPE t gauge', 't{prog="a.mtail"} 250', '# EOF'),
  },
  {
    name: '15 NaN and infinities spelt NaN, +Inf, -Inf',
    build: (s) =>
      addMetric(s, spec({ name: 'x', kind: 'gauge', valueType: 'float', keys: ['k'] }), [
        [['nan'], NaN],
        [['pos'], Infinity],
        [['neg'], -Infinity],
      ]),
    prometheus: lines(
      '# HELP x defined at a.mtail:1:1',
      '# TYPE x gauge',
      'x{prog="a.mtail",k="nan"} NaN',
      'x{prog="a.mtail",k="pos"} +Inf',
      'x{prog="a.mtail",k="neg"} -Inf',
    ),
    openmetrics: lines(
      '# HELP x defined at a.mtail:1:1',
      '# TYPE x gauge',
      'x{prog="a.mtail",k="nan"} NaN',
      'x{prog="a.mtail",k="pos"} +Inf',
      'x{prog="a.mtail",k="neg"} -Inf',
      '# EOF',
    ),
  },
  {
    // OpenMetrics names a counter family without _total and adds it to the sample.
    name: '16 counter already named _total',
    build: (s) => addMetric(s, spec({ name: 'requests_total', kind: 'counter' }), [[[], 9]]),
    prometheus: lines(
      '# HELP requests_total defined at a.mtail:1:1',
      '# TYPE requests_total counter',
      'requests_total{prog="a.mtail"} 9',
    ),
    openmetrics: lines(
      '# HELP requests defined at a.mtail:1:1',
      '# TYPE requests counter',
      'requests_total{prog="a.mtail"} 9',
      '# EOF',
    ),
  },
  {
    // OpenMetrics: with a negative bucket threshold the sum is no longer a counter
    // and MUST NOT be exposed, so only Prometheus text has d_sum.
    name: '17 histogram whose lowest bound is negative',
    build: (s) =>
      addMetric(s, spec({ name: 'd', kind: 'histogram', valueType: 'float', buckets: [-0.5, 1] }), [
        [[], [-1, 0.5]],
      ]),
    prometheus: lines(
      '# HELP d defined at a.mtail:1:1',
      '# TYPE d histogram',
      'd_bucket{prog="a.mtail",le="-0.5"} 1',
      'd_bucket{prog="a.mtail",le="1"} 2',
      'd_bucket{prog="a.mtail",le="+Inf"} 2',
      'd_sum{prog="a.mtail"} -0.5',
      'd_count{prog="a.mtail"} 2',
    ),
    openmetrics: lines(
      '# HELP d defined at a.mtail:1:1',
      '# TYPE d histogram',
      'd_bucket{prog="a.mtail",le="-0.5"} 1',
      'd_bucket{prog="a.mtail",le="1"} 2',
      'd_bucket{prog="a.mtail",le="+Inf"} 2',
      'd_count{prog="a.mtail"} 2',
      '# EOF',
    ),
  },
  {
    // An int64 beyond 2^53 (a bigint in the datum) prints with every digit; mtail prints the
    // float64 (9.223372036854776e+18), which is what a scraper reads from either.
    name: '17b int64 beyond 2^53',
    build: (s) => addMetric(s, spec({ name: 'ids', kind: 'counter', keys: ['k'] }), [[['max'], 9223372036854775807n], [['min'], -9223372036854775808n]]),
    prometheus: lines(
      '# HELP ids defined at a.mtail:1:1',
      '# TYPE ids counter',
      'ids{prog="a.mtail",k="max"} 9223372036854775807',
      'ids{prog="a.mtail",k="min"} -9223372036854775808',
    ),
    openmetrics: lines(
      '# HELP ids defined at a.mtail:1:1',
      '# TYPE ids counter',
      'ids_total{prog="a.mtail",k="max"} 9223372036854775807',
      'ids_total{prog="a.mtail",k="min"} -9223372036854775808',
      '# EOF',
    ),
  },
  {
    name: '18 empty store',
    build: () => undefined,
    prometheus: '',
    openmetrics: '# EOF\n',
  },
];

for (const sc of scenarios) {
  t.test(sc.name, async (t) => {
    const store = new Store();
    sc.build(store);
    t.equal(prometheusText(store, sc.opts), sc.prometheus, 'Prometheus text 0.0.4');
    t.equal(openMetricsText(store, sc.opts), sc.openmetrics, 'OpenMetrics 1.0');
  });
}
