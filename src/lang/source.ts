/** A program's text with a line index, so spans print as file:line:col. */
export class Source {
  readonly lineStarts: number[] = [0];
  /**
   * `name` is the program's name (the prog label, HELP text); `path` is how the
   * user named the file, so diagnostics point where an editor can jump.
   */
  constructor(readonly name: string, readonly text: string, readonly path: string = name) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo] + 1 };
  }

  /** Text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
}

/** Half-open character range [start, end) in a Source. */
export interface Span {
  start: number;
  end: number;
}

/** "file:line:col" of a span's start. */
export function formatPos(src: Source, span: Span): string {
  const { line, col } = src.position(span.start);
  return `${src.path}:${line}:${col}`;
}

/** mtail's style of position, "file:line:startcol-endcol", used in HELP text. */
export function formatRange(src: Source, span: Span): string {
  const a = src.position(span.start);
  const b = src.position(Math.max(span.start, span.end - 1));
  if (a.line !== b.line || a.col === b.col) return `${src.name}:${a.line}:${a.col}`;
  return `${src.name}:${a.line}:${a.col}-${b.col}`;
}

/** Numbered source line with carets under the span, like vue's codeframe. */
export function codeFrame(src: Source, span: Span): string {
  const { line, col } = src.position(span.start);
  const text = src.lineText(line);
  const endOnLine = Math.min(span.end, src.lineStarts[line] ?? src.text.length + 1) ;
  const width = Math.max(1, Math.min(endOnLine - span.start, text.length - col + 1));
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const lead = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  return `${pad} |\n${gutter} | ${text}\n${pad} | ${lead}${'^'.repeat(width)}`;
}
