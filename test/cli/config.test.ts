// check --config and run --config from the command line: a good file exits 0; every problem of
// the file or of a program it names exits 1 with file:line:col; flags win over the file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tempDir } from '../helpers/tempdir.js';
import { ROOT } from '../daemon/helpers.js';

const BIN = join(ROOT, 'bin', 'logmetrics.js');
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const COUNT = 'counter lines_total\n/./ {\n  lines_total++\n}\n';

t.test('check --config', async (t) => {
  const dir = tempDir(t, 'logmetrics-check-config-');
  mkdirSync(join(dir, 'progs'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'progs', 'a.mtail'), COUNT);
  writeFileSync(join(dir, 'bad.mtail'), 'counter x\n/a/ {\n  y++\n}\n');
  const good = 'port: 9100\npipelines:\n  - name: web\n    logs: [/var/log/a.log, udp://127.0.0.1:5140]\n    programs: [progs]\n';
  const cases: { name: string; text: string; code: number; stderr: RegExp }[] = [
    { name: 'a good file', text: good, code: 0, stderr: /^$/ },
    { name: 'an unknown setting', text: `prot: 1\n${good.slice(good.indexOf('\n') + 1)}`, code: 1, stderr: /^c\.yml:1:1: unknown setting "prot" \(did you mean "port"\?\)/ },
    { name: 'a bad value', text: good.replace('9100', '70000'), code: 1, stderr: /^c\.yml:1:7: port: expected a port number from 0 to 65535/ },
    { name: 'a bad --log-level', text: `log-level: loud\n${good}`, code: 1, stderr: /^c\.yml:1:12: log-level: expected one of .*debug/ },
    { name: 'a missing program path', text: good.replace('[progs]', '[progs, nowhere.mtail]'), code: 1, stderr: /^c\.yml:5:23: pipeline "web": cannot read \S+nowhere\.mtail: ENOENT/ },
    { name: 'a folder without programs', text: good.replace('[progs]', '[empty]'), code: 1, stderr: /^c\.yml:5:16: pipeline "web": no \.mtail programs in \S+empty/ },
    { name: 'a program that does not compile', text: good.replace('[progs]', '[progs, bad.mtail]'), code: 1, stderr: /bad\.mtail:3:3: error\[\w+\]/ },
  ];
  for (const c of cases) {
    writeFileSync(join(dir, 'c.yml'), c.text);
    const r = cli(['check', '--config', 'c.yml'], dir);
    t.equal(r.code, c.code, `${c.name}: exit ${c.code}`);
    t.match(r.stderr, c.stderr, `${c.name}: ${c.code ? 'names the place' : 'nothing on stderr'}`);
  }
  const r = cli(['check'], dir);
  t.equal(r.code, 2, 'check with neither paths nor --config: exit 2');
});

t.test('run --one-shot --config: pipelines route lines; flags win over the file', async (t) => {
  const dir = tempDir(t, 'logmetrics-run-config-');
  writeFileSync(join(dir, 'a.mtail'), COUNT);
  writeFileSync(join(dir, 'b.mtail'), COUNT);
  writeFileSync(join(dir, 'one.log'), 'x\ny\n');
  writeFileSync(join(dir, 'two.log'), 'z\n');
  writeFileSync(join(dir, 'c.yml'), 'format: json\npipelines:\n  - {logs: one.log, programs: a.mtail}\n  - {logs: [one.log, two.log], programs: b.mtail}\n');
  const r = cli(['run', '--one-shot', '--config', 'c.yml', '--format', 'prometheus'], dir);
  t.equal(r.code, 0, `exit 0 (${r.stderr})`);
  t.match(r.stdout, /^lines_total\{prog="a\.mtail"\} 2$/m, 'a.mtail read one.log only');
  t.match(r.stdout, /^lines_total\{prog="b\.mtail"\} 3$/m, 'b.mtail read both logs, one.log once');
  const json = cli(['run', '--one-shot', '--config', 'c.yml'], dir);
  t.doesNotThrow(() => JSON.parse(json.stdout), 'format: json from the file');
  const overridden = cli(['run', '--one-shot', '--config', 'c.yml', '--progs', 'a.mtail', '--logs', 'one.log,two.log', '--format', 'prometheus'], dir);
  t.match(overridden.stdout, /^lines_total\{prog="a\.mtail"\} 3$/m, '--progs/--logs replace the pipelines');
  t.match(overridden.stderr, /event=config_pipelines_overridden/, 'and say so');
});
