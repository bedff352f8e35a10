import { compileFile, programFiles } from '../runtime/loader.js';
import type { CheckLimits } from '../lang/checker/index.js';
import { formatDiagnostics } from '../lang/compile.js';
import { extensionUses, formatExtensionUse } from '../lang/extensions.js';
import { astToJson } from './astdump.js';
import { ConfigError, loadConfig, type SettingSpec } from '../config/index.js';

export interface CheckOptions {
  emit?: 'js' | 'ast';
  /** Warn on every logmetrics extension used, and fail if there is one. */
  strictMtail?: boolean;
  /** mtail's -max_recursion_depth and -max_regexp_length. */
  limits?: CheckLimits;
}

/**
 * `check --config`: reads the config file (settings and pipelines) and says what is wrong with
 * file:line:col; returns the program paths to compile. A program path that names no .mtail
 * file fails here, at the position of its entry.
 */
export function checkConfig(file: string, specs: readonly SettingSpec[], err: NodeJS.WritableStream): { failed: boolean; programs: string[] } {
  let config;
  try {
    config = loadConfig(file, specs);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err.write(`${e.message}\n`);
    return { failed: true, programs: [] };
  }
  let failed = false;
  const programs = new Set<string>();
  for (const p of config.pipelines) {
    for (const path of p.programs) {
      let files: string[];
      try {
        files = programFiles(path);
      } catch (e) {
        err.write(`${p.programsAt.get(path)}: pipeline "${p.name}": cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        failed = true;
        continue;
      }
      if (files.length === 0) {
        err.write(`${p.programsAt.get(path)}: pipeline "${p.name}": no .mtail programs in ${path}\n`);
        failed = true;
      }
      programs.add(path);
    }
  }
  return { failed, programs: [...programs] };
}

/** `logmetrics check`: compiles programs only; 0 when all compile, 1 otherwise. */
export function checkCommand(paths: string[], opts: CheckOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  let failed = 0;
  let total = 0;
  let extended = 0;
  for (const path of paths) {
    let files: string[];
    try {
      files = programFiles(path);
    } catch (e) {
      err.write(`logmetrics: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      failed++;
      total++;
      continue;
    }
    for (const file of files) {
      total++;
      const { result, error } = compileFile(file, opts.limits);
      if (!result) {
        err.write(`${error}\n`);
        failed++;
        continue;
      }
      if (result.diagnostics.length) err.write(formatDiagnostics(result) + '\n');
      if (!result.generated) {
        failed++;
        continue;
      }
      if (opts.strictMtail) {
        const uses = extensionUses(result.ast!);
        if (uses.length) {
          err.write(uses.map((u) => formatExtensionUse(result.source, u)).join('\n\n') + '\n');
          extended++;
        }
      }
      if (opts.emit === 'js') out.write(result.generated.code);
      if (opts.emit === 'ast') out.write(astToJson(result.ast!) + '\n');
    }
  }
  const errors = failed === 1 ? '1 program failed' : `${failed} programs failed`;
  if (failed) err.write(`${errors} to compile (of ${total})\n`);
  if (extended) err.write(`${extended === 1 ? '1 program uses' : `${extended} programs use`} logmetrics extensions or constructs mtail 3.0.0~rc50 refuses (--strict-mtail)\n`);
  return failed || extended ? 1 : 0;
}
