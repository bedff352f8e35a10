import { LayoutParser, newParsedTime } from './parse.js';
import { TimeParseError } from './errors.js';
import { UTC_ZONE } from './zone.js';

/**
 * mtail's compile-time check of a strptime layout literal: the layout, with
 * "_" removed and "Z" turned into "+", must parse as a value of itself.
 * Returns the parse error when mtail would reject the program, else undefined.
 * (Notably it rejects a literal Z, as in "2006-01-02T15:04:05.000Z".)
 */
export function checkStrptimeLayout(layout: string): TimeParseError | undefined {
  const sample = layout.replaceAll('_', '').replaceAll('Z', '+');
  try {
    new LayoutParser(layout, UTC_ZONE).parseInto(sample, newParsedTime());
    return undefined;
  } catch (err) {
    if (err instanceof TimeParseError) return err;
    throw err;
  }
}
