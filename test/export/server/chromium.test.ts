// The status page in a real browser: headless Chromium loads it and dumps the
// DOM it built, which must show the failing program and its error with the
// caret code frame, as text (escaped markup stays text, nothing executes).
import t from 'tap';
import { dumpDom, visibleText } from '../../helpers/chromium.js';
import { PROGRAMS, SOURCES, startServer, tempDir } from './helpers.js';

const INSTALL = 'chromium not found: apt-get install -y chromium';

t.test('headless Chromium renders the status page with the failing program and its error', async (t) => {
  const frame = [
    'broken.mtail:3:9: syntax error: unexpected "}" <script>document.title="pwned"</script>',
    '  3 | counter }',
    '    |         ^',
  ].join('\n');
  const programs = [
    ...PROGRAMS,
    { name: 'broken.mtail', file: '/progs/broken.mtail', state: 'failed' as const, loadedAt: Date.now(), error: frame, lines: 0, runtimeErrors: 0 },
  ];
  const { port } = await startServer(t, {
    status: { version: '7.7.7', startedAt: Date.now() - 1000, programs: () => programs, sources: () => SOURCES },
  });
  const r = await dumpDom(`http://127.0.0.1:${port}/`, tempDir(t, 'logmetrics-chromium-'));
  if (r.missing) return void t.fail(INSTALL);
  t.equal(r.status, 0, 'chromium exited cleanly');
  t.match(r.dom, /<title>logmetrics 7\.7\.7<\/title>/, 'the page loaded (its title unchanged by the error text)');
  const text = visibleText(r.dom);
  t.match(text, 'broken.mtail', 'the failing program is named');
  t.match(text, 'failed', 'its state is shown');
  t.match(text, frame, 'the error with its code frame, caret line intact');
  t.match(r.dom, /<pre>[^<]*broken\.mtail:3:9: syntax error[^<]*&lt;script&gt;/, 'the error is in a <pre>, its markup as text');
  t.notMatch(r.dom, /<script/i, 'no script element was created');
  t.match(text, 'ok.mtail', 'the loaded program too');
  t.match(text, '/var/log/app.log', 'the followed source');
  t.match(text, 'Programs by log', 'the programs-by-log table');
  // Cells run together in the text: lines 1,200, matched 1,188, 99.0%, 0 errors, the last line.
  t.match(text, /ok\.mtail\s+\/var\/log\/app\.log\s+1,2001,18899\.0%0\d+s ago/, 'a program and log: lines, matched, ratio, errors, last line');
});
