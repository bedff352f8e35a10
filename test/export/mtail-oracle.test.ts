// The oracle: Debian's mtail runs a program over a log; we build the store that
// program leaves (by hand, as the compiled program would) and compare our
// Prometheus text and JSON with mtail's, sample by sample. Histogram
// observations stay above the lowest bound, where rc50 and current mtail agree.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../../src/metrics/index.js';
import { prometheusText } from '../../src/export/prometheus.js';
import { jsonText } from '../../src/export/json.js';
import { addMetric, spec } from '../metrics/helpers.js';

const PROG_A = `counter c_plain
counter requests by code, path
gauge ratio
gauge size
timer t
histogram lat buckets 1, 2, 4
hidden counter hid
text last
counter dash as "dash-name"
counter shared by x

/^req (\\d+) (.*)$/ {
  requests[$1][$2]++
  last = $2
  hid++
  dash++
  shared["s"]++
}
/^size (\\d+)$/ {
  size = $1
}
/^lat (\\S+)$/ {
  lat = float($1)
  t = 7
}
/^ratio$/ {
  ratio = 0.1 + 0.2
}
/^NEVER$/ {
  c_plain++
}
`;
const PROG_B = `counter shared by x
/^req/ {
  shared["s"]++
}
`;
const LOG = ['req 200 /a"b', 'req 200 /a"b', 'req 404 /c\\d', 'req 500 x\ttab', 'size 12345678', 'lat 0.5', 'lat 3', 'lat 10', 'ratio'];

/** The store programs a.mtail and b.mtail leave after LOG. Sources are name positions, line:col-endcol. */
function expectedStore(): Store {
  const s = new Store();
  const a = (over: Parameters<typeof spec>[0]) => spec({ program: 'a.mtail', ...over });
  addMetric(s, a({ name: 'c_plain', kind: 'counter', source: 'a.mtail:1:9-15' }));
  addMetric(s, a({ name: 'requests', kind: 'counter', keys: ['code', 'path'], source: 'a.mtail:2:9-16' }), [
    [['200', '/a"b'], 2],
    [['404', '/c\\d'], 1],
    [['500', 'x\ttab'], 1],
  ]);
  addMetric(s, a({ name: 'ratio', kind: 'gauge', valueType: 'float', source: 'a.mtail:3:7-11' }), [[[], 0.1 + 0.2]]);
  addMetric(s, a({ name: 'size', kind: 'gauge', source: 'a.mtail:4:7-10' }), [[[], 12345678]]);
  addMetric(s, a({ name: 't', kind: 'timer', source: 'a.mtail:5:7' }), [[[], 7]]);
  addMetric(s, a({ name: 'lat', kind: 'histogram', valueType: 'float', buckets: [1, 2, 4], source: 'a.mtail:6:11-13' }), [
    [[], [0.5, 3, 10]],
  ]);
  addMetric(s, a({ name: 'hid', kind: 'counter', hidden: true, source: 'a.mtail:7:16-18' }), [[[], 4]]);
  addMetric(s, a({ name: 'last', kind: 'text', source: 'a.mtail:8:6-9' }), [[[], 'x\ttab']]);
  addMetric(s, a({ name: 'dash', exportedName: 'dash-name', kind: 'counter', source: 'a.mtail:9:9-12' }), [[[], 4]]);
  addMetric(s, a({ name: 'shared', kind: 'counter', keys: ['x'], source: 'a.mtail:10:9-14' }), [[['s'], 4]]);
  addMetric(s, spec({ name: 'shared', kind: 'counter', keys: ['x'], program: 'b.mtail', source: 'b.mtail:1:9-14' }), [
    [['s'], 4],
  ]);
  return s;
}

function runMtail(format: 'prometheus' | 'json'): { missing: boolean; status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logmetrics-oracle-'));
  try {
    fs.mkdirSync(path.join(dir, 'progs'));
    fs.writeFileSync(path.join(dir, 'progs', 'a.mtail'), PROG_A);
    fs.writeFileSync(path.join(dir, 'progs', 'b.mtail'), PROG_B);
    fs.writeFileSync(path.join(dir, 'log'), LOG.join('\n') + '\n');
    const r = spawnSync(
      'mtail',
      ['--one_shot', '--one_shot_format', format, '--progs', path.join(dir, 'progs'), '--logs', path.join(dir, 'log'), '--logtostderr', '--address', '127.0.0.1', '--port', '0'],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TZ: 'UTC' } },
    );
    const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    return { missing, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Exposition {
  /** family name -> "HELP text | TYPE". */
  families: Map<string, string>;
  /** canonical series (name and sorted labels) -> value. */
  samples: Map<string, number>;
}

/** Reads Prometheus text: HELP/TYPE per family, and samples keyed by name plus sorted unescaped labels. */
function parseExposition(text: string): Exposition {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : type).set(meta[2]!, meta[3]!);
      continue;
    }
    let i = line.search(/[{ ]/);
    const name = line.slice(0, i);
    const labels: [string, string][] = [];
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const key = line.slice(i, eq);
        let value = '';
        for (i = eq + 2; line[i] !== '"'; i++) {
          if (line[i] === '\\') {
            i++;
            value += line[i] === 'n' ? '\n' : line[i];
          } else value += line[i];
        }
        labels.push([key, value]);
        i++;
        if (line[i] === ',') i++;
      }
      i++;
    }
    const valueText = line.slice(i).trim().split(' ')[0]!;
    labels.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    samples.set(`${name}${JSON.stringify(labels)}`, valueText === '+Inf' ? Infinity : Number(valueText));
  }
  const families = new Map<string, string>();
  for (const [name, ty] of type) families.set(name, `${help.get(name)} | ${ty}`);
  return { families, samples };
}

t.test('Prometheus text: same families, help, types and samples as mtail', async (t) => {
  const r = runMtail('prometheus');
  if (r.missing) return void t.fail('mtail not found: apt-get install -y mtail');
  t.equal(r.status, 0, `mtail ran (stderr tail: ${r.stderr.slice(-300)})`);
  const theirs = parseExposition(r.stdout);
  const ours = parseExposition(prometheusText(expectedStore()));
  t.ok(theirs.samples.size > 10, `mtail printed ${theirs.samples.size} samples`);
  t.same([...ours.families].sort(), [...theirs.families].sort(), 'HELP and TYPE of every family');
  t.same([...ours.samples].sort(), [...theirs.samples].sort(), 'every sample and value');
});

interface JsonMetric {
  Name: string;
  Program: string;
  Kind: number;
  Type: number;
  Keys?: string[];
  Source?: string;
  Limit?: number;
  Buckets?: unknown;
  LabelValues?: { Labels?: string[]; Value: Record<string, unknown> }[];
}

/** A metric without datum times (they are wall-clock in mtail's run), datums in label order. */
function normalise(m: JsonMetric): unknown {
  const lvs = (m.LabelValues ?? []).map((lv) => {
    const { Time: _time, ...value } = lv.Value;
    return { Labels: lv.Labels ?? [], Value: value };
  });
  lvs.sort((x, y) => (JSON.stringify(x.Labels) < JSON.stringify(y.Labels) ? -1 : 1));
  return { ...m, LabelValues: lvs };
}

t.test('JSON: same metrics, kinds, types, labels and values as mtail', async (t) => {
  const r = runMtail('json');
  if (r.missing) return void t.fail('mtail not found: apt-get install -y mtail');
  t.equal(r.status, 0, 'mtail ran');
  // mtail's one-shot JSON maps names to lists; its /json handler serves the flat list we write.
  const theirs = Object.values(JSON.parse(r.stdout) as Record<string, JsonMetric[]>).flat();
  const ours = JSON.parse(jsonText(expectedStore())) as JsonMetric[];
  const key = (m: JsonMetric) => `${m.Name}/${m.Program}`;
  t.same(ours.map(key).sort(), theirs.map(key).sort(), 'the same metrics (hidden left out, text included)');
  const theirsByKey = new Map(theirs.map((m) => [key(m), m]));
  for (const m of ours) t.same(normalise(m), normalise(theirsByKey.get(key(m))!), `${key(m)} matches`);
});
