import { ALL_CODES, type Code, MESSAGES } from '../lang/diagnostics.js';
import { EXPLANATIONS } from '../lang/explanations.js';

/** Wraps text at `width` columns on spaces. */
function wrap(text: string, width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

const indent = (program: string) => program.replace(/\n$/, '').split('\n').map((l) => `    ${l}`).join('\n');

/** The text `logmetrics explain CODE` prints. */
export function explanation(code: Code): string {
  const e = EXPLANATIONS[code];
  const kind = code.startsWith('W') ? 'warning' : 'error';
  // The message template with its placeholders shown as <name>, as it reads in a diagnostic.
  const message = MESSAGES[code].message.replace(/\{(\w+)\}/g, '<$1>');
  return [
    `${kind}[${code}]: ${message}`,
    '',
    wrap(e.text),
    '',
    `A program ${kind === 'error' ? 'that is refused' : 'that gets this warning'}:`,
    '',
    indent(e.bad),
    '',
    'The same program, corrected:',
    '',
    indent(e.good),
    '',
  ].join('\n');
}

/** `logmetrics explain CODE`: 0 for a known code, 2 otherwise (with the list of codes). */
export function explainCommand(code: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const wanted = code.trim().toUpperCase();
  // Accept "E20", "e020" and "20" (an error) as rustc accepts E0020 spellings loosely.
  const normal = /^[EW]?\d+$/.test(wanted)
    ? `${/^[EW]/.test(wanted) ? wanted[0] : 'E'}${wanted.replace(/^[EW]/, '').padStart(3, '0')}`
    : wanted;
  const found = ALL_CODES.find((c) => c === normal);
  if (!found) {
    err.write(`logmetrics: ${JSON.stringify(code)} is not a diagnostic code; known codes: ${ALL_CODES.join(', ')}\n`);
    return 2;
  }
  out.write(explanation(found));
  return 0;
}
