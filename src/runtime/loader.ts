import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compile, type CompileResult } from '../lang/compile.js';
import type { Store } from '../metrics/index.js';
import { BatchClock } from './clock.js';
import { instantiate, type LoadedProgram, type RuntimeErrorHandler } from './program.js';
import type { Strptime } from '../go/time/index.js';

/** The .mtail files a --progs path names: the file itself, or every .mtail file in the directory. */
export function programFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.mtail'))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

export interface LoadOutcome {
  file: string;
  name: string;
  result?: CompileResult;
  program?: LoadedProgram;
  /** Set when the file could not be read, compiled or bound. */
  error?: string;
}

/** Compiles one program file; the program name is its base name, as mtail's prog label. */
export function compileFile(file: string): { name: string; result?: CompileResult; error?: string } {
  const name = basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { name, error: `${file}: cannot read: ${(err as Error).message}` };
  }
  return { name, result: compile(name, text, undefined, file) };
}

/** Loads every program under `path`; a program that fails is reported and the others still load. */
export function loadPrograms(path: string, store: Store, strptime: () => Strptime, onError: RuntimeErrorHandler): LoadOutcome[] {
  return loadProgramFiles(programFiles(path), store, strptime, onError);
}

/** Loads the given program files, in order; a program that fails is reported and the others still load. */
export function loadProgramFiles(files: string[], store: Store, strptime: () => Strptime, onError: RuntimeErrorHandler): LoadOutcome[] {
  return files.map((file) => {
    const { name, result, error } = compileFile(file);
    if (!result) return { file, name, error };
    if (!result.generated) return { file, name, result, error: 'compile failed' };
    try {
      return { file, name, result, program: instantiate(name, result, store, strptime(), onError) };
    } catch (err) {
      return { file, name, result, error: (err as Error).message };
    }
  });
}

/** Runs every line through every loaded program (the seam the tailer calls). */
export class LineProcessor {
  linesProcessed = 0;
  private readonly clock = new BatchClock();
  constructor(readonly programs: LoadedProgram[]) {}

  processLine(line: string, filename: string): void {
    this.linesProcessed++;
    const now = this.clock.now();
    const programs = this.programs;
    for (let i = 0; i < programs.length; i++) programs[i].run(line, filename, now);
  }
}
