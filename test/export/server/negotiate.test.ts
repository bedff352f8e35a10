// Accept and Accept-Encoding as scrapers, browsers and curl send them. The
// expectations follow Prometheus's client library: media ranges by quality,
// the first one we can serve wins, text 0.0.4 otherwise.
import t from 'tap';
import { acceptsGzip, negotiateFormat, parseAccept } from '../../../src/export/server/negotiate.js';

t.test('negotiateFormat', async (t) => {
  const cases: { name: string; accept: string | undefined; want: 'prometheus' | 'openmetrics' | 'protobuf' }[] = [
    { name: 'no header', accept: undefined, want: 'prometheus' },
    { name: 'empty header', accept: '', want: 'prometheus' },
    {
      name: 'Prometheus 2.x scraper',
      accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      want: 'openmetrics',
    },
    {
      name: 'Prometheus with OpenMetrics switched off',
      accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
      want: 'prometheus',
    },
    { name: 'OpenMetrics 0.0.1 only', accept: 'application/openmetrics-text; version=0.0.1', want: 'openmetrics' },
    { name: 'OpenMetrics without version', accept: 'application/openmetrics-text', want: 'openmetrics' },
    { name: 'quoted version', accept: 'application/openmetrics-text; version="1.0.0"', want: 'openmetrics' },
    { name: 'unknown OpenMetrics version, nothing else', accept: 'application/openmetrics-text;version=9.9.9', want: 'prometheus' },
    { name: 'unknown version, then text', accept: 'application/openmetrics-text;version=9.9.9, text/plain', want: 'prometheus' },
    { name: 'higher q wins over order', accept: 'text/plain;q=0.2, application/openmetrics-text;q=0.8', want: 'openmetrics' },
    { name: 'equal q: first listed wins', accept: 'text/plain, application/openmetrics-text', want: 'prometheus' },
    { name: 'equal q: more specific wins', accept: '*/*, application/openmetrics-text', want: 'openmetrics' },
    { name: 'q=0 means not acceptable', accept: 'application/openmetrics-text;q=0, */*;q=0.1', want: 'prometheus' },
    { name: 'garbage q counts as 0', accept: 'application/openmetrics-text;q=high', want: 'prometheus' },
    { name: 'case-insensitive type', accept: 'Application/OpenMetrics-Text', want: 'openmetrics' },
    { name: 'browser', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', want: 'prometheus' },
    { name: 'protobuf only (served since native histograms)', accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', want: 'protobuf' },
  ];
  for (const c of cases) t.equal(negotiateFormat(c.accept), c.want, c.name);
});

t.test('parseAccept orders by quality, then specificity, then position', async (t) => {
  const ranges = parseAccept('*/*;q=0.5, text/*;q=0.5, text/plain;q=0.5;version=0.0.4, text/plain;q=0.5, application/json');
  t.same(
    ranges.map((r) => `${r.type}/${r.subtype} ${r.q}`),
    ['application/json 1', 'text/plain 0.5', 'text/plain 0.5', 'text/* 0.5', '*/* 0.5'],
  );
  t.equal(ranges[1]!.params.get('version'), '0.0.4', 'with parameters before without');
});

t.test('acceptsGzip', async (t) => {
  const cases: { name: string; header: string | undefined; want: boolean }[] = [
    { name: 'no header', header: undefined, want: false },
    { name: 'Prometheus', header: 'gzip', want: true },
    { name: 'curl --compressed', header: 'deflate, gzip, br, zstd', want: true },
    { name: 'x-gzip', header: 'x-gzip', want: true },
    { name: 'with q', header: 'gzip;q=0.5', want: true },
    { name: 'refused', header: 'gzip;q=0', want: false },
    { name: 'refused as 0.000', header: 'gzip; q=0.000', want: false },
    { name: 'wildcard', header: '*', want: true },
    { name: 'wildcard refused', header: '*;q=0', want: false },
    { name: 'wildcard, gzip refused', header: '*, gzip;q=0', want: false },
    { name: 'identity only', header: 'identity', want: false },
    { name: 'other codings only', header: 'br, zstd', want: false },
    { name: 'upper case', header: 'GZIP', want: true },
  ];
  for (const c of cases) t.equal(acceptsGzip(c.header), c.want, c.name);
});
