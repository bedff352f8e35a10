import { fstatSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter } from './lineSplitter.js';
import type { Logger } from '../log/index.js';
import { ErrorEpisodes } from './logger.js';
import type { LineProcessor } from './processor.js';
import { HEAD_BYTES, sha256, type SavedPosition } from './positionStore.js';
import { newSourceStats, type SourceStats } from './stats.js';

/** How far back from the end of a pre-existing file to look for the start of its last line. */
const END_SCAN_BYTES = 64 * 1024;
const LF = 0x0a;
/** Appends up to this size are read synchronously (see drain). */
const SYNC_READ_BYTES = 64 * 1024;

/** Positions saved by an earlier run, consulted when files are first opened after start-up. */
export interface SavedState {
  /** By fileKey(dev, ino). */
  readonly byKey: ReadonlyMap<string, SavedPosition>;
  /** Paths that had a saved position: a different file there now is new since the last run. */
  readonly paths: ReadonlySet<string>;
  /** Keys whose saved position was taken up. */
  readonly used: Set<string>;
}

/** What all followers of one Tailer share. Reads are serialised by the Tailer, so one buffer serves all. */
export interface FollowContext {
  readonly maxLineBytes: number;
  /** How long a file no longer named by its path is kept open and read after it stops growing. */
  readonly rotationGraceMs: number;
  readonly readBuffer: Buffer;
  /** Every descriptor any follower holds, by fileKey: one file is read through one descriptor only. */
  readonly openFiles: Map<string, OpenFile>;
  readonly saved: SavedState | undefined;
  readonly logger: Logger;
  /** Reading stops at this time (set when stopping, so a large backlog cannot hold up shutdown). */
  readonly stopReadingAt: number;
  /** Where every line goes. */
  readonly processor: LineProcessor;
  now(): number;
}

/** The identity of a file: device and inode. */
export function fileKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

/** One open descriptor of a followed file, with its read offset and unfinished line. */
export class OpenFile {
  readonly key: string;
  readonly splitter: LineSplitter;
  /** Next byte to read. */
  pos = 0;
  /** The first up to HEAD_BYTES bytes of the file, to notice it being truncated and rewritten. */
  head: Buffer = Buffer.alloc(0);
  /** True once the path names another file (or nothing): read on until the writer is done. */
  retired = false;
  lastDataAt: number;
  /** Modification time and size at the last look, to skip the head comparison when nothing changed. */
  mtimeNs = -1n;
  lastSize = -1;

  constructor(
    readonly fh: FileHandle,
    readonly dev: bigint,
    readonly ino: bigint,
    public owner: FileFollower,
    ctx: FollowContext,
  ) {
    this.key = fileKey(dev, ino);
    this.lastDataAt = ctx.now();
    this.splitter = new LineSplitter({
      maxLineBytes: ctx.maxLineBytes,
      onLine: (line) => this.owner.deliver(line),
      onLongLine: () => this.owner.stats.longLinesCut++,
    });
  }

  /** Offset of the first byte not yet handed out as part of a complete line. */
  committedOffset(): number {
    return this.pos - this.splitter.bufferedBytes;
  }
}

/**
 * Follows one path. The path may come to name a different file (rename-and-create,
 * delete-and-recreate, a symlink switched to a new target) or the file may shrink
 * (copytruncate). The file the path named before stays open and is read until it has not grown
 * for rotationGraceMs, so lines its writer adds before reopening are not lost; each file is read
 * through exactly one descriptor, so no line is read twice.
 */
export class FileFollower {
  readonly stats: SourceStats = newSourceStats('file');
  private active: OpenFile | undefined;
  private readonly retired: OpenFile[] = [];
  /** Whether a file was ever opened for this path: every later file is new and read from its start. */
  private opened = false;
  /** Whether the path named no regular file at the last poll. */
  private gone = false;
  private readonly errors: ErrorEpisodes;

  constructor(
    readonly path: string,
    /** Where to start in the first file opened, unless saved state says otherwise. */
    private readonly startAt: 'start' | 'end',
    /** Whether to consult saved positions for the first file opened (only files found at start-up). */
    private readonly useSaved: boolean,
    private readonly ctx: FollowContext,
  ) {
    this.errors = new ErrorEpisodes(this.stats, ctx.logger, path);
  }

  /** True when the path is gone and nothing remains open: the Tailer drops the follower. */
  get released(): boolean {
    return this.gone && this.active === undefined && this.retired.length === 0;
  }

  /** Hands one line to the processor under this path's name. */
  deliver(line: string): void {
    this.stats.lines++;
    this.ctx.processor.processLine(line, this.path);
  }

  /**
   * Checks the path, switches files when it names a new one, and reads everything new (unless
   * readData is false: then it only opens files and fixes where reading starts).
   */
  async poll(readData = true): Promise<void> {
    let st: BigIntStats | undefined;
    try {
      // Synchronous: an idle file costs one stat(2) per poll and nothing else. Through the
      // thread pool and a promise, the same look cost ten times as much CPU (500 idle files:
      // a quarter of a core at 4 polls a second).
      st = statSync(this.path, { bigint: true, throwIfNoEntry: false });
      if (st !== undefined && !st.isFile()) st = undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.errors.fail('stat', err);
    }
    this.gone = st === undefined;
    const current = this.active;
    if (readData && current && st && this.retired.length === 0 && isUnchanged(current, st)) return;
    if (current && (st === undefined || st.ino !== current.ino || st.dev !== current.dev)) {
      this.retire(current, st === undefined ? 'gone' : 'replaced');
    }
    if (this.active === undefined && st !== undefined) await this.openCurrent(st);
    if (!readData) {
      this.stats.open = this.active !== undefined || this.retired.length > 0;
      return;
    }
    if (this.active) await this.drain(this.active);
    for (const of of [...this.retired]) {
      await this.drain(of);
      const now = this.ctx.now();
      // Past the stop deadline a file may be idle only because it was not read: keep it (and its saved offset).
      if (now - of.lastDataAt >= this.ctx.rotationGraceMs && now < this.ctx.stopReadingAt) await this.closeFile(of, true);
    }
    this.stats.open = this.active !== undefined || this.retired.length > 0;
  }

  /** Where reading stopped, for the state file. */
  positions(): SavedPosition[] {
    const files = this.active ? [this.active, ...this.retired] : this.retired;
    return files.map((of) => ({
      path: this.path,
      dev: of.dev.toString(),
      ino: of.ino.toString(),
      offset: of.committedOffset(),
      headLength: of.head.length,
      headSha256: sha256(of.head),
    }));
  }

  /** Takes a file found at another path (rotated away while we were stopped) to read to its end. */
  adoptRetired(of: OpenFile): void {
    of.owner = this;
    of.retired = true;
    of.lastDataAt = this.ctx.now();
    this.retired.push(of);
    this.ctx.openFiles.set(of.key, of);
  }

  /** Closes every descriptor; unfinished lines stay unread (the state file resumes them). */
  async close(): Promise<void> {
    const files = this.active ? [this.active, ...this.retired] : [...this.retired];
    for (const of of files) await this.closeFile(of, false);
    this.stats.open = false;
  }

  private retire(of: OpenFile, why: 'gone' | 'replaced'): void {
    this.active = undefined;
    of.retired = true;
    of.lastDataAt = this.ctx.now();
    this.retired.push(of);
    this.ctx.logger.log('info', 'tail.file_retired', { source: this.path, why, offset: of.pos });
  }

  private async openCurrent(st: BigIntStats): Promise<void> {
    const held = this.ctx.openFiles.get(fileKey(st.dev, st.ino));
    if (held) {
      // Another path's follower reads this very file (a hard link or a symlink alias): leave it
      // there. If that follower has retired it (renamed here), take it over with its offset.
      if (!held.retired) return;
      held.owner.release(held);
      held.owner = this;
      held.retired = false;
      this.active = held;
      this.opened = true;
      this.ctx.logger.log('info', 'tail.file_adopted', { source: this.path, offset: held.pos });
      return;
    }
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      this.errors.fail('open', err);
      return;
    }
    let of: OpenFile | undefined;
    try {
      const fst = fstatSync(fh.fd, { bigint: true });
      // The path may have been replaced between stat and open; the next poll sees the new file.
      // Or another follower opened the same file meanwhile (a hard link; followers open new
      // files concurrently): it reads it, and a later poll adopts it here if it retires it.
      if (!fst.isFile() || fst.dev !== st.dev || fst.ino !== st.ino || this.ctx.openFiles.has(fileKey(fst.dev, fst.ino))) {
        await fh.close();
        return;
      }
      of = new OpenFile(fh, fst.dev, fst.ino, this, this.ctx);
      // Claimed before the first await, so a concurrent opener of the same file backs off.
      this.ctx.openFiles.set(of.key, of);
      of.pos = await this.startOffset(of, Number(fst.size));
      if (this.opened) this.stats.rotations++;
      this.opened = true;
      this.active = of;
      this.errors.clear();
      this.ctx.logger.log('info', 'tail.file_opened', { source: this.path, offset: of.pos });
    } catch (err) {
      this.errors.fail('open', err);
      if (of && this.ctx.openFiles.get(of.key) === of) this.ctx.openFiles.delete(of.key);
      await fh.close().catch(() => undefined);
    }
  }

  /** Removes a retired file that another follower takes over. */
  private release(of: OpenFile): void {
    const i = this.retired.indexOf(of);
    if (i >= 0) this.retired.splice(i, 1);
  }

  private async startOffset(of: OpenFile, size: number): Promise<number> {
    of.head = readAtSync(of.fh, 0, Math.min(size, HEAD_BYTES));
    if (this.opened) return 0;
    const saved = this.useSaved ? this.ctx.saved : undefined;
    if (saved) {
      const entry = saved.byKey.get(of.key);
      if (entry && entry.offset <= size && entry.headLength <= of.head.length) {
        if (sha256(of.head.subarray(0, entry.headLength)) === entry.headSha256) {
          saved.used.add(of.key);
          return entry.offset;
        }
      }
      // This path was followed before but names a file we have not read: all of it is new.
      if (saved.paths.has(this.path)) return 0;
    }
    if (this.startAt === 'start') return 0;
    return this.endOffset(of, size);
  }

  /** The start of the last unfinished line, so a line being written when we start is read whole. */
  private async endOffset(of: OpenFile, size: number): Promise<number> {
    const window = Math.min(size, END_SCAN_BYTES);
    const tail = await readAt(of.fh, size - window, window);
    const nl = tail.lastIndexOf(LF);
    if (nl >= 0) return size - window + nl + 1;
    if (window === size) return 0;
    of.splitter.skipToNextLine();
    return size;
  }

  /**
   * Reads everything new in one file. A copytruncate can empty the file and let it regrow to
   * any size between two looks, so besides "smaller than our offset" the first bytes are
   * compared with those seen before: when the file has changed since the last look, and again
   * after every chunk read from past the start, before its lines are handed out (the chunk
   * might belong to the new content, read at an offset that means nothing there).
   */
  private async drain(of: OpenFile): Promise<void> {
    try {
      const fst = fstatSync(of.fh.fd, { bigint: true });
      const size = Number(fst.size);
      const changed = fst.mtimeNs !== of.mtimeNs || size !== of.lastSize;
      of.mtimeNs = fst.mtimeNs;
      of.lastSize = size;
      if (size < of.pos) {
        if (size > 0 && this.headMatches(of, size)) this.cutBack(of, size);
        else this.restart(of, 'shrank');
      } else if (changed && !this.headUnchanged(of)) this.restart(of, 'rewritten');
      const buf = this.ctx.readBuffer;
      // Up to the size seen above: bytes appended meanwhile raise an event (or wait for the next
      // poll), so a look at an idle or slowly growing file costs one read, not one more at the end.
      while (of.pos < size && this.ctx.now() < this.ctx.stopReadingAt) {
        const from = of.pos;
        // A few fresh bytes (a live log's usual append) were just written, so they are in the
        // page cache: read them at once. A backlog goes through the thread pool a chunk at a
        // time, with the event loop served between chunks.
        const bytesRead = size - from <= SYNC_READ_BYTES ? readSync(of.fh.fd, buf, 0, buf.length, from) : (await of.fh.read(buf, 0, buf.length, from)).bytesRead;
        if (bytesRead === 0) break;
        if (from > 0 && !this.headUnchanged(of)) {
          // Truncated while we read: this chunk may be old or new bytes; drop it and start over.
          this.restart(of, 'rewritten');
          continue;
        }
        of.pos += bytesRead;
        of.lastDataAt = this.ctx.now();
        this.stats.lastReadAt = of.lastDataAt;
        this.stats.bytes += bytesRead;
        if (of.head.length < HEAD_BYTES && from <= of.head.length) {
          const upto = Math.min(HEAD_BYTES, of.pos) - from;
          if (upto > of.head.length - from) of.head = Buffer.concat([of.head.subarray(0, from), buf.subarray(0, upto)]);
        }
        this.errors.clear();
        of.splitter.push(buf.subarray(0, bytesRead));
      }
    } catch (err) {
      this.errors.fail('read', err);
    }
  }

  /** Whether the bytes at the start of the file are still the ones seen before. */
  private headUnchanged(of: OpenFile): boolean {
    if (of.head.length === 0) return true;
    const now = readAtSync(of.fh, 0, of.head.length);
    return now.equals(of.head);
  }

  /** Whether the first min(size, head) bytes of the file are still the ones seen before. */
  private headMatches(of: OpenFile, size: number): boolean {
    const n = Math.min(of.head.length, size);
    const now = readAtSync(of.fh, 0, n);
    return now.equals(of.head.subarray(0, n));
  }

  /**
   * The file was cut back to `size` bytes that are still the ones we read (truncate -s, or a
   * writer that rewinds): those bytes were handed out already, so reading goes on from the cut,
   * where the next appended bytes land. Re-reading from the start would double them.
   */
  private cutBack(of: OpenFile, size: number): void {
    this.stats.truncations++;
    this.ctx.logger.log('info', 'tail.file_truncated', { source: this.path, why: 'cut_back', offset: of.pos, size });
    // Bytes of the unfinished line past the cut are gone; those before it stay pending.
    of.splitter.keepPending(size - of.committedOffset());
    of.pos = size;
    if (of.head.length > size) of.head = of.head.subarray(0, size);
  }

  /** The file was truncated (and maybe rewritten): read it again from its start. */
  private restart(of: OpenFile, why: 'shrank' | 'rewritten'): void {
    this.stats.truncations++;
    this.ctx.logger.log('info', 'tail.file_truncated', { source: this.path, why, offset: of.pos });
    // What was pending belonged to the old content; hand it out rather than glue it to new bytes.
    of.splitter.end();
    of.pos = 0;
    of.head = Buffer.alloc(0);
  }

  private async closeFile(of: OpenFile, flush: boolean): Promise<void> {
    if (flush) of.splitter.end();
    if (this.active === of) this.active = undefined;
    this.release(of);
    if (this.ctx.openFiles.get(of.key) === of) this.ctx.openFiles.delete(of.key);
    await of.fh.close().catch(() => undefined);
    if (flush) this.ctx.logger.log('info', 'tail.file_closed', { source: this.path, offset: of.pos });
  }
}

/**
 * Whether the path still names the open file, read to its end, with the size and modification
 * time drain() saw last: then there is nothing to read and no truncation to check.
 */
function isUnchanged(of: OpenFile, st: BigIntStats): boolean {
  return st.ino === of.ino && st.dev === of.dev && st.size === BigInt(of.pos) && Number(st.size) === of.lastSize && st.mtimeNs === of.mtimeNs;
}

/**
 * Reads up to len bytes at offset (fewer at end of file), synchronously: only for the first
 * kilobyte, read at every look at a growing file and so in the page cache. Through the thread
 * pool each such look waited for a thread: with 250 files growing at once, seconds.
 */
function readAtSync(fh: FileHandle, offset: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fh.fd, buf, got, len - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Reads up to len bytes at offset (fewer at end of file). */
async function readAt(fh: FileHandle, offset: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}
