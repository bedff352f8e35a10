// Go durations: time.ParseDuration as mtail's parser and our flags use it.
import t from 'tap';
import { parseDuration } from '../../src/go/duration.js';

t.test('parseDuration follows Go time.ParseDuration, plus d for days', async (t) => {
  const cases: { name: string; text: string; ms: number | undefined }[] = [
    { name: 'hours and minutes', text: '1h30m', ms: 5_400_000 },
    { name: 'fractional hours', text: '1.5h', ms: 5_400_000 },
    { name: 'milliseconds', text: '250ms', ms: 250 },
    { name: 'microseconds', text: '1500us', ms: 1.5 },
    { name: 'days', text: '2d', ms: 172_800_000 },
    { name: 'seconds', text: '30s', ms: 30_000 },
    { name: 'negative', text: '-5m', ms: -300_000 },
    { name: 'no unit', text: '10', ms: undefined },
    { name: 'unknown unit', text: '5y', ms: undefined },
    { name: 'empty', text: '', ms: undefined },
    { name: 'trailing garbage', text: '5mx', ms: undefined },
  ];
  for (const c of cases) t.equal(parseDuration(c.text), c.ms, c.name);
});
