// HELP text of a program's metrics: the comment lines directly above the declaration
// (a logmetrics improvement; mtail always says "defined at"), else "defined at <source>".
import t from 'tap';
import { compile } from '../../src/lang/compile.js';
import { Store } from '../../src/metrics/index.js';
import { prometheusText } from '../../src/export/prometheus.js';
import { silentLogger } from '../../src/log/index.js';
import { instantiate } from '../../src/runtime/program.js';
import { Strptime, UTC_ZONE } from '../../src/go/time/index.js';

const cases: { name: string; prog: string; help: Record<string, string | null> }[] = [
  { name: 'one comment line', prog: '# Requests by status.\ncounter requests_total\n', help: { requests_total: 'Requests by status.' } },
  { name: 'several lines, joined; `#` runs and blanks trimmed, empty comment lines dropped', prog: '## Bytes sent,\n#\n#   headers included.  \ngauge bytes\n', help: { bytes: 'Bytes sent, headers included.' } },
  { name: 'indented comment and declaration', prog: '  # Indented.\n  counter c\n', help: { c: 'Indented.' } },
  { name: 'a blank line cuts the comment off', prog: '# Header of the file.\n\ncounter c\n', help: { c: null } },
  { name: 'only the block directly above counts', prog: '# Far.\n\n# Near.\ncounter c\n', help: { c: 'Near.' } },
  { name: 'a comment after code on its line is not a doc comment', prog: 'counter a # about a\ncounter b\n', help: { a: null, b: null } },
  { name: 'no comment: the next declaration gets none of the previous one', prog: '# About a.\ncounter a\ncounter b\n', help: { a: 'About a.', b: null } },
  { name: 'hidden and attributes', prog: '# Per code.\nhidden counter h by code\n# Latency.\nhistogram l buckets 1, 2\n', help: { h: 'Per code.', l: 'Latency.' } },
  { name: 'a comment above a statement is not a doc comment', prog: 'counter c\n# Counts x.\n/x/ {\n  c++\n}\ncounter d\n', help: { c: null, d: null } },
  { name: 'CRLF line ends', prog: '# With CRLF.\r\ncounter c\r\n', help: { c: 'With CRLF.' } },
  { name: 'a # inside a string or regex is not a comment', prog: 'counter c\n/#x/ { c++ }\ncounter d\n', help: { c: null, d: null } },
];

t.test('doc comments become the help of the checked metric', async (t) => {
  for (const c of cases) {
    // Every metric used, as the checker requires (`h` has a key, `l` is a histogram).
    const use = Object.keys(c.help).map((n) => (n === 'h' ? '  h["x"]++' : n === 'l' ? '  l = 1' : `  ${n}++`));
    const r = compile('p.mtail', `${c.prog}/use/ {\n${use.join('\n')}\n}\n`);
    t.ok(r.generated, `${c.name}: compiles`);
    const got = Object.fromEntries((r.checked?.metrics ?? []).map((m) => [m.name, m.help]));
    t.same(got, c.help, c.name);
  }
});

t.test('the exposition prints the comment as HELP, else "defined at"', async (t) => {
  const prog = '# Requests by status.\ncounter requests_total by code\ngauge temp\n# A "quoted" \\ backslash.\ncounter odd\n/(\\d+)/ {\n  requests_total[$1]++\n  temp = 1\n  odd++\n}\n';
  const result = compile('web.mtail', prog);
  const store = new Store();
  instantiate('web.mtail', result, store, new Strptime(UTC_ZONE, () => 0), silentLogger).run('200', 'f', 0);
  const text = prometheusText(store);
  t.match(text, /^# HELP requests_total Requests by status\.\n# TYPE requests_total counter$/m, 'from the comment');
  t.match(text, /^# HELP temp defined at web\.mtail:3:7-10$/m, 'no comment: defined at');
  t.match(text, /^# HELP odd A "quoted" \\\\ backslash\.$/m, 'escaped as HELP text is');
});
