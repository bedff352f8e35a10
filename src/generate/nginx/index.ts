// `generate nginx`: picks one log format (named, used by the access logs, or
// given literally) and writes its program.
import { formatPosition } from '../position.js';
import { GenerateError } from '../position.js';
import { readNginxConfig } from './config.js';
import { collectFormats, type Escape, formatFromLiteral, type NginxFormat } from './format.js';
import { nginxProgram } from './program.js';

export interface NginxOptions {
  /** nginx.conf to read log_format directives from. */
  config?: string;
  /** The format to use; default: the one the access logs use. */
  formatName?: string;
  /** A format string instead of a configuration. */
  logFormat?: string;
  escape?: Escape;
}

/** The chosen format and its program text; throws GenerateError. */
export function generateNginx(opts: NginxOptions): { format: NginxFormat; program: string } {
  if (opts.logFormat !== undefined) {
    if (opts.config !== undefined) throw new GenerateError('give either --config or --log-format, not both');
    const format = formatFromLiteral(opts.logFormat, opts.escape ?? 'default', opts.formatName);
    return { format, program: nginxProgram(format, 'a format given with --log-format') };
  }
  if (opts.config === undefined) {
    if (opts.formatName !== undefined && opts.formatName !== 'combined') {
      throw new GenerateError(`--format-name ${opts.formatName} needs --config (the nginx.conf that defines it)`);
    }
    const { formats } = collectFormats([]);
    const format = formats.get('combined')!;
    return { format, program: nginxProgram(format, "nginx's predefined format `combined`") };
  }
  const { formats, used } = collectFormats(readNginxConfig(opts.config));
  let name = opts.formatName;
  if (name === undefined) {
    const names = [...new Set(used.map((u) => u.name))];
    const defined = [...formats.keys()].filter((n) => n !== 'combined');
    if (names.length === 1) name = names[0]!;
    else if (names.length === 0 && defined.length <= 1) name = defined[0] ?? 'combined';
    else {
      const list = names.length ? used.map((u) => `  ${u.name} (access_log ${u.path} at ${formatPosition(u.position)})`) : defined.map((n) => `  ${n}`);
      throw new GenerateError(`${opts.config}: several log formats ${names.length ? 'are used' : 'are defined'}; choose one with --format-name:\n${list.join('\n')}`);
    }
  }
  const format = formats.get(name);
  if (!format) {
    throw new GenerateError(`${opts.config}: no log_format "${name}" in the http block (known: ${[...formats.keys()].join(', ')})`);
  }
  const origin = format.position ? `log_format ${format.name} at ${formatPosition(format.position)}` : "nginx's predefined format `combined`";
  return { format, program: nginxProgram(format, origin) };
}
