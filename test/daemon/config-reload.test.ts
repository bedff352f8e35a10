// run --config: the file is reread when it changes and on SIGHUP. A new text rebinds the
// pipelines (programs loaded and unloaded, logs followed and dropped) without a restart; a
// file with an error is refused with its file:line:col and the running pipelines go on.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startDaemon, tempDir, valueOf } from './helpers.js';

const counter = (name: string) => `counter ${name}\n/^data/ {\n  ${name}++\n}\n`;

t.test('editing logmetrics.yml rebinds programs and logs; a bad file keeps the running config', async (t) => {
  const dir = tempDir(t, 'logmetrics-config-reload-');
  writeFileSync(join(dir, 'a.mtail'), counter('a_total'));
  writeFileSync(join(dir, 'b.mtail'), counter('b_total'));
  const one = join(dir, 'one.log');
  const two = join(dir, 'two.log');
  writeFileSync(one, '');
  writeFileSync(two, '');
  const config = join(dir, 'logmetrics.yml');
  const head = 'port: 0\naddress: 127.0.0.1\npipelines:\n';
  writeFileSync(config, `${head}  - name: first\n    logs: [one.log]\n    programs: [a.mtail]\n`);
  const d = await startDaemon(t, ['run', '--config', config]);
  const write = (file: string, n: number) => appendFileSync(file, 'data\n'.repeat(n));

  write(one, 3);
  write(two, 2);
  await d.waitForValue('a_total', {}, 3);
  let s = await d.samples();
  t.equal(valueOf(s, 'b_total'), undefined, 'b.mtail is not loaded: no pipeline names it');
  t.equal(valueOf(s, 'logmetrics_log_lines_total', { source: two }), undefined, 'two.log is not followed');

  // Both logs to both programs.
  let from = d.stderr().length;
  writeFileSync(config, `${head}  - name: first\n    logs: [one.log, two.log]\n    programs: [a.mtail, b.mtail]\n`);
  await d.waitForLog(/event=config_reloaded .*pipelines=1/, from);
  write(one, 1);
  write(two, 2);
  s = await d.waitForSamples('a_total 6 and b_total 3', (x) => valueOf(x, 'a_total') === 6 && valueOf(x, 'b_total') === 3);
  t.pass('two.log is followed from its end (its 2 earlier lines are not read), both programs read both logs');
  t.equal(valueOf(s, 'logmetrics_config_last_reload_successful'), 1, 'reload successful');

  // A bad file: refused with its position; the running pipelines go on.
  from = d.stderr().length;
  writeFileSync(config, `${head}  - name: first\n    logs: [one.log]\n    programz: [a.mtail]\n`);
  const line = await d.waitForLog(/event=config_reload_failed/, from);
  t.match(line, /logmetrics\.yml:6:5: pipelines\[0\]: unknown field \\"programz\\" \(did you mean \\"programs\\"\?\)/, 'the error names file:line:col and the nearest field');
  t.match(line, /still_running="the previous configuration"/, 'says the previous configuration runs on');
  write(two, 1);
  s = await d.waitForSamples('a_total 7 and b_total 4', (x) => valueOf(x, 'a_total') === 7 && valueOf(x, 'b_total') === 4);
  t.equal(valueOf(s, 'logmetrics_config_last_reload_successful'), 0, 'logmetrics_config_last_reload_successful 0');
  t.equal(valueOf(s, 'logmetrics_config_reload_failures_total'), 1, 'one failure counted, once');

  // Fixed, and applied by SIGHUP too: one.log dropped, b.mtail unloaded.
  from = d.stderr().length;
  writeFileSync(config, `${head}  - name: second\n    logs: [two.log]\n    programs: [a.mtail]\n`);
  await d.waitForLog(/event=config_reloaded/, from);
  from = d.stderr().length;
  d.child.kill('SIGHUP');
  await d.waitForLog(/event=config_reloaded/, from);
  write(one, 5);
  write(two, 1);
  s = await d.waitForSamples('a_total 8', (x) => valueOf(x, 'a_total') === 8);
  t.equal(valueOf(s, 'b_total'), undefined, 'b.mtail unloaded with its metrics');
  t.equal(valueOf(s, 'logmetrics_config_last_reload_successful'), 1, 'successful again');
  // one.log is no longer followed: its 5 lines were never counted (a_total would be 13).
  t.equal(valueOf(s, 'logmetrics_log_lines_total', { source: one }), undefined, 'one.log released');
  t.equal((await d.stop()).code, 0, 'exit 0');
});
