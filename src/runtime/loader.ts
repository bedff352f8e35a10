import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compile, type CompileResult } from '../lang/compile.js';
import { type CheckLimits, DEFAULT_LIMITS } from '../lang/checker/index.js';

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

/** Compiles one program file; the program name is its base name, as mtail's prog label. */
export function compileFile(file: string, limits: CheckLimits = DEFAULT_LIMITS): { name: string; result?: CompileResult; error?: string } {
  const name = basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { name, error: `${file}: cannot read: ${(err as Error).message}` };
  }
  return { name, result: compile(name, text, limits, file) };
}
