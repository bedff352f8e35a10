import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { checkCommand } from './check.js';
import { createLogger, LEVELS, type Level } from './log.js';
import { type OutputFormat, runOneShot } from './oneshot.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

/** `--logs a,b --logs c` → [a, b, c]. */
function splitList(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Builds the command-line interface; actions record their exit status in `status`. */
function buildProgram(io: Streams, status: { code: number }): Command {
  const program = new Command('logmetrics')
    .description('Turn log files into Prometheus metrics with mtail programs.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride();

  program
    .command('run')
    .description('run programs over logs and export the metrics')
    .requiredOption('--progs <path>', 'an .mtail file, or a directory whose .mtail files are the programs')
    .option('--logs <paths>', 'log files to read (repeatable, comma-separated; - for stdin)', splitList, [])
    .option('--one-shot', 'read each log from start to end, print the metrics and exit')
    .addOption(new Option('--format <format>', 'output format of --one-shot').choices(['prometheus', 'openmetrics', 'json']).default('prometheus'))
    .option('--no-prog-label', 'leave out the prog label that names the program on every sample')
    .option('--emit-metric-timestamp', 'append each sample\'s last update time')
    .option('--override-timezone <zone>', 'zone for strptime layouts without one (IANA name), default UTC')
    .option('--max-line-bytes <n>', 'cut lines longer than this', positiveInt, 1024 * 1024)
    .option('--no-syslog-use-current-year', 'keep year 0 for timestamps without a year instead of the current year')
    .addOption(new Option('--log-level <level>', 'least severe event logged on stderr').choices(LEVELS).default('info'))
    .action(async (opts) => {
      const logger = createLogger(opts.logLevel as Level, io.err);
      if (opts.logs.length === 0) throw new InvalidArgumentError('--logs is required: name at least one log file.');
      if (!opts.oneShot) {
        io.err.write('logmetrics: following logs needs --one-shot for now: the daemon mode is not built yet\n');
        status.code = 2;
        return;
      }
      status.code = await runOneShot(
        {
          progs: opts.progs,
          logs: opts.logs,
          format: opts.format as OutputFormat,
          progLabel: opts.progLabel,
          timestamps: Boolean(opts.emitMetricTimestamp),
          timezone: opts.overrideTimezone,
          maxLineBytes: opts.maxLineBytes,
          syslogUseCurrentYear: opts.syslogUseCurrentYear,
        },
        io.out,
        io.err,
        logger,
      );
    });

  program
    .command('check')
    .description('compile programs without running them; exit 1 if any fails')
    .argument('<paths...>', '.mtail files or directories of them')
    .addOption(new Option('--emit <what>', 'print the generated JavaScript or the typed AST').choices(['js', 'ast']))
    .action((paths: string[], opts: { emit?: 'js' | 'ast' }) => {
      status.code = checkCommand(paths, opts, io.out, io.err);
    });

  return program;
}

/** Runs the CLI with argv (as process.argv); resolves to the exit status. */
export async function main(argv: string[], io: Streams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const status = { code: 0 };
  const program = buildProgram(io, status);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InvalidArgumentError) {
      io.err.write(`logmetrics: ${e.message}\n`);
      return 2;
    }
    io.err.write(`logmetrics: ${(e as Error).message}\n`);
    return 1;
  }
  return status.code;
}
