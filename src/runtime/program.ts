import type { CompileResult } from '../lang/compile.js';
import { formatRange } from '../lang/source.js';
import type { Logger } from '../log/index.js';
import { histogramUpperBounds, Metric, type Store } from '../metrics/index.js';
import { compileMatcher, type Matcher } from '../regex/index.js';
import { ProgramRuntimeError, Runtime } from './rt.js';
import type { Strptime } from '../go/time/index.js';

type RunFn = (line: string, filename: string, now: number) => void;

/** Logs the first run-time error at a source position; the line is cut at 200 characters. */
export function logRuntimeError(logger: Logger, prog: string, pos: string, message: string, line: string): void {
  logger.log('warn', 'runtime_error', { prog, pos, error: message, line: line.length > 200 ? line.slice(0, 200) + '…' : line, note: 'further errors at this position are counted, not logged' });
}

/** A compiled program bound to its metrics, ready to process lines. */
export class LoadedProgram {
  lines = 0;
  runtimeErrors = 0;
  /** Where and why the program last stopped on a line. */
  lastError: { position: string; message: string } | undefined;
  private readonly failedSites = new Set<number>();

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
    this.lines++;
    try {
      this.fn(line, filename, now);
    } catch (err) {
      this.runtimeErrors++;
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
