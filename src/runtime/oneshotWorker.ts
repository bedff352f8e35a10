// A worker thread of a parallel one-shot run (see parallel.ts): loads its share of the
// programs, reads every log up to the byte counts the main thread fixed, posts the datums.

import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../log/index.js';
import { Store } from '../metrics/index.js';
import { readToEnd } from '../tail/readToEnd.js';
import { datumData, type WorkerJob, type WorkerMessage } from './parallel.js';
import { ProgramSet } from './programs.js';

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
// Events go to the main thread's logger (run-time errors cut their line to 200 characters, so a huge line is not copied).
const logger: Logger = { log: (level, event, fields) => post({ type: 'log', level, event, fields }) };
// Compile diagnostics are the main thread's to report: it loaded the same files.
const set = new ProgramSet({ store: new Store({ nativeHistograms: job.nativeHistograms }), logger, limits: job.limits, timezone: job.timezone, syslogUseCurrentYear: job.syslogUseCurrentYear, diagnostics: () => {} });
for (const file of job.programFiles) {
  // The main thread loaded the same files a moment ago; a difference means one changed since.
  if (!set.load(file)) throw new Error(`${file}: did not load in the worker thread`);
}
set.route(job.bindings);
for (const log of job.logs) {
  // Unreadable logs are the main thread's to report; it reads the same files.
  await readToEnd(log.path, set, { maxLineBytes: job.maxLineBytes, limitBytes: log.bytes, blocking: true }).catch(() => undefined);
}
post({
  type: 'done',
  programs: set.loaded().map(({ file, program: p }) => ({ file, lines: p.lines, runtimeErrors: p.runtimeErrors, metrics: p.metrics.map((m) => [...m.datums()].map(datumData)) })),
});
