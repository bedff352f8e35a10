/**
 * A value that does not match its Go layout. The message is Go's
 * time.ParseError text, e.g.
 * `parsing time "x" as "2006": cannot parse "x" as "2006"` or
 * `parsing time "2024-13-01": month out of range`.
 */
export class TimeParseError extends Error {
  override name = 'TimeParseError';
  /** Layout, value, and the parts of each where parsing stopped. */
  readonly layout: string;
  readonly value: string;
  readonly layoutElem: string;
  readonly valueElem: string;

  constructor(layout: string, value: string, layoutElem: string, valueElem: string, detail: string) {
    super(
      detail === ''
        ? `parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`
        : `parsing time ${goQuote(value)}${detail}`,
    );
    this.layout = layout;
    this.value = value;
    this.layoutElem = layoutElem;
    this.valueElem = valueElem;
  }
}

const HEX = '0123456789abcdef';

/** Go's time-package quote(): ASCII printable kept, `"` and `\` escaped, other bytes as \xNN of their UTF-8. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + HEX[b >> 4] + HEX[b & 15];
    } else {
      if (c === 0x22 || c === 0x5c) out += '\\';
      out += ch;
    }
  }
  return out + '"';
}
