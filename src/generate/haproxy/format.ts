// HAProxy log formats: the predefined ones and `log-format` strings split the
// way HAProxy compiles them (log.c parse_logformat_string): `%name` aliases,
// `%{flags}name`, `%[sample expression]`, `%%`, literal text, and blanks that
// become one separator each run.
import { GenerateError, type Position } from '../position.js';

/** The strings HAProxy 2.6 uses for its log options (log.c). */
export const PREDEFINED = {
  httplog: '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r',
  httpslog:
    '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc',
  tcplog: '%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq',
} as const;

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'sep' }
  | { kind: 'var'; name: string; quoted: boolean; position: Position }
  | { kind: 'sample'; expr: string; quoted: boolean; position: Position };

/** The aliases the generator knows (HAProxy's table in log.c, less a few internal ones). */
export const ALIASES = new Set([
  'ac', 'B', 'b', 'bc', 'bi', 'bp', 'bq', 'CC', 'ci', 'cp', 'CS', 'f', 'fc', 'fi', 'fp', 'ft', 'H', 'HM', 'HP', 'HPO', 'HQ', 'hr', 'hrl',
  'hs', 'hsl', 'HU', 'HV', 'ID', 'lc', 'ms', 'pid', 'r', 'rc', 'rt', 's', 'sc', 'si', 'sp', 'sq', 'ST', 'T', 'Ta', 'Tc', 'Td', 'Th', 'Ti',
  'Tl', 'TR', 'Tr', 'Ts', 'Tt', 'Tu', 'Tw', 't', 'tr', 'trg', 'trl', 'ts', 'tsc', 'U', 'sslc', 'sslv', 'Tq',
]);

/** Splits a log-format string; `at(i)` is where character i was written. */
export function parseLogFormat(text: string, at: (i: number) => Position, directive: string): Segment[] {
  const out: Segment[] = [];
  let quoteAll = false;
  let literal = '';
  const flush = () => {
    if (literal) out.push({ kind: 'text', text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ') {
      flush();
      if (out[out.length - 1]?.kind !== 'sep') out.push({ kind: 'sep' });
      continue;
    }
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    if (text[i + 1] === '%') {
      literal += '%';
      i++;
      continue;
    }
    const start = i;
    let quoted: boolean = quoteAll;
    if (text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new GenerateError(`${directive}: "%{" has no closing "}"`, at(start));
      for (const flag of text.slice(i + 2, end).split(',')) {
        if (flag === '+Q') quoted = true;
        else if (flag === '-Q') quoted = false;
        else if (flag === '+X' || flag === '-X' || flag === '+E' || flag === '-E') {
          throw new GenerateError(`${directive}: the flag ${flag} is not supported by the generator (use +Q or -Q)`, at(start));
        } else if (flag !== '') throw new GenerateError(`${directive}: unknown flag "${flag}" in "%{${text.slice(i + 2, end)}}"`, at(start));
      }
      i = end;
    }
    if (text[i + 1] === '[') {
      let depth = 0;
      let end = -1;
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '[') depth++;
        else if (text[j] === ']' && --depth === 0) {
          end = j;
          break;
        }
      }
      if (end < 0) throw new GenerateError(`${directive}: "%[" has no closing "]"`, at(start));
      flush();
      out.push({ kind: 'sample', expr: text.slice(i + 2, end), quoted, position: at(start) });
      i = end;
      continue;
    }
    let name = '';
    while (i + 1 < text.length && /[A-Za-z]/.test(text[i + 1]!)) name += text[++i];
    if (name === '') throw new GenerateError(`${directive}: "%" is not followed by a variable (write "%%" for a percent sign)`, at(start));
    if (name === 'o') {
      // %{+Q}o: the flags apply to every variable after it.
      quoteAll = quoted;
      continue;
    }
    if (!ALIASES.has(name)) throw new GenerateError(`${directive}: unknown variable "%${name}" (HAProxy refuses it too)`, at(start));
    flush();
    out.push({ kind: 'var', name, quoted, position: at(start) });
  }
  flush();
  while (out[out.length - 1]?.kind === 'sep') out.pop();
  while (out[0]?.kind === 'sep') out.shift();
  return out;
}
