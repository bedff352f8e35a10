// Splits a Go time layout ("02/Jan/2006:15:04:05 -0700") into steps, once
// per layout: a literal prefix to match, then one layout element. The
// element recognition follows Go's nextStdChunk exactly, including its
// surprises ("1" anywhere is a month, "Janx" is literal text, "_2006" is a
// literal "_" then the year).

/** Layout elements (Go's std* constants). */
export const enum Std {
  End, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay,
  UnderYearDay, ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ,
  ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
  NumTZ, NumSecondsTZ, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

/** One step of a compiled layout. */
export interface LayoutStep {
  /** Literal text before the element; a space matches a run of spaces. */
  readonly prefix: string;
  readonly prefixHasSpace: boolean;
  readonly std: Std;
  /** The element as written in the layout, for error messages. */
  readonly stdText: string;
  /** Digits of a fractional-second element (Go keeps them modulo 4096). */
  readonly fracDigits: number;
  /** Seconds only: the next element is a fractional second. */
  readonly nextIsFrac: boolean;
}

interface Chunk { start: number; end: number; std: Std; fracDigits: number }

const ZERO_X: Std[] = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
// Go's startsWithLowerCase: keeps "Month" from being read as "Mon" + "th".
const isLowerAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 97 && s.charCodeAt(i) <= 122;

/** Go's nextStdChunk: the first element at or after `from`, or End. */
function nextChunk(layout: string, from: number): Chunk {
  const at = (i: number, text: string) => layout.startsWith(text, i);
  const chunk = (start: number, len: number, std: Std, fracDigits = 0): Chunk => ({ start, end: start + len, std, fracDigits });
  for (let i = from; i < layout.length; i++) {
    const c = layout[i];
    switch (c) {
      case 'J':
        if (at(i, 'Jan')) {
          if (at(i, 'January')) return chunk(i, 7, Std.LongMonth);
          if (!isLowerAt(layout, i + 3)) return chunk(i, 3, Std.Month);
        }
        break;
      case 'M':
        if (at(i, 'Mon')) {
          if (at(i, 'Monday')) return chunk(i, 6, Std.LongWeekDay);
          if (!isLowerAt(layout, i + 3)) return chunk(i, 3, Std.WeekDay);
        }
        if (at(i, 'MST')) return chunk(i, 3, Std.TZ);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          return chunk(i, 2, ZERO_X[layout.charCodeAt(i + 1) - 49]);
        }
        if (at(i, '002')) return chunk(i, 3, Std.ZeroYearDay);
        break;
      case '1':
        return at(i, '15') ? chunk(i, 2, Std.Hour) : chunk(i, 1, Std.NumMonth);
      case '2':
        return at(i, '2006') ? chunk(i, 4, Std.LongYear) : chunk(i, 1, Std.Day);
      case '_':
        if (at(i, '_2')) {
          // "_2006" is a literal underscore followed by the year.
          if (at(i + 1, '2006')) return chunk(i + 1, 4, Std.LongYear);
          return chunk(i, 2, Std.UnderDay);
        }
        if (at(i, '__2')) return chunk(i, 3, Std.UnderYearDay);
        break;
      case '3': return chunk(i, 1, Std.Hour12);
      case '4': return chunk(i, 1, Std.Minute);
      case '5': return chunk(i, 1, Std.Second);
      case 'P':
        if (at(i, 'PM')) return chunk(i, 2, Std.PM);
        break;
      case 'p':
        if (at(i, 'pm')) return chunk(i, 2, Std.pm);
        break;
      case '-':
        if (at(i, '-070000')) return chunk(i, 7, Std.NumSecondsTZ);
        if (at(i, '-07:00:00')) return chunk(i, 9, Std.NumColonSecondsTZ);
        if (at(i, '-0700')) return chunk(i, 5, Std.NumTZ);
        if (at(i, '-07:00')) return chunk(i, 6, Std.NumColonTZ);
        if (at(i, '-07')) return chunk(i, 3, Std.NumShortTZ);
        break;
      case 'Z':
        if (at(i, 'Z070000')) return chunk(i, 7, Std.ISO8601SecondsTZ);
        if (at(i, 'Z07:00:00')) return chunk(i, 9, Std.ISO8601ColonSecondsTZ);
        if (at(i, 'Z0700')) return chunk(i, 5, Std.ISO8601TZ);
        if (at(i, 'Z07:00')) return chunk(i, 6, Std.ISO8601ColonTZ);
        if (at(i, 'Z07')) return chunk(i, 3, Std.ISO8601ShortTZ);
        break;
      case '.': case ',': {
        const d = layout[i + 1];
        if (d === '0' || d === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === d) j++;
          // Only a run of 0s or 9s that is not followed by another digit.
          if (!isDigitAt(layout, j)) {
            return chunk(i, j - i, d === '0' ? Std.FracSecond0 : Std.FracSecond9, (j - i - 1) & 0xfff);
          }
        }
        break;
      }
    }
  }
  return chunk(layout.length, 0, Std.End);
}

/** Splits layout into steps; the last step has std End and holds the trailing literal. */
export function compileSteps(layout: string): LayoutStep[] {
  const chunks: Chunk[] = [];
  const prefixes: string[] = [];
  let from = 0;
  for (;;) {
    const ch = nextChunk(layout, from);
    chunks.push(ch);
    prefixes.push(layout.slice(from, ch.start));
    if (ch.std === Std.End) break;
    from = ch.end;
  }
  return chunks.map((ch, k) => ({
    prefix: prefixes[k],
    prefixHasSpace: prefixes[k].includes(' '),
    std: ch.std,
    stdText: layout.slice(ch.start, ch.end),
    fracDigits: ch.fracDigits,
    nextIsFrac: k + 1 < chunks.length && (chunks[k + 1].std === Std.FracSecond0 || chunks[k + 1].std === Std.FracSecond9),
  }));
}
