// logmetrics.yml: pipelines and settings read with positions; every error names file:line:col.
import path from 'node:path';
import t from 'tap';
import { ConfigError, parseConfig, type SettingSpec } from '../../src/config/index.js';
import { didYouMean } from '../../src/yaml/reader.js';

const DIR = '/etc/logmetrics';
const FILE = path.join(DIR, 'logmetrics.yml');

const port = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error('expected a port number from 0 to 65535.');
  return n;
};
const SPECS: SettingSpec[] = [
  { key: 'port', kind: 'value', parse: port },
  { key: 'address', kind: 'value' },
  { key: 'from-start', kind: 'flag' },
  { key: 'prog-label', kind: 'flag' },
  { key: 'state-dir', kind: 'value', path: true },
  { key: 'remote-write.url', kind: 'list', parse: (text, previous: unknown) => [...((previous as string[] | undefined) ?? []), text] },
  { key: 'remote-write.external-label', kind: 'pairs', parse: (text, previous: unknown) => ({ ...(previous as object), [text.split('=')[0]!]: text.slice(text.indexOf('=') + 1) }) },
];

const PIPE = 'pipelines:\n  - logs: /var/log/a.log\n    programs: a.mtail\n';

t.test('a full file: pipelines, settings, paths resolved against its folder', async (t) => {
  const text = `# comment
port: 9100
address: 127.0.0.1
from-start: true
prog-label: false
state-dir: state
remote-write.url: [http://a/api/v1/write, http://b/api/v1/write]
remote-write.external-label:
  cluster: eu-1
  env: prod
pipelines:
  - name: nginx
    logs:
      - /var/log/nginx/access.log
      - /var/log/nginx/*.access.log
    programs: [programs/nginx.mtail]
  - name: syslog
    logs: [/var/log/syslog, udp://0.0.0.0:514, unix://run/log.sock, '-']
    programs: /usr/share/logmetrics/programs
  - logs: /var/log/nginx/access.log
    programs: [programs/nginx.mtail, other.mtail]
`;
  const c = parseConfig(text, FILE, SPECS);
  t.same(
    [...c.settings.values()].map((s) => [s.key, s.value, s.where]),
    [
      ['port', 9100, `${FILE}:2:1`],
      ['address', '127.0.0.1', `${FILE}:3:1`],
      ['from-start', true, `${FILE}:4:1`],
      ['prog-label', false, `${FILE}:5:1`],
      ['state-dir', '/etc/logmetrics/state', `${FILE}:6:1`],
      ['remote-write.url', ['http://a/api/v1/write', 'http://b/api/v1/write'], `${FILE}:7:1`],
      ['remote-write.external-label', { cluster: 'eu-1', env: 'prod' }, `${FILE}:8:1`],
    ],
  );
  t.same(
    c.pipelines.map((p) => [p.name, p.where, p.logs, p.programs]),
    [
      ['nginx', `${FILE}:12:5`, ['/var/log/nginx/access.log', '/var/log/nginx/*.access.log'], ['/etc/logmetrics/programs/nginx.mtail']],
      ['syslog', `${FILE}:17:5`, ['/var/log/syslog', 'udp://0.0.0.0:514', 'unix:///etc/logmetrics/run/log.sock', '-'], ['/usr/share/logmetrics/programs']],
      ["pipeline 3", `${FILE}:20:5`, ['/var/log/nginx/access.log'], ['/etc/logmetrics/programs/nginx.mtail', '/etc/logmetrics/other.mtail']],
    ],
  );
  t.equal(c.pipelines[2]!.programsAt.get('/etc/logmetrics/other.mtail'), `${FILE}:21:38`, 'each program entry keeps its position');
});

t.test('every error names file:line:col', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['not YAML', 'pipelines: [\n', /:2:1: not valid YAML/],
    ['a duplicate key', `port: 1\nport: 2\n${PIPE}`, /:2:1: not valid YAML: Map keys must be unique/],
    ['an empty file', '# nothing\n', /^\S+logmetrics\.yml(:\d+:\d+)?: the config file is empty/],
    ['not a mapping', '- a\n- b\n', /:1:1: the config file must be a mapping/],
    ['no pipelines', 'port: 1\n', /:1:1: no pipelines/],
    ['an unknown setting, near one', `prot: 1\n${PIPE}`, /:1:1: unknown setting "prot" \(did you mean "port"\?\)/],
    ['an unknown setting, near none', `colour: red\n${PIPE}`, /:1:1: unknown setting "colour"; the settings are the long options/],
    ['a typo of pipelines', 'pipeline:\n  - logs: a\n    programs: b\n', /:1:1: unknown setting "pipeline" \(did you mean "pipelines"\?\)/],
    ['the --no- spelling of a flag', `no-prog-label: true\n${PIPE}`, /:1:1: unknown setting "no-prog-label": write "prog-label: false"/],
    ['progs at the top', `progs: /p\n${PIPE}`, /:1:1: "progs" goes in a pipeline/],
    ['logs at the top', `${PIPE}logs: /l\n`, /:4:1: "logs" goes in a pipeline/],
    ['config in a config', `config: x.yml\n${PIPE}`, /:1:1: a config file cannot name another one/],
    ['a bad value', `port: 99999\n${PIPE}`, /:1:7: port: expected a port number from 0 to 65535/],
    ['a bad entry of a list', `remote-write.url: [a, {b: c}]\n${PIPE}`, /:1:23: remote-write.url entry must be a single value, not a mapping/],
    ['a flag that is not a boolean', `from-start: yes\n${PIPE}`, /:1:13: from-start must be true or false/],
    ['a value option without a value', `address:\n${PIPE}`, /:1:9: address needs a value|:1:1: address needs a value/],
    ['a list for a single value', `port: [1, 2]\n${PIPE}`, /:1:7: port must be a single value, not a list/],
    ['pipelines not a list', 'pipelines:\n  logs: a\n', /:2:3: pipelines must be a list/],
    ['pipelines empty', 'pipelines: []\n', /:1:12: pipelines: give at least one pipeline/],
    ['a pipeline not a mapping', 'pipelines:\n  - /var/log/a.log\n', /:2:5: pipelines\[0\] must be a mapping/],
    ['an unknown pipeline field', 'pipelines:\n  - logs: a\n    program: b\n', /:3:5: pipelines\[0\]: unknown field "program" \(did you mean "programs"\?\)/],
    ['a pipeline without logs', 'pipelines:\n  - name: web\n    programs: b\n', /:2:5: pipelines\[0\] \(web\): no logs/],
    ['a pipeline without programs', 'pipelines:\n  - logs: a\n', /:2:5: pipelines\[0\] \(pipeline 1\): no programs/],
    ['empty logs', 'pipelines:\n  - logs: []\n    programs: b\n', /:2:11: pipelines\[0\]\.logs: give at least one/],
    ['an empty log entry', 'pipelines:\n  - logs: ["", a]\n    programs: b\n', /:2:12: pipelines\[0\]\.logs: an empty entry/],
    ['a log that cannot be followed', 'pipelines:\n  - logs: [a, unixgram:///dev/log]\n    programs: b\n', /:2:15: pipelines\[0\]\.logs: "unixgram:\/\/\/dev\/log": unix datagram sockets/],
    ['a bad socket address', 'pipelines:\n  - logs: udp://514\n    programs: b\n', /:2:11: pipelines\[0\]\.logs: "udp:\/\/514": expected HOST:PORT/],
    ['two pipelines of one name', 'pipelines:\n  - {name: a, logs: x, programs: y}\n  - {name: a, logs: x, programs: y}\n', /:3:12: pipelines\[1\]: the name "a" is taken by the pipeline at \S+:2:5/],
    ['a name that is not a string', 'pipelines:\n  - {name: [a], logs: x, programs: y}\n', /:2:12: pipelines\[0\]\.name must be a string/],
  ];
  for (const [name, text, want] of cases) {
    try {
      parseConfig(text, FILE, SPECS);
      t.fail(`${name}: accepted`);
    } catch (err) {
      t.type(err, ConfigError, `${name}: a ConfigError`);
      t.match((err as Error).message, want, name);
      t.ok((err as Error).message.startsWith(FILE), `${name}: starts with the file name`);
    }
  }
});

t.test('did you mean', async (t) => {
  const known = ['port', 'address', 'state-dir', 'web.config.file', 'pipelines'];
  const cases: [string, string | undefined][] = [
    ['prot', 'port'],
    ['adress', 'address'],
    ['statedir', 'state-dir'],
    ['state_dir', 'state-dir'],
    ['web.config', 'web.config.file'],
    ['pipeline', 'pipelines'],
    ['xyz', undefined],
    ['logs', undefined],
  ];
  for (const [name, want] of cases) t.equal(didYouMean(name, known), want, name);
});
