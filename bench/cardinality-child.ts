// Child process of scenario 3, run as `node --expose-gc cardinality-child.js SERIES RENDER_SERIES RUNS`:
// heap bytes per series of the metric store, and the time to render the exposition.
// It prints one JSON object (CardinalityResult) on stdout.

import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/lang/compile.js';
import { Store } from '../src/metrics/index.js';
import { renderPrometheus } from '../src/export/encoders.js';
import { instantiate, type LoadedProgram } from '../src/runtime/program.js';
import { Strptime, UTC_ZONE } from '../src/go/time/index.js';
import { idLine } from './loggen.js';

/** What the child reports. */
export interface CardinalityResult {
  series: number;
  heapBytesPerSeries: number;
  /** Series created per second while the lines ran (one line = one new series). */
  seriesPerSecond: number;
  renderSeries: number;
  renderBytes: number;
  renderSeconds: number[];
}

/** One counter keyed by an unbounded id: every line creates a series. */
export const CARDINALITY_PROGRAM = `counter requests_by_id by id

/^id=(?P<id>\\S+)$/ {
  requests_by_id[$id]++
}
`;

function load(store: Store): LoadedProgram {
  const result = compile('cardinality.mtail', CARDINALITY_PROGRAM);
  if (!result.generated) throw new Error(`cardinality program did not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return instantiate('cardinality.mtail', result, store, new Strptime(UTC_ZONE), {
    log(_level, event, fields) {
      if (event === 'runtime_error') throw new Error(`${String(fields?.prog)} ${String(fields?.pos)}: ${String(fields?.error)}`);
    },
  });
}

function feed(program: LoadedProgram, series: number): void {
  const now = Date.now();
  for (let i = 0; i < series; i++) program.run(idLine(i), 'ids.log', now);
}

/** Collects twice: the second pass frees what the first pass's finalizers released. */
function settledHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function main(argv: string[]): CardinalityResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const [series, renderSeries, runs] = argv.map(Number);

  let store: Store | undefined = new Store();
  const program = load(store);
  const before = settledHeap(gc);
  const t0 = process.hrtime.bigint();
  feed(program, series);
  const feedSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = settledHeap(gc);
  if (program.runtimeErrors !== 0) throw new Error(`${program.runtimeErrors} runtime errors`);
  store = undefined;

  const renderStore = new Store();
  feed(load(renderStore), renderSeries);
  let renderBytes = 0;
  const sink = (chunk: string) => {
    renderBytes += chunk.length;
  };
  // One render not timed: a daemon renders on every scrape, so the warm figure is the one that counts.
  renderPrometheus(renderStore, {}, sink);
  const renderSeconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    renderBytes = 0;
    const r0 = process.hrtime.bigint();
    renderPrometheus(renderStore, {}, sink);
    renderSeconds.push(Number(process.hrtime.bigint() - r0) / 1e9);
  }
  return { series, heapBytesPerSeries: (after - before) / series, seriesPerSecond: series / feedSeconds, renderSeries, renderBytes, renderSeconds };
}

// Run only as the entry point: the parent imports this module for the program text and types.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The CLI sets this flag before compiling any pattern; do the same so matching behaves alike.
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  process.stdout.write(JSON.stringify(main(process.argv.slice(2))) + '\n');
}
