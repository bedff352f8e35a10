// nginx `log_format` directives: which formats a configuration defines and
// uses, and each format split into literal text and variables the way
// ngx_http_log_module compiles it ($name or ${name}; name = [A-Za-z0-9_]).
import { GenerateError, type Position } from '../position.js';
import type { Directive, Word } from './config.js';

export type Escape = 'default' | 'json' | 'none';

export type Segment = { kind: 'text'; text: string } | { kind: 'var'; name: string; position: Position };

export interface NginxFormat {
  name: string;
  escape: Escape;
  segments: Segment[];
  /** The directive as written (quoted parts joined), for the program's header. */
  source: string;
  /** Where the directive is; undefined for the predefined `combined` and for --log-format. */
  position?: Position;
}

/** nginx's predefined format, always available as `combined`. */
export const COMBINED = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`;

const NAME_CHAR = /[A-Za-z0-9_]/;

/** Splits format text into literal text and variables; `at(i)` gives the position of character i. */
export function parseFormatText(text: string, at: (i: number) => Position, directive: string): Segment[] {
  const segments: Segment[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$') {
      literal += ch;
      continue;
    }
    const start = i;
    let name = '';
    if (text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new GenerateError(`${directive}: the variable name opened with "\${" has no "}"`, at(start));
      name = text.slice(i + 2, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new GenerateError(`${directive}: invalid variable name "\${${name}}"`, at(start));
      i = end;
    } else {
      while (i + 1 < text.length && NAME_CHAR.test(text[i + 1]!)) name += text[++i];
      if (name === '') throw new GenerateError(`${directive}: "$" is not followed by a variable name (nginx refuses this format too)`, at(start));
    }
    if (literal) segments.push({ kind: 'text', text: literal });
    literal = '';
    segments.push({ kind: 'var', name, position: at(start) });
  }
  if (literal) segments.push({ kind: 'text', text: literal });
  return segments;
}

/** The format of one `log_format` directive. */
export function formatFromDirective(d: Directive): NginxFormat {
  const [nameWord, ...rest] = d.args;
  if (!nameWord) throw new GenerateError('log_format: no format name', d.position);
  const directive = `log_format "${nameWord.text}"`;
  let escape: Escape = 'default';
  let parts: Word[] = rest;
  if (parts[0]?.text.startsWith('escape=')) {
    const value = parts[0].text.slice('escape='.length);
    if (value !== 'default' && value !== 'json' && value !== 'none') {
      throw new GenerateError(`${directive}: unknown escape "${value}" (nginx knows default, json and none)`, parts[0].positions[0]);
    }
    escape = value;
    parts = parts.slice(1);
  }
  if (parts.length === 0) throw new GenerateError(`${directive}: no format string`, d.position);
  // nginx joins the parts with nothing between them.
  const text = parts.map((w) => w.text).join('');
  const positions = parts.flatMap((w) => w.positions.slice(0, w.text.length));
  const end = parts[parts.length - 1]!.positions[parts[parts.length - 1]!.text.length]!;
  const segments = parseFormatText(text, (i) => positions[i] ?? end, directive);
  const source = `log_format ${nameWord.text}${escape !== 'default' ? ` escape=${escape}` : ''} ${parts.map(quoteWord).join(' ')};`;
  return { name: nameWord.text, escape, segments, source, position: d.position };
}

function quoteWord(w: Word): string {
  return `'${w.text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}'`;
}

/** A format given on the command line (--log-format), with positions in that argument. */
export function formatFromLiteral(text: string, escape: Escape, name = 'command-line'): NginxFormat {
  const at = (i: number): Position => ({ file: '--log-format', line: 1, col: i + 1 });
  return { name, escape, segments: parseFormatText(text, at, `--log-format`), source: `log_format ${name}${escape !== 'default' ? ` escape=${escape}` : ''} '${text}';` };
}

export interface NginxFormats {
  /** Defined formats by name, `combined` included. */
  formats: Map<string, NginxFormat>;
  /** Format names used by `access_log` directives, in order, with where each is used. */
  used: Array<{ name: string; position: Position; path: string }>;
}

/** The http-level log formats of a configuration and the ones its access logs use. */
export function collectFormats(directives: Directive[]): NginxFormats {
  const formats = new Map<string, NginxFormat>();
  formats.set('combined', { name: 'combined', escape: 'default', segments: parseFormatText(COMBINED, () => ({ file: 'combined', line: 1, col: 1 }), 'combined'), source: `log_format combined '${COMBINED}';  # nginx's predefined format` });
  const used: NginxFormats['used'] = [];
  for (const d of directives) {
    // The stream module has log_format and access_log too; its variables are another set.
    if (d.context[0] !== 'http') continue;
    if (d.name === 'log_format') {
      const f = formatFromDirective(d);
      if (formats.has(f.name) && f.name !== 'combined') throw new GenerateError(`log_format "${f.name}" is defined twice`, d.position);
      if (f.name === 'combined') throw new GenerateError('log_format "combined" is predefined by nginx and cannot be redefined', d.position);
      formats.set(f.name, f);
    } else if (d.name === 'access_log' && d.args[0] && d.args[0].text !== 'off') {
      const name = d.args[1] && !d.args[1].text.includes('=') ? d.args[1].text : 'combined';
      used.push({ name, position: d.position, path: d.args[0].text });
    }
  }
  return { formats, used };
}
