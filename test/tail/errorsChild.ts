// Run by errors.test.ts as an unprivileged child: follows DIR/*.log, where one file cannot be
// opened, and prints {lines, stats, events} as JSON once the readable file's lines are in.
import { Tailer } from '../../src/tail/index.js';

const dir = process.argv[2];
const lines: string[] = [];
const events: string[] = [];
const tailer = new Tailer({
  patterns: [`${dir}/*.log`],
  fromStart: true,
  pollIntervalMs: 20,
  processor: { processLine: (line) => lines.push(line) },
  logger: { log: (_level, event, fields) => events.push(`${event} ${JSON.stringify(fields)}`) },
});
await tailer.start();
const deadline = Date.now() + 10000;
while (lines.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
// Let several more polls retry the unreadable file: its error must be counted once.
await new Promise((r) => setTimeout(r, 200));
await tailer.stop();
process.stdout.write(JSON.stringify({ lines, stats: tailer.stats(), events }) + '\n');
