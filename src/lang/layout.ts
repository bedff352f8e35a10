import { checkStrptimeLayout } from '../go/time/index.js';

/** Why a strptime layout literal can't work, or undefined when it is fine. */
export function layoutProblem(layout: string): string | undefined {
  if (/%[a-zA-Z]/.test(layout)) return 'it looks like a strftime format (%Y, %m, ...), but strptime takes Go layouts';
  // mtail's self-parse check also rejects a literal "Z" (as in ...05.000Z), which Go parses fine; we accept it.
  if (layout.includes('Z')) return undefined;
  return checkStrptimeLayout(layout)?.message;
}
