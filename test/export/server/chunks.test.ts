// The pull-based encoders the server streams from (textChunks and its
// Prometheus/OpenMetrics wrappers): the same text as the one-string encoders,
// OpenMetrics without its `# EOF` on request, and truly lazy — a chunk is only
// made when asked for, so a paused client pauses the rendering.
import t from 'tap';
import {
  OPENMETRICS_EOF,
  openMetricsChunks,
  openMetricsText,
  prometheusChunks,
  prometheusText,
} from '../../../src/export/encoders.js';
import { Store } from '../../../src/metrics/index.js';
import { addMetric, spec } from '../../metrics/helpers.js';
import { sampleStore } from './helpers.js';

const join = (chunks: Iterable<string>) => [...chunks].join('');

t.test('chunks add up to the one-string encoders', async (t) => {
  const store = sampleStore();
  for (const opts of [{}, { progLabel: false }, { timestamps: true }, { chunkSize: 64 }]) {
    const name = JSON.stringify(opts);
    t.equal(join(prometheusChunks(store, opts)), prometheusText(store, opts), `${name}: Prometheus text`);
    t.equal(join(openMetricsChunks(store, opts)), openMetricsText(store, opts), `${name}: OpenMetrics`);
    t.equal(join(openMetricsChunks(store, opts, false)) + OPENMETRICS_EOF, openMetricsText(store, opts), `${name}: OpenMetrics without # EOF, then # EOF`);
    t.notMatch(join(openMetricsChunks(store, opts, false)), /# EOF/, `${name}: no # EOF when left out`);
  }
  t.equal(join(openMetricsChunks(new Store(), {}, false)), '', 'an empty store without # EOF is empty');
  t.equal(join(openMetricsChunks(new Store(), {})), '# EOF\n', 'an empty store with # EOF is just that');
});

t.test('chunks are made when pulled, not before', async (t) => {
  const store = new Store();
  const big = addMetric(store, spec({ name: 'a_big', kind: 'counter', keys: ['k'] }));
  for (let i = 0; i < 10_000; i++) big.datum([String(i)]).value = i;
  const late = addMetric(store, spec({ name: 'z_late', kind: 'gauge' }), [[[], 1]]);
  const chunks = prometheusChunks(store, { chunkSize: 1024 });
  const first = chunks.next();
  t.equal(first.done, false, 'a first chunk');
  t.ok((first.value as string).length < 2048, 'of about the chunk size');
  // Changed after the first chunk was taken: a lazy encoder has not written it yet.
  late.scalar().value = 42;
  const rest = join({ [Symbol.iterator]: () => chunks });
  t.match(rest, /^z_late\{prog="a\.mtail"\} 42$/m, 'the later metric is rendered when reached');
  t.equal((first.value as string) + rest, prometheusText(store), 'and the whole is still the exposition');
});
