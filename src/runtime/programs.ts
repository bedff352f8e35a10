import { dirname, resolve } from 'node:path';
import { formatDiagnostics, type CompileResult } from '../lang/compile.js';
import { type Logger, silentLogger } from '../log/index.js';
import type { Store } from '../metrics/index.js';
import type { LineProcessor } from '../tail/processor.js';
import { sourceMatcher } from '../tail/sourcePattern.js';
import { BatchClock } from './clock.js';
import { compileFile, programFiles } from './loader.js';
import type { CheckLimits } from '../lang/checker/index.js';
import { instantiate, type LoadedProgram, type NotMatching } from './program.js';
import { loadZone, Strptime } from '../go/time/index.js';

/** What a ProgramSet is built from. */
export interface ProgramSetOptions {
  /** Metrics of every program are added here. */
  store: Store;
  /** Load events and run-time errors (the first at each source position) go here. */
  logger: Logger;
  /** Log run-time errors (default true); they are counted either way. */
  logRuntimeErrors?: boolean;
  /** .mtail files or directories of them: what reloadAll() loads. */
  progs?: string | readonly string[];
  /** mtail's -max_recursion_depth and -max_regexp_length; default 100 and 1024. */
  limits?: CheckLimits;
  /** Zone for strptime layouts without one (IANA name); default UTC. Throws when unknown. */
  timezone?: string;
  /** Give timestamps without a year the current year (mtail's default). Default true. */
  syslogUseCurrentYear?: boolean;
  /**
   * Where compile errors and warnings go as code frames (a one-shot run's stderr). Without it
   * they go into the logged event, as a daemon's log wants them; with it the events only name
   * the program, and successful loads are logged at debug level.
   */
  diagnostics?: (text: string) => void;
}

/** What the status page and self-metrics show about one program file. */
export interface ProgramState {
  name: string;
  file: string;
  /** 'failed' means the last load failed; a previous version may still be running. */
  state: 'loaded' | 'failed';
  /** Unix ms of the last successful load. */
  loadedAt?: number;
  /** The last load error with code frames, when the last load failed. */
  error?: string;
  loadErrors: number;
  /** Lines the running version has seen. */
  lines: number;
  runtimeErrors: number;
  /** The running version's counts per log it has seen lines of, in the order first seen. */
  logs: ProgramLogState[];
}

/** One program's counts for one log (what logmetrics_program_lines_total and _matched_total count). */
export interface ProgramLogState {
  /** The name the log's lines carry: a path, a socket, "host:port" or "-". */
  log: string;
  lines: number;
  /** Lines on which a top-level pattern block of the program ran; undefined when the program has none. */
  matched: number | undefined;
  runtimeErrors: number;
  /** Unix ms of the last line. */
  lastLineAt: number;
  /** Set while the program is said to not match the log (the warning it got). */
  notMatching?: NotMatching;
}

/** A pipeline as the runtime sees it: the lines of these sources go to these programs. */
export interface Binding {
  /** Source patterns as --logs takes them (paths, globs, -, unix://, tcp://, udp://). */
  logs: readonly string[];
  /** .mtail files or directories of them. */
  programs: readonly string[];
}

/** A binding ready for lines: which source names it takes, which program files it owns. */
interface Route {
  takes: (filename: string) => boolean;
  owns: (file: string) => boolean;
}

/** A program file's state, less the counts, which the running version keeps. */
interface Entry extends Omit<ProgramState, 'lines' | 'runtimeErrors' | 'logs'> {
  /** The running version: the last one that loaded. */
  program?: LoadedProgram;
}

/**
 * The programs of a run, and the one place where lines enter the runtime (processLine, the
 * LineProcessor every source hands its lines to). Each file is (re)loaded on its own: a program
 * that fails to compile keeps its previous version running, and a reloaded program keeps the
 * values of every metric whose declaration did not change.
 */
export class ProgramSet implements LineProcessor {
  private readonly entries = new Map<string, Entry>();
  /** The programs processLine runs, in load order. */
  private running: LoadedProgram[] = [];
  /** When set, only programs of these files run here (the others run on other threads). */
  private only: Set<string> | undefined;
  /** The program paths reloadAll() loads. */
  private progs: string[];
  /** Undefined: every program takes every line (the --progs/--logs case). */
  private routes: Route[] | undefined;
  /** Per source name, the programs its lines go to when routes are set; emptied on every change. */
  private readonly routed = new Map<string, LoadedProgram[]>();
  private readonly clock = new BatchClock();
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly strptime: () => Strptime;

  constructor(private readonly opts: ProgramSetOptions) {
    this.store = opts.store;
    this.logger = opts.logger;
    this.progs = opts.progs === undefined ? [] : typeof opts.progs === 'string' ? [opts.progs] : [...opts.progs];
    const zone = loadZone(opts.timezone ?? 'UTC');
    const syslogUseCurrentYear = opts.syslogUseCurrentYear ?? true;
    this.strptime = () => new Strptime(zone, Date.now, { syslogUseCurrentYear });
  }

  /**
   * Runs a line through every running program bound to its source (every running program
   * without bindings). Never throws: each program catches, counts and logs its own run-time errors.
   */
  processLine(line: string, filename: string): void {
    const now = this.clock.now();
    const programs = this.routes === undefined ? this.running : (this.routed.get(filename) ?? this.programsFor(filename));
    for (let i = 0; i < programs.length; i++) programs[i]!.run(line, filename, now);
  }

  /** Loads (or reloads) every program file under the progs paths and drops programs whose file is gone; false when a path cannot be read. */
  reloadAll(): boolean {
    if (this.opts.progs === undefined && this.routes === undefined) throw new Error('internal error: ProgramSet.reloadAll() without a progs path or bindings');
    return this.sync(true);
  }

  /**
   * Binds programs to sources (undefined: every program takes every line) and makes the progs
   * paths the bindings' programs: programs new to them are loaded, programs no binding names any
   * more are unloaded, the others keep running untouched. False when a path cannot be read.
   */
  bind(bindings: readonly Binding[] | undefined, cwd: string = process.cwd()): boolean {
    this.route(bindings, cwd);
    if (bindings === undefined) return true;
    this.progs = [...new Set(bindings.flatMap((b) => b.programs.map((p) => resolve(cwd, p))))];
    return this.sync(false);
  }

  /** Sends lines only to the programs bound to their source (undefined: every program takes every line); loads nothing. */
  route(bindings: readonly Binding[] | undefined, cwd: string = process.cwd()): void {
    this.routes = bindings?.map((b) => ({ takes: sourceMatcher(b.logs, cwd), owns: ownership(b.programs.map((p) => resolve(cwd, p))) }));
    this.refresh();
  }

  /** Loads the files under the progs paths (all of them with `reload`, else only new ones) and unloads the others. */
  private sync(reload: boolean): boolean {
    const files = new Set<string>();
    /** Paths that cannot be read now: their programs keep running. */
    const unreadable: string[] = [];
    for (const path of this.progs) {
      try {
        for (const f of programFiles(path)) files.add(f);
      } catch (err) {
        unreadable.push(path);
        this.logger.log('error', 'progs_unreadable', { path, error: (err as Error).message });
      }
    }
    const keep = ownership(unreadable);
    for (const file of [...this.entries.keys()]) if (!files.has(file) && !keep(file)) this.unload(file);
    for (const file of files) if (reload || !this.entries.has(file)) this.load(file);
    return unreadable.length === 0;
  }

  /** Compiles and binds one file; on failure the previous version (if any) keeps running. Returns whether it loaded. */
  load(file: string): boolean {
    const prev = this.entries.get(file);
    const { name, result, error } = compileFile(file, this.opts.limits);
    const report = this.opts.diagnostics;
    if (result && report && result.diagnostics.length) report(formatDiagnostics(result));
    /** `logged` stands for `message` in the event when the code frames went to opts.diagnostics. */
    const fail = (message: string, logged = message): false => {
      this.entries.set(file, { name, file, state: 'failed', error: message, loadErrors: (prev?.loadErrors ?? 0) + 1, program: prev?.program, loadedAt: prev?.loadedAt });
      this.logger.log('error', 'program_load_failed', { prog: name, file, error: logged, still_running: prev?.program ? 'previous version' : 'nothing' });
      this.refresh();
      return false;
    };
    if (!result) return fail(error!);
    if (!result.generated) return fail(formatDiagnostics(result), report ? 'compile failed' : undefined);
    let program: LoadedProgram;
    try {
      program = instantiate(name, result, this.store, this.strptime(), this.opts.logRuntimeErrors === false ? silentLogger : this.logger);
    } catch (err) {
      this.restoreMetrics(name, result, prev?.program);
      return fail((err as Error).message);
    }
    // Metrics the new version no longer declares leave the store.
    const kept = new Set(program.metrics.map((m) => m.spec.name));
    for (const m of prev?.program?.metrics ?? []) if (!kept.has(m.spec.name)) this.store.remove(name, m.spec.name);
    this.entries.set(file, { name, file, state: 'loaded', loadedAt: Date.now(), loadErrors: prev?.loadErrors ?? 0, program });
    if (result.diagnostics.length && !report) this.logger.log('warn', 'program_warnings', { prog: name, warnings: formatDiagnostics(result) });
    this.logger.log(report ? 'debug' : 'info', prev ? 'program_reloaded' : 'program_loaded', { prog: name, file });
    this.refresh();
    return true;
  }

  /** Stops a program whose file was removed, and drops its metrics. */
  unload(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    this.store.removeProgram(entry.name);
    this.logger.log('info', 'program_unloaded', { prog: entry.name, file });
    this.refresh();
  }

  /** Whether a changed path is one this set loads: a --progs file, or a .mtail file directly in a --progs directory. */
  owns(file: string): boolean {
    return ownership(this.progs)(file);
  }

  /** The program paths this set loads (the daemon watches them). */
  paths(): readonly string[] {
    return this.progs;
  }

  /** Every program file's state, for the status page and self-metrics. */
  list(): ProgramState[] {
    return [...this.entries.values()].map(({ program, ...e }) => ({
      ...e,
      lines: program?.lines ?? 0,
      runtimeErrors: program?.runtimeErrors ?? 0,
      logs: [...(program?.logs ?? [])].map(([log, c]) => ({
        log,
        lines: c.lines,
        matched: c.state === 'unknown' ? undefined : c.matched,
        runtimeErrors: c.runtimeErrors,
        lastLineAt: c.lastLineAt,
        notMatching: c.notMatching,
      })),
    }));
  }

  /** The running version of each program, with its file, in load order. */
  loaded(): { file: string; program: LoadedProgram }[] {
    return [...this.entries.values()].flatMap((e) => (e.program ? [{ file: e.file, program: e.program }] : []));
  }

  /** Runs only the programs of these files from now on (undefined: all of them); a one-shot run leaves the others to worker threads. */
  runOnly(files: string[] | undefined): void {
    this.only = files && new Set(files);
    this.refresh();
  }

  /**
   * instantiate() adds metrics one by one and may throw part way (a name clash with
   * another program): take the failed version's metrics out of the store and put the
   * running version's back, or the running version would count into metrics /metrics no longer shows.
   */
  private restoreMetrics(name: string, failed: CompileResult, running: LoadedProgram | undefined): void {
    const runningNames = new Set(running?.metrics.map((m) => m.spec.name));
    for (const d of failed.checked?.metrics ?? []) if (!runningNames.has(d.name)) this.store.remove(name, d.name);
    for (const m of running?.metrics ?? []) this.store.add(m);
  }

  private refresh(): void {
    const only = this.only;
    this.running = [...this.entries.values()].flatMap((e) => (e.program && (only === undefined || only.has(e.file)) ? [e.program] : []));
    this.routed.clear();
  }

  /** The running programs, in load order, bound to the source `filename` (the routes are set). */
  private programsFor(filename: string): LoadedProgram[] {
    const routes = this.routes!.filter((r) => r.takes(filename));
    const only = this.only;
    const programs = [...this.entries.values()].flatMap((e) =>
      e.program && (only === undefined || only.has(e.file)) && routes.some((r) => r.owns(e.file)) ? [e.program] : [],
    );
    // Source names are few (files, sockets); a flood of new ones only costs recomputing.
    if (this.routed.size >= 10_000) this.routed.clear();
    this.routed.set(filename, programs);
    return programs;
  }
}

/** Whether a program file lies under these paths: one of them, or a .mtail file directly in one of them. */
function ownership(paths: readonly string[]): (file: string) => boolean {
  const ps = new Set(paths.map((p) => resolve(p)));
  return (file) => {
    const f = resolve(file);
    return ps.has(f) || (f.endsWith('.mtail') && ps.has(dirname(f)));
  };
}
