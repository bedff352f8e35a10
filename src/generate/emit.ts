// Writes a generated mtail program as readable text: a header comment, the
// metric declarations (each with its help line above), one named pattern per
// log layout split into commented pieces, and an if/else chain whose last
// branch counts the lines no layout matched.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  name: string;
  kind: MetricKind;
  labels: string[];
  buckets?: number[];
  help: string;
}

/** One piece of a pattern: regex text (RE2, as inside /…/) and what it reads. */
export interface Piece {
  re: string;
  comment?: string;
}

export interface Layout {
  /** Name of the const holding the pattern, e.g. LINE or HTTPLOG. */
  constName: string;
  /** Comment lines above the const. */
  title: string[];
  pieces: Piece[];
  /** Statements run when the pattern matches, one per line, unindented. */
  body: string[];
}

export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
export const CONNECT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const BYTES_BUCKETS = [100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

const RE_META = /[\\.+*?()|[\]{}^$\/]/g;

/** RE2 text matching `s` literally inside an mtail /regex/ (where "/" ends the regex). */
export function reText(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch.replace(RE_META, '\\$&');
  }
  return out;
}

/** An mtail string literal. */
export function mtailString(s: string): string {
  return JSON.stringify(s);
}

/** `# ` before every line of text (blank lines stay "#"). */
export function commentLines(lines: string[]): string[] {
  return lines.map((l) => (l === '' ? '#' : `# ${l}`));
}

/**
 * The whole program text. With `envelope`, each line first matches that
 * pattern (e.g. an optional syslog prefix) and the layouts match its capture
 * `message`: two patterns stay under mtail's 1,024-byte limit where one would not.
 */
export function renderProgram(opts: { header: string[]; metrics: MetricSpec[]; layouts: Layout[]; unparsed: string; envelope?: Omit<Layout, 'body'> }): string {
  const out: string[] = [...commentLines(opts.header), ''];
  for (const m of opts.metrics) {
    out.push(`# ${m.help}`);
    const by = m.labels.length ? ` by ${m.labels.join(', ')}` : '';
    const buckets = m.buckets ? ` buckets ${m.buckets.join(', ')}` : '';
    out.push(`${m.kind} ${m.name}${by}${buckets}`);
  }
  out.push('# Lines that match no layout of this program.', `counter ${opts.unparsed}`, '');
  const consts = opts.envelope ? [{ ...opts.envelope, body: [] }, ...opts.layouts] : opts.layouts;
  for (const l of consts) {
    out.push(...commentLines(l.title));
    const width = Math.min(60, Math.max(...l.pieces.map((p) => p.re.length + 4)));
    const pieces = [{ re: '^' }, ...l.pieces, { re: '$' }];
    if (l === consts[0] && opts.envelope) pieces.splice(-1, 0, { re: '(?P<message>.*)' });
    out.push(`const ${l.constName}`);
    pieces.forEach((p, i) => {
      const text = `  /${p.re}/${i < pieces.length - 1 ? ' +' : ''}`;
      out.push('comment' in p && p.comment ? `${text.padEnd(width + 2)} # ${p.comment}` : text);
    });
    out.push('');
  }
  let indent = opts.envelope ? '  ' : '';
  if (opts.envelope) out.push(`${opts.envelope.constName} {`);
  const subject = opts.envelope ? '$message =~ ' : '';
  opts.layouts.forEach((l, i) => {
    out.push(`${indent}${subject}${l.constName} {`);
    for (const s of l.body) out.push(s === '' ? '' : `${indent}  ${s.replace(/\n/g, `\n${indent}  `)}`);
    out.push(`${indent}} else {`);
    if (i < opts.layouts.length - 1) indent += '  ';
  });
  out.push(`${indent}  ${opts.unparsed}++`);
  const base = opts.envelope ? 1 : 0;
  for (let i = opts.layouts.length - 1; i >= 0; i--) out.push(`${'  '.repeat(i + base)}}`);
  if (opts.envelope) out.push('}');
  return out.join('\n') + '\n';
}
