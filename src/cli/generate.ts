import { writeFileSync } from 'node:fs';
import { compile, formatDiagnostics } from '../lang/compile.js';
import { GenerateError } from '../generate/position.js';

/** `logmetrics generate <server>`: prints (or writes) the program; 0 on success, 1 on a bad configuration. */
export function generateCommand(
  make: () => { program: string; name: string },
  output: string | undefined,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): number {
  let made: { program: string; name: string };
  try {
    made = make();
  } catch (e) {
    if (e instanceof GenerateError) {
      err.write(`logmetrics generate: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // Whatever we print must compile: a program that fails `check` is our bug, not the user's.
  const result = compile(made.name, made.program);
  if (!result.generated) {
    err.write(`logmetrics generate: internal error, the generated program does not compile:\n${formatDiagnostics(result)}\n${made.program}`);
    return 70;
  }
  if (output === undefined || output === '-') out.write(made.program);
  else writeFileSync(output, made.program);
  return 0;
}
