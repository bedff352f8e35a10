// Asks re2 itself which code points a one-character RE2 pattern matches.
// Unicode property classes (\p{Greek}) and case folding of non-ASCII characters
// depend on RE2's own Unicode tables, which need not match the ICU version V8
// uses; reading the set out of re2 makes the translation agree with re2 by
// construction instead of by hope.

import RE2 from 're2';
import { type CodeSet, type Range, setOf } from './codeset.js';

/** Returns the set of code points matched by a pattern that matches exactly one code point, or null if re2 rejects it. */
export type SetOracle = (oneCharPattern: string) => CodeSet | null;

let everyCodePoint: string | undefined;

/** Every code point except surrogates, in increasing order (about 2.2 M UTF-16 units, built on first use). */
function allCodePoints(): string {
  if (everyCodePoint === undefined) {
    const chunks: string[] = [];
    const units: number[] = [];
    const flush = (): void => {
      chunks.push(String.fromCharCode(...units));
      units.length = 0;
    };
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      else units.push(cp);
      if (units.length >= 8192) flush();
    }
    flush();
    everyCodePoint = chunks.join('');
  }
  return everyCodePoint;
}

const memo = new Map<string, CodeSet | null>();

/** The default oracle: one global re2 scan over all code points; results are memoised per pattern. */
export const re2SetOracle: SetOracle = (oneCharPattern) => {
  const known = memo.get(oneCharPattern);
  if (known !== undefined) return known;
  let result: CodeSet | null;
  try {
    // Runs of consecutive matching code points in the ordered string are ranges.
    const runs = allCodePoints().match(new RE2(`(?:${oneCharPattern})+`, 'gu')) ?? [];
    const ranges: Range[] = runs.map((run) => {
      const lastUnit = run.charCodeAt(run.length - 1);
      const lastStart = lastUnit >= 0xdc00 && lastUnit <= 0xdfff ? run.length - 2 : run.length - 1;
      return [run.codePointAt(0)!, run.codePointAt(lastStart)!];
    });
    result = setOf(ranges);
  } catch {
    result = null;
  }
  memo.set(oneCharPattern, result);
  return result;
};
