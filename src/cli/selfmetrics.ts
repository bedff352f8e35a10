import { readdirSync, readFileSync } from 'node:fs';
import { escapeLabelValue, formatValue } from '../export/textformat.js';
import type { ProgramSet } from '../runtime/programs.js';
import type { TailStats } from '../tail/index.js';

type Sample = [labels: Record<string, string>, value: number];

interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: Sample[];
}

function procStatus(field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon's own metrics: sources, programs, and the process_* metrics Prometheus clients export. */
export function selfMetricFamilies(tail: TailStats | undefined, programs: ProgramSet, startedAt: number, refusals: { program: string; metric: string; count: number }[] = []): Family[] {
  const bySource = (pick: (s: TailStats['sources'][string]) => number): Sample[] =>
    Object.entries(tail?.sources ?? {}).map(([source, s]) => [{ source, kind: s.kind }, pick(s)]);
  const progs = programs.list();
  const cpu = process.cpuUsage();
  const families: Family[] = [
    { name: 'logmetrics_log_lines_total', type: 'counter', help: 'Lines read, per source.', samples: bySource((s) => s.lines) },
    { name: 'logmetrics_log_bytes_total', type: 'counter', help: 'Bytes read, per source.', samples: bySource((s) => s.bytes) },
    { name: 'logmetrics_log_long_lines_cut_total', type: 'counter', help: 'Lines longer than --max-line-bytes, cut to that length.', samples: bySource((s) => s.longLinesCut) },
    { name: 'logmetrics_log_rotations_total', type: 'counter', help: 'Times a followed path started naming a new file.', samples: bySource((s) => s.rotations) },
    { name: 'logmetrics_log_truncations_total', type: 'counter', help: 'Times a followed file shrank and was read again from its start.', samples: bySource((s) => s.truncations) },
    { name: 'logmetrics_log_read_errors_total', type: 'counter', help: 'I/O errors while reading, per source.', samples: bySource((s) => s.errors) },
    { name: 'logmetrics_program_loaded', type: 'gauge', help: '1 when the last load of the program succeeded, 0 when it failed.', samples: progs.map((p) => [{ prog: p.name }, p.state === 'loaded' ? 1 : 0]) },
    { name: 'logmetrics_program_load_errors_total', type: 'counter', help: 'Failed loads of a program (compile errors).', samples: progs.map((p) => [{ prog: p.name }, p.loadErrors]) },
    { name: 'logmetrics_program_lines_total', type: 'counter', help: 'Lines run through the program.', samples: progs.map((p) => [{ prog: p.name }, p.program?.lines ?? 0]) },
    { name: 'logmetrics_program_runtime_errors_total', type: 'counter', help: 'Lines on which the program stopped with a run-time error.', samples: progs.map((p) => [{ prog: p.name }, p.program?.runtimeErrors ?? 0]) },
    {
      name: 'logmetrics_series_refused_total',
      type: 'counter',
      help: 'New series not created because --max-series-per-metric or --max-series was reached.',
      samples: refusals.map((r) => [{ prog: r.program, metric: r.metric }, r.count]),
    },
    { name: 'process_cpu_seconds_total', type: 'counter', help: 'Total user and system CPU time spent in seconds.', samples: [[{}, (cpu.user + cpu.system) / 1e6]] },
    { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since unix epoch in seconds.', samples: [[{}, Math.floor(startedAt / 1000)]] },
  ];
  const rss = procStatus('VmRSS') ?? process.memoryUsage().rss;
  families.push({ name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.', samples: [[{}, rss]] });
  const vsz = procStatus('VmSize');
  if (vsz !== undefined) families.push({ name: 'process_virtual_memory_bytes', type: 'gauge', help: 'Virtual memory size in bytes.', samples: [[{}, vsz]] });
  const fds = openFds();
  if (fds !== undefined) families.push({ name: 'process_open_fds', type: 'gauge', help: 'Number of open file descriptors.', samples: [[{}, fds]] });
  const max = maxFds();
  if (max !== undefined) families.push({ name: 'process_max_fds', type: 'gauge', help: 'Maximum number of open file descriptors.', samples: [[{}, max]] });
  return families;
}

/** Writes families as Prometheus text, or as OpenMetrics (counter families named without `_total`). */
export function writeFamilies(families: Family[], openMetrics: boolean, write: (chunk: string) => void): void {
  let out = '';
  for (const f of families) {
    const family = openMetrics && f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
    out += `# HELP ${family} ${f.help}\n# TYPE ${family} ${f.type}\n`;
    for (const [labels, value] of f.samples) {
      const ls = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      out += `${f.name}${ls ? `{${ls}}` : ''} ${formatValue(value)}\n`;
    }
  }
  write(out);
}
