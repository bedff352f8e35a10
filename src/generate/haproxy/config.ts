// Reads haproxy.cfg the way HAProxy splits a line (cfgparse.c parse_line):
// words separated by blanks, `#` starting a comment, "…" (with ${VAR} taken
// from the environment) and '…' quoting, and backslash escapes (\ \# \\ \" \'
// \r \n \t \xHH). Sections start with global, defaults, frontend, backend,
// listen and a few more; the generator keeps each proxy's log settings:
// `mode`, `option httplog|httpslog|tcplog`, `log-format`, and the `log` targets.
import { readFileSync } from 'node:fs';
import { GenerateError, type Position } from '../position.js';

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers', 'userlist', 'cache', 'program', 'http-errors', 'ring', 'mailers', 'log-forward']);

export interface LogSetting {
  kind: 'httplog' | 'httpslog' | 'tcplog' | 'clf' | 'log-format';
  /** The log-format string (for kind log-format). */
  format?: string;
  /** Where the string starts, for errors inside it. */
  position: Position;
}

export interface Proxy {
  section: 'defaults' | 'frontend' | 'listen' | 'backend';
  name: string;
  position: Position;
  mode?: 'http' | 'tcp';
  log?: LogSetting;
  /** `log` lines of the proxy (or inherited from global with `log global`). */
  logTargets: string[];
}

interface Word {
  text: string;
  col: number;
}

function splitLine(file: string, lineNo: number, line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length || line[i] === '#') break;
    const col = i + 1;
    let text = '';
    let quote: string | undefined;
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) {
          quote = undefined;
          continue;
        }
        if (quote === '"' && ch === '\\' && i + 1 < line.length) {
          text += unescape(line, ++i);
          if (line[i] === 'x') i += 2;
          continue;
        }
        if (quote === '"' && ch === '$' && line[i + 1] === '{') {
          const end = line.indexOf('}', i);
          if (end > 0) {
            text += process.env[line.slice(i + 2, end)] ?? '';
            i = end;
            continue;
          }
        }
        text += ch;
        continue;
      }
      if (ch === ' ' || ch === '\t') break;
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        quote = ch;
        continue;
      }
      if (ch === '\\' && i + 1 < line.length) {
        text += unescape(line, ++i);
        if (line[i] === 'x') i += 2;
        continue;
      }
      text += ch;
    }
    if (quote) throw new GenerateError(`unmatched ${quote} quote`, { file, line: lineNo, col });
    words.push({ text, col });
  }
  return words;
}

function unescape(line: string, i: number): string {
  const ch = line[i]!;
  if (ch === 'r') return '\r';
  if (ch === 'n') return '\n';
  if (ch === 't') return '\t';
  if (ch === 'x' && /^[0-9A-Fa-f]{2}$/.test(line.slice(i + 1, i + 3))) return String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16));
  return ch;
}

/** The proxies of a configuration, each with the log settings it ends up with (defaults applied). */
export function readHaproxyConfig(file: string): Proxy[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new GenerateError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const proxies: Proxy[] = [];
  const namedDefaults = new Map<string, Proxy>();
  const globalLogs: string[] = [];
  let lastDefaults: Proxy | undefined;
  let current: Proxy | undefined;
  let inGlobal = false;
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const words = splitLine(file, lineNo, raw.replace(/\r$/, ''));
    if (words.length === 0) return;
    const at = (w: Word): Position => ({ file, line: lineNo, col: w.col });
    const [first, ...rest] = words;
    const kw = first!.text;
    if (SECTIONS.has(kw)) {
      inGlobal = kw === 'global';
      current = undefined;
      if (kw === 'defaults' || kw === 'frontend' || kw === 'listen' || kw === 'backend') {
        // `frontend NAME from DEFAULTS` picks named defaults; otherwise the last defaults section.
        const fromIdx = rest.findIndex((w) => w.text === 'from');
        const base = fromIdx >= 0 ? namedDefaults.get(rest[fromIdx + 1]?.text ?? '') : lastDefaults;
        if (fromIdx >= 0 && !base) throw new GenerateError(`${kw}: no defaults section named "${rest[fromIdx + 1]?.text ?? ''}"`, at(rest[fromIdx]!));
        const name = rest[0] && rest[0].text !== 'from' ? rest[0].text : '';
        current = {
          section: kw,
          name,
          position: at(first!),
          mode: base?.mode,
          log: base?.log,
          logTargets: base ? [...base.logTargets] : [],
        };
        if (kw === 'defaults') {
          lastDefaults = current;
          if (name) namedDefaults.set(name, current);
        } else proxies.push(current);
      }
      return;
    }
    if (inGlobal && kw === 'log') {
      globalLogs.push(rest.map((w) => w.text).join(' '));
      return;
    }
    if (!current) return;
    if (kw === 'mode' && (rest[0]?.text === 'http' || rest[0]?.text === 'tcp')) current.mode = rest[0].text;
    else if (kw === 'log') {
      if (rest[0]?.text === 'global') current.logTargets.push(...globalLogs);
      else current.logTargets.push(rest.map((w) => w.text).join(' '));
    } else if (kw === 'no' && rest[0]?.text === 'log') current.logTargets = [];
    else if (kw === 'option' && ['httplog', 'httpslog', 'tcplog'].includes(rest[0]?.text ?? '')) {
      const opt = rest[0]!.text as 'httplog' | 'httpslog' | 'tcplog';
      current.log = { kind: opt === 'httplog' && rest[1]?.text === 'clf' ? 'clf' : opt, position: at(first!) };
    } else if (kw === 'no' && rest[0]?.text === 'option' && ['httplog', 'httpslog', 'tcplog'].includes(rest[1]?.text ?? '')) {
      current.log = undefined;
    } else if (kw === 'log-format') {
      if (rest.length === 0) throw new GenerateError('log-format needs a format string', at(first!));
      // HAProxy 2.x wants one (quoted) word; older versions joined escaped words.
      current.log = { kind: 'log-format', format: rest.map((w) => w.text).join(' '), position: { ...at(rest[0]!), col: rest[0]!.col + (/^["']/.test(raw.slice(rest[0]!.col - 1)) ? 1 : 0) } };
    }
  });
  return proxies;
}
