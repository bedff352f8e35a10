import { LayoutParser, newParsedTime } from './parse.js';
import { unixMs } from './unix.js';
import type { Zone } from './zone.js';

/**
 * Compiles a Go layout once into a parser with Go's time.ParseInLocation
 * semantics; parse() returns Unix milliseconds (fractional below 1 ms) or
 * throws TimeParseError.
 */
export function compileLayout(layout: string, zone: Zone): (value: string) => number {
  const parser = new LayoutParser(layout, zone);
  const out = newParsedTime();
  return (value: string) => {
    parser.parseInto(value, out);
    return unixMs(out.sec, out.nsec);
  };
}
