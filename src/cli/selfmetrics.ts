// The daemon's own metrics, in a store of their own that the one exposition writer walks
// after the programs' store: sources, programs, and the process_* metrics Prometheus clients export.

import { readdirSync, readFileSync } from 'node:fs';
import type { SampleFamily } from '../export/families.js';
import { Metric, Store, type MetricKind, type ValueType } from '../metrics/index.js';
import type { ProgramLogState, ProgramState } from '../runtime/programs.js';
import type { SourceStats, TailStats } from '../tail/index.js';

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

type Series = [labels: string[], value: number][];

/** The daemon's own metrics as of `now`, built afresh at each scrape (sources and programs come and go); `extra`: other parts' own families (remote writers). */
export function selfMetricsStore(
  tail: TailStats | undefined,
  programs: ProgramState[],
  startedAt: number,
  extra: readonly SampleFamily[] = [],
  refusals: { program: string; metric: string; count: number }[] = [],
  now = Date.now(),
): Store {
  const store = new Store();
  const add = (name: string, kind: MetricKind, help: string, keys: string[], series: Series, valueType: ValueType = 'int'): void => {
    const m = new Metric({ program: 'logmetrics', name, exportedName: name, kind, valueType, keys, hidden: false, source: '', help });
    for (const [labels, value] of series) {
      const d = m.datum(labels);
      d.value = value;
      d.time = now;
    }
    store.add(m);
  };
  const sources = Object.entries(tail?.sources ?? {});
  const bySource = (pick: (s: SourceStats) => number): Series => sources.map(([source, s]) => [[source, s.kind], pick(s)]);
  const byProgram = (pick: (p: ProgramState) => number): Series => programs.map((p) => [[p.name], pick(p)]);
  const source = ['source', 'kind'];
  add('logmetrics_log_lines_total', 'counter', 'Lines read, per source.', source, bySource((s) => s.lines));
  add('logmetrics_log_bytes_total', 'counter', 'Bytes read, per source.', source, bySource((s) => s.bytes));
  add('logmetrics_log_long_lines_cut_total', 'counter', 'Lines longer than --max-line-bytes, cut to that length.', source, bySource((s) => s.longLinesCut));
  add('logmetrics_log_rotations_total', 'counter', 'Times a followed path started naming a new file.', source, bySource((s) => s.rotations));
  add('logmetrics_log_truncations_total', 'counter', 'Times a followed file shrank and was read again from its start.', source, bySource((s) => s.truncations));
  const udp = sources.filter(([, s]) => s.kernelDrops !== undefined);
  add('logmetrics_log_receive_drops_total', 'counter', 'Datagrams the kernel dropped for a UDP source because its receive buffer was full (Linux: /proc/net/udp).', source, udp.map(([name, s]) => [[name, s.kind], s.kernelDrops!]));
  const buffered = sources.filter(([, s]) => s.receiveBufferBytes !== undefined);
  add('logmetrics_log_receive_buffer_bytes', 'gauge', 'Receive buffer the kernel granted a UDP source (--udp-receive-buffer-bytes, capped at net.core.rmem_max).', source, buffered.map(([name, s]) => [[name, s.kind], s.receiveBufferBytes!]));
  add('logmetrics_log_read_errors_total', 'counter', 'I/O errors while reading, per source.', source, bySource((s) => s.errors));
  // Without a writable --state-dir a restart re-reads or skips lines; the log line alone goes unseen.
  add('logmetrics_state_save_failures_total', 'counter', 'Failed writes of the read positions to --state-dir.', [], [[[], tail?.stateSaveFailures ?? 0]]);
  add('logmetrics_program_loaded', 'gauge', '1 when the last load of the program succeeded, 0 when it failed.', ['prog'], byProgram((p) => (p.state === 'loaded' ? 1 : 0)));
  add('logmetrics_program_load_errors_total', 'counter', 'Failed loads of a program (compile errors).', ['prog'], byProgram((p) => p.loadErrors));
  // Per program and log; a program without a top-level pattern block has no matched count.
  const byLog = (pick: (l: ProgramLogState) => number | undefined): Series => {
    const out: Series = [];
    for (const p of programs) {
      for (const l of p.logs) {
        const v = pick(l);
        if (v !== undefined) out.push([[p.name, l.log], v]);
      }
    }
    return out;
  };
  add('logmetrics_program_lines_total', 'counter', 'Lines run through the program, per log.', ['prog', 'log'], byLog((l) => l.lines));
  add('logmetrics_program_lines_matched_total', 'counter', 'Lines on which a top-level pattern block of the program ran, per log (none for a program without one).', ['prog', 'log'], byLog((l) => l.matched));
  add('logmetrics_program_runtime_errors_total', 'counter', 'Lines on which the program stopped with a run-time error.', ['prog'], byProgram((p) => p.runtimeErrors));
  add('logmetrics_series_refused_total', 'counter', 'New series not created because --max-series-per-metric or --max-series was reached.', ['prog', 'metric'], refusals.map((r) => [[r.program, r.metric], r.count]));
  const cpu = process.cpuUsage();
  add('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [], [[[], (cpu.user + cpu.system) / 1e6]], 'float');
  add('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', [], [[[], Math.floor(startedAt / 1000)]]);
  add('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [], [[[], procStatus('VmRSS') ?? process.memoryUsage().rss]]);
  const optional: [string, string, number | undefined][] = [
    ['process_virtual_memory_bytes', 'Virtual memory size in bytes.', procStatus('VmSize')],
    ['process_open_fds', 'Number of open file descriptors.', openFds()],
    ['process_max_fds', 'Maximum number of open file descriptors.', maxFds()],
  ];
  for (const [name, help, value] of optional) if (value !== undefined) add(name, 'gauge', help, [], [[[], value]]);
  for (const f of extra) {
    const keys = Object.keys(f.samples[0]?.[0] ?? {});
    add(f.name, f.type, f.help, keys, f.samples.map(([labels, value]) => [keys.map((k) => labels[k] ?? ''), value]), 'float');
  }
  return store;
}

/** The counters and gauges of a self-metrics store as plain families, for the remote writer. */
export function sampleFamilies(store: Store): SampleFamily[] {
  const out: SampleFamily[] = [];
  for (const m of store.metrics()) {
    const { exportedName: name, kind, keys, help } = m.spec;
    if (kind !== 'counter' && kind !== 'gauge') continue;
    const samples = [...m.datums()].map((d): [Record<string, string>, number] => [Object.fromEntries(keys.map((k, i) => [k, d.labels[i]!])), Number(d.value)]);
    out.push({ name, type: kind, help: help ?? '', samples });
  }
  return out;
}
