import { dirname, resolve } from 'node:path';
import { formatDiagnostics, type CompileResult } from '../lang/compile.js';
import type { Store } from '../metrics/index.js';
import { BatchClock } from './clock.js';
import { compileFile, programFiles } from './loader.js';
import { instantiate, type LoadedProgram, type RuntimeErrorHandler } from './program.js';
import type { Strptime } from '../go/time/index.js';

/** What the status page and self-metrics show about one program file. */
export interface ProgramState {
  name: string;
  file: string;
  /** 'failed' means the last load failed; a previous version may still be running. */
  state: 'loaded' | 'failed';
  loadedAt?: number;
  /** The last load error with code frames, when the last load failed. */
  error?: string;
  loadErrors: number;
  program?: LoadedProgram;
}

export type ProgramEvent = (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>) => void;

/**
 * The programs of a --progs path, kept live: a file is (re)loaded on its own,
 * a program that fails to compile keeps its previous version running, and a
 * reloaded program keeps the values of every metric whose declaration did not change.
 */
export class ProgramSet {
  private readonly states = new Map<string, ProgramState>();
  private running: LoadedProgram[] = [];

  constructor(
    readonly path: string,
    private readonly store: Store,
    private readonly strptime: () => Strptime,
    private readonly onRuntimeError: RuntimeErrorHandler,
    private readonly onEvent: ProgramEvent,
  ) {}

  /** Loads (or reloads) every program file under the path and drops programs whose file is gone. */
  reloadAll(): void {
    let files: string[];
    try {
      files = programFiles(this.path);
    } catch (err) {
      this.onEvent('error', 'progs_unreadable', { path: this.path, error: (err as Error).message });
      return;
    }
    for (const file of [...this.states.keys()]) if (!files.includes(file)) this.unload(file);
    for (const file of files) this.load(file);
  }

  /** Compiles and binds one file; on failure the previous version (if any) keeps running. */
  load(file: string): void {
    const prev = this.states.get(file);
    const { name, result, error } = compileFile(file);
    const fail = (message: string) => {
      const state: ProgramState = { name, file, state: 'failed', error: message, loadErrors: (prev?.loadErrors ?? 0) + 1, program: prev?.program, loadedAt: prev?.loadedAt };
      this.states.set(file, state);
      this.onEvent('error', 'program_load_failed', { prog: name, file, error: message, still_running: prev?.program ? 'previous version' : 'nothing' });
      this.refresh();
    };
    if (!result) return fail(error!);
    if (!result.generated) return fail(formatDiagnostics(result));
    let program: LoadedProgram;
    try {
      program = instantiate(name, result, this.store, this.strptime(), this.onRuntimeError);
    } catch (err) {
      this.restoreMetrics(name, result, prev?.program);
      return fail((err as Error).message);
    }
    // Metrics the new version no longer declares leave the store.
    const kept = new Set(program.metrics.map((m) => m.spec.name));
    for (const m of prev?.program?.metrics ?? []) if (!kept.has(m.spec.name)) this.store.remove(name, m.spec.name);
    this.states.set(file, { name, file, state: 'loaded', loadedAt: Date.now(), loadErrors: prev?.loadErrors ?? 0, program });
    if (result.diagnostics.length) this.onEvent('warn', 'program_warnings', { prog: name, warnings: formatDiagnostics(result) });
    this.onEvent('info', prev ? 'program_reloaded' : 'program_loaded', { prog: name, file });
    this.refresh();
  }

  /** Stops a program whose file was removed, and drops its metrics. */
  unload(file: string): void {
    const state = this.states.get(file);
    if (!state) return;
    this.states.delete(file);
    this.store.removeProgram(state.name);
    this.onEvent('info', 'program_unloaded', { prog: state.name, file });
    this.refresh();
  }

  /** Whether a changed path is one this set loads: the --progs file, or a .mtail file directly in the --progs directory. */
  owns(file: string): boolean {
    const f = resolve(file);
    const p = resolve(this.path);
    return f === p || (f.endsWith('.mtail') && dirname(f) === p);
  }

  private readonly clock = new BatchClock();

  /** Every program file's state, for the status page and self-metrics. */
  list(): ProgramState[] {
    return [...this.states.values()];
  }

  /** Runs a line through every running program. */
  processLine = (line: string, filename: string): void => {
    const now = this.clock.now();
    const programs = this.running;
    for (let i = 0; i < programs.length; i++) programs[i].run(line, filename, now);
  };

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
    this.running = [...this.states.values()].flatMap((s) => (s.program ? [s.program] : []));
  }
}
