// A worker thread of a parallel one-shot run (see parallel.ts): loads its share of the
// programs, reads every log up to the byte counts the main thread fixed, posts the datums.

import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../metrics/index.js';
import { LineProcessor, loadProgramFiles } from '../runtime/loader.js';
import { loadZone, Strptime } from '../go/time/index.js';
import { readToEnd } from '../tail/readToEnd.js';
import { datumData, type WorkerJob, type WorkerMessage } from './parallel.js';

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const zone = loadZone(job.timezone);
const outcomes = loadProgramFiles(job.programFiles, new Store({ nativeHistograms: job.nativeHistograms }), () => new Strptime(zone, Date.now, { syslogUseCurrentYear: job.syslogUseCurrentYear }), (prog, pos, message, line, first) => {
  // Cut here too, so a huge line is not copied to the main thread; logRuntimeError cuts it the same way.
  if (first) post({ type: 'runtime_error', prog, pos, message, line: line.slice(0, 201) });
});
const failed = outcomes.find((o) => !o.program);
// The main thread loaded the same files a moment ago; a difference means one changed since.
if (failed) throw new Error(`${failed.file}: ${failed.error ?? 'did not load'} in the worker thread`);
const programs = outcomes.map((o) => o.program!);
const processor = new LineProcessor(programs);
const sink = (line: string, filename: string) => processor.processLine(line, filename);
for (const log of job.logs) {
  // Unreadable logs are the main thread's to report; it reads the same files.
  await readToEnd(log.path, sink, { maxLineBytes: job.maxLineBytes, limitBytes: log.bytes, blocking: true }).catch(() => undefined);
}
post({
  type: 'done',
  programs: programs.map((p, i) => ({ file: outcomes[i]!.file, lines: p.lines, runtimeErrors: p.runtimeErrors, metrics: p.metrics.map((m) => [...m.datums()].map(datumData)) })),
});
