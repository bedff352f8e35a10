// `generate haproxy`: the log formats of the frontends (or of one, or a
// literal string) and their program.
import { formatPosition, GenerateError, type Position } from '../position.js';
import { type Proxy, readHaproxyConfig } from './config.js';
import { parseLogFormat, PREDEFINED } from './format.js';
import { type HaproxyFormat, haproxyProgram } from './program.js';

export interface HaproxyOptions {
  config?: string;
  /** Only this frontend or listen section. */
  formatName?: string;
  /** A log-format string instead of a configuration; "httplog", "httpslog" and "tcplog" name the predefined ones. */
  logFormat?: string;
}

/** The format a proxy logs with: its own or its defaults' option or log-format, as HAProxy resolves it. */
function effective(p: Proxy): { title: string; text: string; position: Position } | undefined {
  const log = p.log;
  if (!log) return undefined;
  if (log.kind === 'clf') throw new GenerateError('option httplog clf is not supported by the generator yet; use a log-format string', log.position);
  if (log.kind === 'log-format') return { title: `log-format at ${formatPosition(log.position)}`, text: log.format!, position: log.position };
  // HAProxy logs an HTTP option on a TCP proxy as tcplog (with a warning); the default mode is tcp.
  const kind = log.kind !== 'tcplog' && p.mode !== 'http' ? 'tcplog' : log.kind;
  return { title: `option ${kind}`, text: PREDEFINED[kind], position: log.position };
}

export function generateHaproxy(opts: HaproxyOptions): { program: string; formats: HaproxyFormat[] } {
  if (opts.logFormat !== undefined) {
    if (opts.config !== undefined) throw new GenerateError('give either --config or --log-format, not both');
    const predefined = PREDEFINED[opts.logFormat as keyof typeof PREDEFINED];
    const text = predefined ?? opts.logFormat;
    const at = (i: number): Position => ({ file: '--log-format', line: 1, col: i + 1 });
    const title = predefined ? `option ${opts.logFormat}` : 'log-format given with --log-format';
    const formats = [{ title, segments: parseLogFormat(text, at, '--log-format'), proxies: [] }];
    return { program: haproxyProgram(formats, title), formats };
  }
  if (opts.config === undefined) throw new GenerateError('give --config haproxy.cfg or --log-format (a string, or httplog, httpslog, tcplog)');
  const proxies = readHaproxyConfig(opts.config).filter((p) => p.section === 'frontend' || p.section === 'listen');
  const chosen = opts.formatName === undefined ? proxies : proxies.filter((p) => p.name === opts.formatName);
  if (opts.formatName !== undefined && chosen.length === 0) {
    throw new GenerateError(`${opts.config}: no frontend or listen section named "${opts.formatName}" (known: ${proxies.map((p) => p.name).join(', ') || 'none'})`);
  }
  const byText = new Map<string, HaproxyFormat>();
  for (const p of chosen) {
    const e = effective(p);
    if (!e) continue;
    let f = byText.get(e.text);
    if (!f) {
      f = { title: e.title, segments: parseLogFormat(e.text, (i) => ({ ...e.position, col: e.position.col + i }), e.title.startsWith('log-format') ? 'log-format' : e.title), proxies: [] };
      byText.set(e.text, f);
    }
    f.proxies.push(`${p.section} ${p.name}`);
  }
  if (byText.size === 0) {
    const which = opts.formatName ? `"${opts.formatName}"` : 'no frontend or listen section';
    throw new GenerateError(`${opts.config}: ${which} has a log format (option httplog, option httpslog, option tcplog or log-format), in itself or its defaults`);
  }
  const formats = [...byText.values()];
  return { program: haproxyProgram(formats, opts.config), formats };
}
