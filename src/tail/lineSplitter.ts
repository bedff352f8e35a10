import { isAscii } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;
/**
 * Lines of an ASCII chunk are decoded this many bytes at a time. A segment string stays in V8's
 * young generation, freed by the next scavenge once its lines are done; a whole 128 KiB chunk
 * would be a large object, kept alive by any slice until a full collection, which grows memory.
 */
const SEGMENT_BYTES = 16 * 1024;

// Buffer's own decoders, without toString's argument handling on every line.
type FastDecode = (this: Buffer, start: number, end: number) => string;
const { latin1Slice, utf8Slice } = Buffer.prototype as unknown as { latin1Slice: FastDecode; utf8Slice: FastDecode };

/**
 * The default longest line (--max-line-bytes). Real logs stay far below it: Docker's json-file
 * driver and Kubernetes split lines at 16 KiB, journald at 48 KiB (LineMax), rsyslog's default
 * message limit is 8 KiB, nginx's error lines 2 KiB; a combined access line with 8 KiB
 * headers (nginx's large_client_header_buffers) stays under 32 KiB. Every cost of a line (its
 * copies, every pattern's scan of it) grows with its length, so the cap is the worst case a
 * writer of the log can impose per line; longer lines are cut and counted.
 */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

/** Options of a LineSplitter. */
export interface LineSplitterOptions {
  /** Longest line kept, in bytes (without its line ending); longer lines are cut to this length. */
  maxLineBytes: number;
  onLine: (line: string) => void;
  /** Called once for every line that was cut. */
  onLongLine?: () => void;
}

/**
 * Splits Buffer chunks into lines: '\n' ends a line, one '\r' before it is stripped (a '\r'
 * elsewhere is kept), a partial last line waits for more data, a line longer than maxLineBytes
 * is cut at that length and the rest of it is skipped up to its newline. Lines are decoded as
 * UTF-8; invalid bytes become U+FFFD.
 *
 * The lines of an ASCII chunk are one decoded string cut into slices (what outlives a line is
 * detached from it: see metrics/detach.ts); other lines are decoded one by one from the chunk.
 * Only the unfinished tail of a chunk is copied (callers may reuse their read buffer), and a line spread over
 * several chunks is joined once, when its newline arrives. Splitting on the byte 0x0A is safe
 * in UTF-8 because that byte never occurs inside a multi-byte character.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  private readonly onLine: (line: string) => void;
  private readonly onLongLine: (() => void) | undefined;
  /** Copies of the bytes of the unfinished line, oldest first. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** True while skipping the rest of a line that was already cut and emitted. */
  private discarding = false;
  /** How lines of the current chunk are decoded. */
  private decode: FastDecode = utf8Slice;

  constructor(opts: LineSplitterOptions) {
    if (!(opts.maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be at least 1, got ${opts.maxLineBytes}`);
    this.maxLineBytes = Math.floor(opts.maxLineBytes);
    this.onLine = opts.onLine;
    this.onLongLine = opts.onLongLine;
  }

  /** Bytes held for the unfinished last line (not yet handed out). */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /** Feeds the next chunk of the byte stream. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    // Most log chunks are pure ASCII, where latin1 decoding gives the same string faster.
    const ascii = isAscii(chunk);
    this.decode = ascii ? latin1Slice : utf8Slice;
    let start = 0;
    if (this.pendingLength > 0 || this.discarding) {
      // The end of a line begun in an earlier chunk: joined as bytes.
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.keep(chunk, 0, n);
        return;
      }
      if (this.discarding) this.discarding = false;
      else this.finishLine(chunk, 0, nl);
      start = nl + 1;
    }
    if (ascii) start = this.pushAsciiLines(chunk, start);
    while (start < n) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.keep(chunk, start, n);
        return;
      }
      if (this.discarding) this.discarding = false;
      else this.finishLine(chunk, start, nl);
      start = nl + 1;
    }
  }

  /**
   * The whole lines of an ASCII chunk from `start`: decoded a segment of lines at a time and
   * handed out as slices of that string, so no line is copied (one character is one byte here,
   * so string offsets are byte offsets). Returns where the unfinished last line starts.
   */
  private pushAsciiLines(chunk: Buffer, start: number): number {
    const last = chunk.lastIndexOf(LF);
    let from = start;
    while (from <= last) {
      let end = from + SEGMENT_BYTES <= last ? chunk.lastIndexOf(LF, from + SEGMENT_BYTES - 1) : last;
      if (end < from) end = chunk.indexOf(LF, from); // one line longer than a segment
      this.sliceLines(latin1Slice.call(chunk, from, end + 1));
      from = end + 1;
    }
    return Math.max(start, last + 1);
  }

  /** Hands out the lines of `text`, which ends with a newline. */
  private sliceLines(text: string): void {
    const max = this.maxLineBytes;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const stop = nl > from && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      if (stop - from > max) {
        this.onLine(text.slice(from, from + max));
        this.onLongLine?.();
      } else {
        this.onLine(text.slice(from, stop));
      }
      from = nl + 1;
    }
  }

  /** Ends the stream: a final line without a newline is handed out (a trailing '\r' is dropped). */
  end(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.pendingLength === 0) return;
    const empty = Buffer.alloc(0);
    this.finishLine(empty, 0, 0);
  }

  /** Keeps only the first n bytes of the unfinished line: the file was cut back to inside it. */
  keepPending(n: number): void {
    if (this.discarding || n >= this.pendingLength) return;
    const kept = n > 0 ? Buffer.from(Buffer.concat(this.pending, this.pendingLength).subarray(0, n)) : undefined;
    this.pending = kept ? [kept] : [];
    this.pendingLength = kept ? kept.length : 0;
  }

  /** Skips bytes up to and including the next newline (used when starting in the middle of a line). */
  skipToNextLine(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.discarding = true;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    if (this.discarding) return;
    const len = end - start;
    // One byte of slack: the last byte may turn out to be the '\r' of a "\r\n".
    if (this.pendingLength + len > this.maxLineBytes + 1) {
      this.pending.push(chunk.subarray(start, end));
      this.emitCut();
      this.discarding = true;
      return;
    }
    this.pending.push(Buffer.from(chunk.subarray(start, end)));
    this.pendingLength += len;
  }

  /** Hands out the line made of the pending bytes plus chunk[start, end), without its '\r'. */
  private finishLine(chunk: Buffer, start: number, end: number): void {
    let stop = end;
    if (end > start) {
      if (chunk[end - 1] === CR) stop--;
    } else if (this.pendingLength > 0) {
      const last = this.pending[this.pending.length - 1];
      if (last[last.length - 1] === CR) {
        this.pending[this.pending.length - 1] = last.subarray(0, last.length - 1);
        this.pendingLength--;
      }
    }
    const total = this.pendingLength + (stop - start);
    if (total > this.maxLineBytes) {
      this.pending.push(chunk.subarray(start, stop));
      this.emitCut();
      return;
    }
    let line: string;
    if (this.pendingLength === 0) {
      line = this.decode.call(chunk, start, stop);
    } else {
      this.pending.push(chunk.subarray(start, stop));
      line = Buffer.concat(this.pending, total).toString('utf8');
      this.pending = [];
      this.pendingLength = 0;
    }
    this.onLine(line);
  }

  /** Emits the first maxLineBytes of the pending pieces as a cut line and clears them. */
  private emitCut(): void {
    const head = Buffer.concat(this.pending, this.maxLineBytes);
    this.pending = [];
    this.pendingLength = 0;
    // Cutting inside a multi-byte character would add a U+FFFD the writer never wrote.
    this.onLine(head.toString('utf8', 0, utf8Boundary(head, head.length)));
    this.onLongLine?.();
  }
}

/** The largest offset <= end that does not split a UTF-8 character started before end. */
export function utf8Boundary(buf: Buffer, end: number): number {
  let i = end - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return end;
  const lead = buf[i];
  const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return width > 1 && i + width > end ? i : end;
}
