// Lines of ASCII chunks are slices of one decoded string (tail/lineSplitter.ts). Whatever a
// program keeps beyond its line (label values, string values, strptime memo keys) must not
// keep those strings alive: a daemon creating one series per chunk would otherwise hold every
// chunk it ever read.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { silentLogger } from '../../src/log/index.js';
import { Store } from '../../src/metrics/index.js';
import { instantiate } from '../../src/runtime/program.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';
import { LineSplitter } from '../../src/tail/lineSplitter.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PROGRAM = `counter by_user by user
text last_user
/^user=(\\S+) at=(\\S+) / {
  strptime($2, "2006-01-02T15:04:05")
  by_user[$1]++
  last_user = $1
}
`;

t.test('kept label and string values hold only their own characters', async (t) => {
  const result = compile('keep.mtail', PROGRAM);
  t.ok(result.generated, 'compiles');
  const program = instantiate('keep.mtail', result, new Store(), new Strptime(UTC_ZONE, () => 0), silentLogger);
  const splitter = new LineSplitter({ maxLineBytes: 1 << 20, onLine: (line) => program.run(line, 'x.log', 0) });
  const CHUNKS = 2000;
  const padding = `${'p'.repeat(200)}\n`.repeat(300); // about 60 KB of other lines per chunk
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < CHUNKS; i++) {
    // One new series, one new timestamp and a new text value per chunk.
    const second = String(i % 60).padStart(2, '0');
    const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
    splitter.push(Buffer.from(`user=someone-with-a-long-name-${i} at=2026-11-22T10:${minute}:${second} rest\n${padding}`));
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  t.equal(program.metrics.find((m) => m.spec.name === 'by_user')?.size, CHUNKS, 'one series per chunk');
  t.equal(program.runtimeErrors, 0, 'no run-time error');
  // Holding the chunks would be 2000 × 60 KB = 120 MB; the series themselves need well under 5 MB.
  t.ok(grown < 10 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB for ${CHUNKS} series`);
});
