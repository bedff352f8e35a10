// The json() and logfmt() extensions from the command line: usable in
// conditions, labels and conversions, harmless on other lines, and listed by
// `check --strict-mtail`; `json` as an ordinary metric name keeps its mtail meaning.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'logmetrics.js');
const dir = mkdtempSync(join(tmpdir(), 'logmetrics-ext-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PROGRAM = `counter json
counter requests_total by method, status
counter bytes_total
counter slow_total
counter problems_total by level
json("status") != "" {
  requests_total[json("req.method")][json("status")]++
  bytes_total += int(json("bytes"))
  float(json("rt")) > 0.5 {
    slow_total++
  }
  json++
}
logfmt("level") =~ /^(error|warn)$/ {
  problems_total[logfmt("level")]++
}
`;
const LOG = [
  '{"status":200,"req":{"method":"GET"},"bytes":12,"rt":0.1}',
  '{"status":"404","req":{"method":"POST"},"bytes":"3","rt":"0.9"}',
  'not json at all',
  '{"broken":',
  'level=error msg="disk \\"full\\"" host=a',
  'level=info msg=ok',
  'level=warn',
].join('\n') + '\n';

t.test('json() and logfmt() in a program', async (t) => {
  const prog = join(dir, 'ext.mtail');
  writeFileSync(prog, PROGRAM);
  writeFileSync(join(dir, 'ext.log'), LOG);
  const r = cli(['run', '--one-shot', '--progs', prog, '--logs', join(dir, 'ext.log'), '--no-prog-label']);
  t.equal(r.code, 0, `exit 0 ${r.stderr}`);
  t.equal(r.stderr, '', 'no run-time error for lines that are not JSON');
  const samples = r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).sort();
  t.same(samples, [
    'bytes_total 15',
    'json 2',
    'problems_total{level="error"} 1',
    'problems_total{level="warn"} 1',
    'requests_total{method="GET",status="200"} 1',
    'requests_total{method="POST",status="404"} 1',
    'slow_total 1',
  ]);
});

t.test('check --strict-mtail lists every extension', async (t) => {
  const prog = join(dir, 'ext.mtail');
  writeFileSync(prog, PROGRAM);
  const plain = cli(['check', prog]);
  t.equal(plain.code, 0, 'check alone accepts the program');
  const strict = cli(['check', '--strict-mtail', prog]);
  t.equal(strict.code, 1, 'exit 1 with --strict-mtail');
  t.equal(strict.stderr.match(/warning\[strict-mtail\]: json\(\) is a logmetrics extension/g)?.length, 5, 'five json() uses');
  t.equal(strict.stderr.match(/warning\[strict-mtail\]: logfmt\(\) is a logmetrics extension/g)?.length, 2, 'two logfmt() uses');
  t.match(strict.stderr, /ext\.mtail:6:1: warning\[strict-mtail\]: json\(\)/, 'with file:line:col');
  t.match(strict.stderr, /1 program uses logmetrics extensions/, 'a summary line');
  const mtailOnly = cli(['check', '--strict-mtail', join(root, 'programs')]);
  t.equal(mtailOnly.code, 0, `the shipped programs use no extension ${mtailOnly.stderr}`);
});
