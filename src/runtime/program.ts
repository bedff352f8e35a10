import type { CompileResult } from '../lang/compile.js';
import { formatRange } from '../lang/source.js';
import type { Logger } from '../log/index.js';
import { histogramUpperBounds, Metric, type Store } from '../metrics/index.js';
import { compileMatcher, type Matcher } from '../regex/index.js';
import { ProgramRuntimeError, Runtime } from './rt.js';
import type { Strptime } from '../go/time/index.js';

/** Returns whether a top-level pattern block ran (always undefined when the program has none). */
type RunFn = (line: string, filename: string, now: number) => boolean | undefined;

/** Logs the first run-time error at a source position; the line is cut at 200 characters. */
export function logRuntimeError(logger: Logger, prog: string, pos: string, message: string, line: string): void {
  logger.log('warn', 'runtime_error', { prog, pos, error: message, line: sample(line), note: 'further errors at this position are counted, not logged' });
}

/** A log line as logs and the status page quote it: cut at 200 characters. */
export function sample(line: string): string {
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

/**
 * The match check (README "No silent failure"): a program that matched none of the first
 * FIRST_LINES lines of a log, or that was matching and then matched under 1% of a window of
 * WINDOW_LINES lines, is said to not match that log: one warning, until it matches 1% of a
 * window again. A window ends at its last line, except that one ending in a warning waits
 * for an unmatched line, the sample the warning shows.
 */
export const FIRST_LINES = 1000;
export const WINDOW_LINES = 10_000;

/** Why a program is said to not match a log, as the warning and the status page show it. */
export interface NotMatching {
  /** Unix ms of the warning. */
  at: number;
  message: string;
  /** An unmatched line of the log, cut at 200 characters. */
  sample: string;
}

/**
 * One program's counts for one log. `state` is the match check's verdict: 'new' before the
 * first FIRST_LINES lines, 'rare' for a program that matches under 1% of its lines but has
 * matched (one counting rare events), 'unknown' for a program without a top-level pattern block.
 */
export class LogCounts {
  lines = 0;
  /** Lines on which a top-level pattern block ran. */
  matched = 0;
  runtimeErrors = 0;
  /** Unix ms of the last line (the time its batch was read). */
  lastLineAt = 0;
  state: 'new' | 'matching' | 'rare' | 'not matching' | 'unknown' = 'new';
  /** Set when the program stopped matching, until it matches again. */
  notMatching: NotMatching | undefined;
  /** The match check's next review: at the first unmatched line from this count on. */
  nextReview = FIRST_LINES;
  private windowLines = 0;
  private windowMatched = 0;

  /**
   * Ends the current window; returns why the program is said to not match now, if it just
   * stopped. On a matched line a window that would warn stays open: the warning waits for
   * an unmatched line to show.
   */
  review(lineMatched: boolean): string | undefined {
    const lines = this.lines - this.windowLines;
    const matched = this.matched - this.windowMatched;
    const low = matched * 100 < lines;
    if (lineMatched && low && this.state === 'matching') return undefined;
    this.windowLines = this.lines;
    this.windowMatched = this.matched;
    this.nextReview = this.lines + WINDOW_LINES;
    let why: string | undefined;
    if (this.state === 'new' && matched === 0) why = `matched none of the first ${lines} lines`;
    else if (this.state === 'matching' && low) why = `matched ${matched} of the last ${lines} lines (under 1%)`;
    if (why !== undefined) this.state = 'not matching';
    else if (!low) this.state = 'matching';
    else if (this.state === 'new') this.state = 'rare';
    if (this.state === 'matching') this.notMatching = undefined;
    return why;
  }
}

/** A compiled program bound to its metrics, ready to process lines. */
export class LoadedProgram {
  lines = 0;
  runtimeErrors = 0;
  /** Where and why the program last stopped on a line. */
  lastError: { position: string; message: string } | undefined;
  private readonly failedSites = new Set<number>();
  /** Counts by log (the name lines carry); the last one used is kept at hand, as lines come in runs from one log. */
  readonly logs = new Map<string, LogCounts>();
  private currentLog: string | undefined;
  private current = new LogCounts();

  constructor(
    readonly name: string,
    readonly metrics: Metric[],
    /** What it was built from (to build twins of it, as parallel.ts does to time it). */
    readonly result: CompileResult,
    private readonly fn: RunFn,
    private readonly logger: Logger,
  ) {}

  /** Runs the program over one line; a run-time error stops it for this line only (counted, and logged once per source position). */
  run(line: string, filename: string, now: number): void {
    let c = this.current;
    if (filename !== this.currentLog) c = this.countsFor(filename);
    this.lines++;
    c.lines++;
    c.lastLineAt = now;
    try {
      const hit = this.fn(line, filename, now) === true;
      if (hit) c.matched++;
      if (c.lines >= c.nextReview) this.review(c, hit, line, filename, now);
    } catch (err) {
      this.runtimeErrors++;
      c.runtimeErrors++;
      const known = err instanceof ProgramRuntimeError;
      const site = known ? err.site : -1;
      const position = this.result.generated?.sites[site] ?? this.name;
      const message = known || err instanceof Error ? err.message : String(err);
      this.lastError = { position, message };
      if (this.failedSites.has(site)) return;
      this.failedSites.add(site);
      logRuntimeError(this.logger, this.name, position, message, line);
    }
  }

  private countsFor(log: string): LogCounts {
    let c = this.logs.get(log);
    if (c === undefined) {
      c = new LogCounts();
      if (this.result.generated?.reportsMatch !== true) {
        c.state = 'unknown';
        c.nextReview = Infinity;
      }
      this.logs.set(log, c);
    }
    this.currentLog = log;
    this.current = c;
    return c;
  }

  /** The match check at the end of a window: one warning when the program stops matching the log. */
  private review(c: LogCounts, hit: boolean, line: string, log: string, now: number): void {
    const why = c.review(hit);
    if (why === undefined) return;
    const quoted = sample(line);
    c.notMatching = { at: now, message: why, sample: quoted };
    this.logger.log('warn', 'program_not_matching', {
      prog: this.name,
      log,
      reason: why,
      sample: quoted,
      note: 'no top-level pattern of the program matched: is this the log it was written for, in the format it expects? (expected only for a program that counts rare events)',
    });
  }
}

/** Metric declarations of a compiled program as store metrics (not yet added to a store). */
export function metricsOf(name: string, result: CompileResult): Metric[] {
  return (result.checked?.metrics ?? []).map(
    (d) =>
      new Metric({
        program: name,
        name: d.name,
        exportedName: d.exportedName,
        kind: d.kind,
        valueType: d.valueType,
        keys: d.keys,
        buckets: d.buckets ? histogramUpperBounds(d.buckets) : undefined,
        limit: d.limit ?? undefined,
        hidden: d.hidden,
        source: formatRange(result.source, d.span),
        help: d.help ?? undefined,
      }),
  );
}

/** Binds a successfully compiled program to new metrics in `store` and turns its code into a function. */
export function instantiate(name: string, result: CompileResult, store: Store, strptime: Strptime, logger: Logger): LoadedProgram {
  const { checked, generated } = result;
  if (!checked || !generated) throw new Error(`internal error: ${name} did not compile`);
  const metrics = metricsOf(name, result);
  // A subst() pattern's captures are never read, and its replace-all twin needs the plain matcher.
  const compiled = checked.patterns.map((p, i) => compileMatcher(p.source, p.defines ? generated.groups[i] : undefined));
  const matchers = compiled.map((c) => c.matcher);
  // rt.rsubst() needs only exec() and lastIndex, which every global matcher has.
  const globals = checked.patterns.map((p, i) => (p.defines ? null : (compiled[i].global() as unknown as RegExp)));
  const factory = new Function('rt', 'M', 'R', 'G', generated.code) as (rt: Runtime, M: Metric[], R: Matcher[], G: (RegExp | null)[]) => RunFn;
  const fn = factory(new Runtime(strptime, checked.maxRegexLength), metrics, matchers, globals);
  for (const m of metrics) store.add(m);
  return new LoadedProgram(name, metrics, result, fn, logger);
}
