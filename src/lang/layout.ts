import { checkStrptimeLayout } from '../go/time/index.js';

/**
 * Whether a layout looks like a C strftime format. mtail loads such a program (the layout
 * parses itself) and fails at run time on each line, so this is a warning.
 */
export function looksLikeStrftime(layout: string): boolean {
  return /%[a-zA-Z]/.test(layout);
}

/** Why a strptime layout literal can't work (mtail refuses the program), or undefined when it loads. */
export function layoutProblem(layout: string): string | undefined {
  // mtail's self-parse check also rejects a literal "Z" (as in ...05.000Z), which Go parses fine; we accept it.
  if (layout.includes('Z')) return undefined;
  return checkStrptimeLayout(layout)?.message;
}
