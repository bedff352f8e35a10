// Reads an nginx configuration the way nginx's own reader (ngx_conf_file.c)
// splits it: words separated by blanks, `;` ending a directive, `{ }` blocks,
// `#` comments, '…' and "…" quoted words, backslash escapes (\" \' \\ \t \r \n;
// any other backslash stays), `${var}` kept inside a word, and `include` with
// glob patterns relative to the main file's folder. Only what the generator
// needs is kept: directives with their words and where each character of a
// word came from, so an error inside a log format can point at it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { GenerateError, type Position } from '../position.js';

/** One word of a directive, unescaped, with the position of each of its characters. */
export interface Word {
  text: string;
  /** positions[i] is where text[i] was written; positions[text.length] is just past the word. */
  positions: Position[];
  quoted: boolean;
}

export interface Directive {
  name: string;
  args: Word[];
  position: Position;
  /** The enclosing block names, outermost first (e.g. ["http", "server"]). */
  context: string[];
}

const BLANK = new Set([' ', '\t', '\r', '\n']);

/** Splits one file into directives; `include` is followed by the caller. */
function tokenize(file: string, text: string, onDirective: (d: Directive) => void, context: string[] = []): void {
  let i = 0;
  let line = 1;
  let col = 1;
  const stack = [...context];
  let words: Word[] = [];
  let start: Position | undefined;
  const here = (): Position => ({ file, line, col });
  const advance = (): string => {
    const ch = text[i++]!;
    if (ch === '\n') {
      line++;
      col = 1;
    } else col++;
    return ch;
  };
  const finish = (terminator: ';' | '{') => {
    if (words.length === 0) throw new GenerateError(`unexpected "${terminator}"`, here());
    const [name, ...args] = words;
    const d: Directive = { name: name!.text, args, position: name!.positions[0]!, context: [...stack] };
    words = [];
    start = undefined;
    if (terminator === '{') stack.push(d.name);
    onDirective(d);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (BLANK.has(ch)) {
      advance();
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') advance();
      continue;
    }
    if (ch === ';' || ch === '{') {
      finish(ch);
      advance();
      continue;
    }
    if (ch === '}') {
      if (words.length) throw new GenerateError(`unexpected "}": the directive "${words[0]!.text}" has no ";"`, here());
      if (stack.length === context.length) throw new GenerateError('unexpected "}"', here());
      stack.pop();
      advance();
      continue;
    }
    start ??= here();
    words.push(readWord());
  }
  if (words.length) throw new GenerateError(`unexpected end of file: the directive "${words[0]!.text}" has no ";"`, start);
  if (stack.length > context.length) throw new GenerateError(`unexpected end of file: the block "${stack[stack.length - 1]}" has no "}"`, here());

  function readWord(): Word {
    const quote = text[i] === '"' || text[i] === "'" ? text[i]! : undefined;
    const begin = here();
    if (quote) advance();
    let out = '';
    const positions: Position[] = [];
    let inVariable = false;
    for (;;) {
      if (i >= text.length) {
        if (quote) throw new GenerateError(`unexpected end of file: the string opened here has no closing ${quote}`, begin);
        break;
      }
      const ch = text[i]!;
      if (quote && ch === quote) {
        advance();
        const next = text[i];
        if (next !== undefined && !BLANK.has(next) && next !== ';' && next !== '{') {
          throw new GenerateError(`unexpected "${next}" after a quoted string`, here());
        }
        break;
      }
      if (!quote && !inVariable && (BLANK.has(ch) || ch === ';' || ch === '{' || ch === '}')) break;
      if (!quote && ch === '{' && out.endsWith('$')) inVariable = true;
      if (!quote && ch === '}' && inVariable) inVariable = false;
      const at = here();
      if (ch === '\\' && i + 1 < text.length) {
        const esc = text[i + 1]!;
        const mapped = esc === '"' || esc === "'" || esc === '\\' ? esc : esc === 't' ? '\t' : esc === 'r' ? '\r' : esc === 'n' ? '\n' : undefined;
        if (mapped !== undefined) {
          advance();
          advance();
          out += mapped;
          positions.push(at);
          continue;
        }
      }
      out += advance();
      positions.push(at);
    }
    positions.push(here());
    return { text: out, positions, quoted: quote !== undefined };
  }
}

/** Every directive of an nginx configuration, `include`s followed in place. */
export function readNginxConfig(mainFile: string): Directive[] {
  const out: Directive[] = [];
  const prefix = dirname(resolve(mainFile));
  const reading: string[] = [];
  const readFile = (file: string, context: string[], from?: Position) => {
    if (reading.includes(file)) throw new GenerateError(`include loop: ${[...reading, file].join(' → ')}`, from);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new GenerateError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, from);
    }
    reading.push(file);
    tokenize(file, text, (d) => {
      if (d.name === 'include') {
        if (d.args.length !== 1) throw new GenerateError('"include" takes one file name or glob', d.position);
        const pattern = d.args[0]!.text;
        const abs = isAbsolute(pattern) ? pattern : join(prefix, pattern);
        const files = /[*?[]/.test(abs) ? expandGlob(abs) : [abs];
        for (const f of files) readFile(f, d.context, d.position);
        return;
      }
      out.push(d);
    }, context);
    reading.pop();
  };
  readFile(resolve(mainFile), []);
  return out;
}

/** Files matching a glob(3) pattern (`*`, `?`, `[…]` in any path component), sorted as nginx sorts them. */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split('/');
  let paths = [parts[0] === '' ? '/' : '.'];
  for (const part of parts.slice(parts[0] === '' ? 1 : 0)) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globPart(part);
    const next: string[] = [];
    for (const p of paths) {
      let names: string[];
      try {
        names = readdirSync(p);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (re.test(n) && (n[0] !== '.' || part[0] === '.')) next.push(join(p, n));
    }
    paths = next;
  }
  return paths.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

function globPart(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = part.slice(i + 1, end);
        if (body[0] === '!') body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
