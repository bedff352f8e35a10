import path from 'node:path';
import { DirWatcher } from './dirWatcher.js';
import { FileFollower, OpenFile, type FollowContext, type SavedState } from './fileFollower.js';
import { expandGlob, matchGlob, mayContainMatch, type Glob } from './glob.js';
import { type Logger, silentLogger } from '../log/index.js';
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter.js';
import { errorCode } from './logger.js';
import { savePositions } from './positionStore.js';
import { loadSavedState, openRotatedFile, rotationDirs, unusedPositions } from './resume.js';
import type { LineProcessor } from './processor.js';
import { StreamSocketSource, UdpSource } from './socketSources.js';
import { parseSourcePattern, type SourceSpec } from './sourcePattern.js';
import type { TailStats } from './stats.js';
import { FifoSource, StdinSource, type StreamContext, type StreamSource } from './streamSources.js';

/** Options of a Tailer. */
export interface TailerOptions {
  /** Paths, globs, '-' (stdin), unix:///path, tcp://host:port, udp://host:port (lists already split). */
  patterns: string[];
  /** Read files found at start-up from their start instead of their end. */
  fromStart?: boolean;
  /** Stat loop period, the fallback for file systems without change events. Default 250. */
  pollIntervalMs?: number;
  /** Longer lines are cut to this many bytes. Default 1 MiB. */
  maxLineBytes?: number;
  /** Where read positions are kept across restarts; none when unset. */
  stateDir?: string;
  /** Matches found by a glob whose base name matches this are skipped (as mtail's --ignore_filename_regex_pattern). */
  ignoreFilenameRegex?: RegExp;
  /** Where every line goes. */
  processor: LineProcessor;
  logger?: Logger;
  /** Period of glob re-evaluation without events. Default 4 × pollIntervalMs. */
  rescanIntervalMs?: number;
  /** How long a rotated-away or deleted file stays open after it last grew. Default 5000. */
  rotationGraceMs?: number;
  /** Period of state saves: a kill -9 reads again at most this much of lines. Default 1000. */
  stateSaveIntervalMs?: number;
  /** Use file-system events (inotify, one watch per directory) besides polling. Default true. */
  useFsEvents?: boolean;
  /** Stream read for '-'. Default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Directory relative patterns are resolved against. Default process.cwd(). */
  cwd?: string;
  /**
   * Where rotation may move a followed file (logrotate's `olddir`): absolute, or relative to the
   * file's directory. At start-up a file read by the last run and gone from its path is looked
   * for here (and in its own directory) by inode, and read from the saved offset to its end.
   */
  rotatedDirs?: string[];
  /** Receive buffer asked for each udp:// source (SO_RCVBUF, capped by the kernel at net.core.rmem_max). Default 8 MiB. */
  udpReceiveBufferBytes?: number;
}

const READ_CHUNK_BYTES = 128 * 1024;
/**
 * Positions are saved this often, and only when they moved: after a kill -9 at most this much
 * of lines is read again. One save is one small JSON file written, flushed and renamed.
 */
const DEFAULT_STATE_SAVE_MS = 1000;
/** Longest stretch the work loop runs without letting the event loop serve others. */
const SLICE_MS = 5;
/** How long stop() goes on reading what was written before it was called. */
const STOP_READ_MS = 2000;

/**
 * Follows files and other sources for the daemon and hands every line to the processor exactly once.
 * Files found at start-up are read from their end (from their start with fromStart, or from
 * their saved position with stateDir); files that appear later are read from their start.
 * All file reading is serialised through one work loop, woken by file-system events and by a
 * timer, so followers never race each other.
 */
export class Tailer {
  private readonly opts: TailerOptions;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly rescanIntervalMs: number;
  private readonly ctx: FollowContext;
  private readonly streamCtx: StreamContext;
  private globs: Glob[] = [];
  private readonly followers = new Map<string, FileFollower>();
  private readonly streams = new Map<string, StreamSource>();
  private readonly fifoPaths = new Set<string>();
  private watcher: DirWatcher | undefined;
  private timers: NodeJS.Timeout[] = [];
  private errors = 0;
  private stateSaveFailures = 0;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private lastRescan = 0;
  /** When the work loop last gave the event loop a turn. */
  private sliceStart = 0;
  /** The directories the last rescan looked into: those the watcher watches. */
  private scannedDirs: ReadonlySet<string> = new Set();
  // Work loop: what the next pass has to do.
  private loop: Promise<void> | undefined;
  private again = false;
  private pollAll = false;
  private rescanWanted = false;
  private readonly dirty = new Set<string>();
  /** Work the loop runs before its next pass (setPatterns), so it never races a poll. */
  private readonly tasks: (() => Promise<void>)[] = [];
  private saving: Promise<void> = Promise.resolve();
  private saved: SavedState | undefined;
  private stopReadingAt = Infinity;
  /** The positions last written, to skip saves when nothing moved. */
  private lastSaved: string | undefined;
  private readonly ignoreRegex: RegExp | undefined;

  constructor(opts: TailerOptions) {
    this.opts = opts;
    // A /g or /y regex keeps state between test() calls; a copy without those flags does not.
    const ig = opts.ignoreFilenameRegex;
    this.ignoreRegex = ig && new RegExp(ig.source, ig.flags.replace(/[gy]/g, ''));
    this.logger = opts.logger ?? silentLogger;
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    this.rescanIntervalMs = opts.rescanIntervalMs ?? 4 * this.pollIntervalMs;
    const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const openFiles = new Map<string, OpenFile>();
    const tailer = this;
    this.ctx = {
      maxLineBytes,
      rotationGraceMs: opts.rotationGraceMs ?? 5000,
      readBuffer: Buffer.allocUnsafe(READ_CHUNK_BYTES),
      openFiles,
      get saved() {
        return tailer.saved;
      },
      get stopReadingAt() {
        return tailer.stopReadingAt;
      },
      logger: this.logger,
      processor: opts.processor,
      now: () => Date.now(),
    };
    this.streamCtx = { maxLineBytes, logger: this.logger, processor: opts.processor };
  }

  /**
   * Parses the patterns, opens listeners and stdin, finds the files and starts following.
   * Rejects on a pattern it cannot follow or a socket it cannot bind; file errors never reject.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('Tailer.start() called twice');
    this.state = 'running';
    const cwd = this.opts.cwd ?? process.cwd();
    try {
      for (const spec of this.opts.patterns.map((p) => parseSourcePattern(p, cwd))) {
        if (spec.kind === 'files') this.globs.push(spec.glob);
        else if (!this.streams.has(spec.name)) this.streams.set(spec.name, await this.openStream(spec));
      }
    } catch (err) {
      for (const s of this.streams.values()) await s.stop();
      this.streams.clear();
      this.state = 'stopped';
      throw err;
    }
    if (this.opts.stateDir !== undefined) {
      try {
        this.saved = await loadSavedState(this.opts.stateDir);
      } catch (err) {
        this.errors++;
        this.logger.log('error', 'tail.state_load_failed', { dir: this.opts.stateDir, error: String(err) });
      }
    }
    await this.rescan(true);
    if (this.saved) await this.recoverRotatedWhileStopped(this.saved);
    this.saved = undefined;
    if (this.opts.useFsEvents !== false && this.globs.length > 0) {
      this.startWatcher();
      // Files created between the first scan and the watches being set raised no event.
      this.rescanWanted = true;
    }
    if (this.state !== 'running') return; // stop() was called while we were starting
    this.timers.push(setInterval(() => this.requestPoll(), this.pollIntervalMs));
    this.requestPoll();
    if (this.opts.stateDir !== undefined) {
      this.timers.push(setInterval(() => void this.saveState(), this.opts.stateSaveIntervalMs ?? DEFAULT_STATE_SAVE_MS));
    }
  }

  private async openStream(spec: Exclude<SourceSpec, { kind: 'files' }>): Promise<StreamSource> {
    const source =
      spec.kind === 'stdin'
        ? new StdinSource(this.opts.stdin ?? process.stdin, this.streamCtx)
        : spec.kind === 'unix'
          ? new StreamSocketSource(spec.name, { path: spec.path }, this.streamCtx)
          : spec.kind === 'tcp'
            ? new StreamSocketSource(spec.name, { host: spec.host, port: spec.port }, this.streamCtx)
            : new UdpSource(spec.name, spec.host, spec.port, this.streamCtx, this.opts.udpReceiveBufferBytes);
    await source.start();
    return source;
  }

  /**
   * Follows `patterns` from now on instead of the ones given so far (a reloaded config file).
   * New sockets are bound first: a pattern that cannot be followed or a socket that cannot be
   * bound rejects and changes nothing. Sockets and stdin no longer named are closed, files no
   * glob matches any more are closed after what they hold is read, and files of new globs are
   * opened as at start-up (at their end, at their start with fromStart); files both old and new
   * patterns match are read on untouched.
   */
  async setPatterns(patterns: string[]): Promise<void> {
    if (this.state !== 'running') throw new Error('Tailer.setPatterns() on a tailer that is not running');
    const specs = patterns.map((p) => parseSourcePattern(p, this.opts.cwd ?? process.cwd()));
    const opened = new Map<string, StreamSource>();
    try {
      for (const spec of specs) {
        if (spec.kind !== 'files' && !this.streams.has(spec.name) && !opened.has(spec.name)) opened.set(spec.name, await this.openStream(spec));
      }
    } catch (err) {
      for (const s of opened.values()) await s.stop();
      throw err;
    }
    const globs = specs.flatMap((s) => (s.kind === 'files' ? [s.glob] : []));
    const streamNames = new Set(specs.flatMap((s) => (s.kind === 'files' ? [] : [s.name])));
    await new Promise<void>((resolve, reject) => {
      this.tasks.push(async () => {
        try {
          for (const [name, s] of opened) this.streams.set(name, s);
          for (const [name, s] of this.streams) {
            if (this.fifoPaths.has(name) || streamNames.has(name)) continue;
            await s.stop();
            this.streams.delete(name);
            this.logger.log('info', 'tail.source_released', { source: name });
          }
          const before = new Set(this.globs.map((g) => g.pattern));
          this.globs = globs;
          for (const [p, f] of this.followers) {
            if (globs.some((g) => matchGlob(g, p))) continue;
            await this.pollFollower(f);
            await f.close();
            this.followers.delete(p);
            this.logger.log('info', 'tail.file_released', { source: p });
          }
          await this.rescan(true, globs.filter((g) => !before.has(g.pattern)));
          if (!this.watcher && this.opts.useFsEvents !== false && globs.length > 0) this.startWatcher();
          this.rescanWanted = true;
          resolve();
        } catch (err) {
          reject(err as Error);
        }
      });
      this.kick();
    });
  }

  /** Reads what is left (for at most 2 s), saves positions, closes everything. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    // What is not read by then stays for the next run (its position is saved).
    this.stopReadingAt = Date.now() + STOP_READ_MS;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.watcher?.close();
    this.watcher = undefined;
    await this.loop;
    for (const f of this.followers.values()) await this.pollFollower(f);
    await this.saveState();
    for (const f of this.followers.values()) await f.close();
    for (const s of this.streams.values()) await s.stop();
    this.state = 'stopped';
  }

  /** A snapshot of the counters. */
  stats(): TailStats {
    const sources: TailStats['sources'] = {};
    for (const [name, f] of this.followers) sources[name] = { ...f.stats };
    for (const [name, s] of this.streams) {
      s.refreshStats?.();
      sources[name] = { ...s.stats };
    }
    return { sources, errors: this.errors, stateSaveFailures: this.stateSaveFailures };
  }

  /** Writes the read positions to stateDir now (no-op without stateDir or once stopped); failures are counted and logged. */
  async saveState(): Promise<void> {
    const dir = this.opts.stateDir;
    // Once stopped nothing is open: saving then would forget every position.
    if (dir === undefined || (this.state !== 'running' && this.state !== 'stopping')) return;
    const positions = [...this.followers.values()].flatMap((f) => f.positions());
    // Idle files: nothing moved since the last save, so nothing to write.
    const text = JSON.stringify(positions);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    const next = this.saving.then(() => savePositions(dir, positions));
    this.saving = next.catch((err) => {
      this.lastSaved = undefined; // try again next time
      this.errors++;
      this.stateSaveFailures++;
      this.logger.log('error', 'tail.state_save_failed', { dir, code: errorCode(err) });
    });
    await this.saving;
  }

  private requestPoll(file?: string): void {
    if (file === undefined) this.pollAll = true;
    else this.dirty.add(file);
    this.kick();
  }

  /**
   * An entry of a watched directory changed: a followed file is read (events of one file are
   * folded into the next pass of the work loop), a new match or directory on the way to one
   * makes the next pass rescan; anything else is ignored.
   */
  private onFsEvent(p: string): void {
    if (this.followers.has(p)) this.requestPoll(p);
    else if (this.isRelevant(p)) this.requestRescan();
  }

  private requestRescan(): void {
    this.rescanWanted = true;
    this.kick();
  }

  private kick(): void {
    if (this.state !== 'running') return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = (async () => {
      do {
        this.again = false;
        try {
          await this.runOnce();
        } catch (err) {
          this.errors++;
          this.logger.log('error', 'tail.loop_failed', { error: String(err) });
        }
      } while (this.again && this.state === 'running');
    })().finally(() => {
      this.loop = undefined;
      // A request may have come in after the last pass decided to finish.
      if (this.again) this.kick();
    });
  }

  private async runOnce(): Promise<void> {
    this.sliceStart = performance.now();
    for (let task = this.tasks.shift(); task !== undefined; task = this.tasks.shift()) await task();
    const all = this.pollAll;
    const dirty = [...this.dirty];
    this.pollAll = false;
    this.dirty.clear();
    // Existing followers first: a rotation they notice retires the old file, which a new
    // follower for the rotated name (when the glob matches it) then takes over with its offset.
    const targets = all ? [...this.followers.values()] : dirty.map((p) => this.followers.get(p));
    for (const f of targets) {
      if (!f) continue;
      await this.pollFollower(f);
      await this.yieldIfLong();
    }
    if (this.rescanWanted || Date.now() - this.lastRescan >= this.rescanIntervalMs) {
      this.rescanWanted = false;
      await this.rescan(false);
    }
    for (const [p, f] of this.followers) {
      if (f.released) {
        this.followers.delete(p);
        this.logger.log('info', 'tail.file_released', { source: p });
      }
    }
  }

  /**
   * Small appends are read without waiting for the thread pool, so a pass over many growing
   * files can run long without giving the event loop a turn: after SLICE_MS of it, let scrapes
   * and file events in before going on.
   */
  private async yieldIfLong(): Promise<void> {
    const now = performance.now();
    if (now - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }

  private async pollFollower(f: FileFollower, readData = true): Promise<void> {
    try {
      await f.poll(readData);
    } catch (err) {
      this.errors++;
      this.logger.log('error', 'tail.poll_failed', { source: f.path, code: errorCode(err) });
    }
  }

  /**
   * Re-evaluates the globs: new files get followers, FIFOs that vanished are closed. With
   * `only`, just those globs are expanded (new ones of setPatterns) and no FIFO is closed.
   */
  private async rescan(initial: boolean, only?: Glob[]): Promise<void> {
    if (only === undefined) this.lastRescan = Date.now();
    const fifos = new Set<string>();
    const added: FileFollower[] = [];
    const dirs = new Set<string>();
    for (const glob of only ?? this.globs) {
      let matches;
      try {
        matches = await expandGlob(glob, dirs);
      } catch (err) {
        this.errors++;
        this.logger.log('warn', 'tail.glob_failed', { pattern: glob.pattern, code: errorCode(err) });
        continue;
      }
      for (const m of matches) {
        if (this.ignoreRegex?.test(path.basename(m.path))) continue;
        if (m.kind === 'fifo') {
          fifos.add(m.path);
          if (!this.streams.has(m.path)) {
            const fifo = new FifoSource(m.path, this.streamCtx);
            this.streams.set(m.path, fifo);
            this.fifoPaths.add(m.path);
            await fifo.start();
          }
        } else if (!this.followers.has(m.path)) {
          const startAt = initial && !this.opts.fromStart ? 'end' : 'start';
          const f = new FileFollower(m.path, startAt, initial, this.ctx);
          this.followers.set(m.path, f);
          added.push(f);
        }
      }
    }
    for (const p of this.fifoPaths) {
      if (fifos.has(p) || only !== undefined) continue;
      await this.streams.get(p)?.stop();
      this.streams.delete(p);
      this.fifoPaths.delete(p);
      this.logger.log('info', 'tail.fifo_released', { source: p });
    }
    // New files are opened all at once (each open waits for the thread pool: one after the
    // other, 250 new files took seconds), then read one after the other (reads share a buffer).
    // At start-up files are only opened (fixing where each starts); start() returns and the
    // work loop reads them, so a large backlog does not hold up the caller.
    await Promise.all(added.map((f) => this.pollFollower(f, false)));
    if (!initial) {
      for (const f of added) {
        await this.pollFollower(f);
        await this.yieldIfLong();
      }
    }
    // A rescan of some globs only (setPatterns) adds their directories; the next full one settles the set.
    this.scannedDirs = only === undefined ? dirs : new Set([...this.scannedDirs, ...dirs]);
    this.watcher?.update(this.scannedDirs);
  }

  /**
   * A file we were reading may have been renamed or moved while we were stopped (rotation) and
   * still hold lines written after we stopped: find it in its old directory or a rotated
   * directory and read it to its end, under the name it had, alongside whatever file now has that name.
   */
  private async recoverRotatedWhileStopped(saved: SavedState): Promise<void> {
    for (const entry of unusedPositions(saved, this.ctx)) {
      if (!this.globs.some((g) => matchGlob(g, entry.path))) continue;
      const follower = this.followers.get(entry.path) ?? new FileFollower(entry.path, 'start', false, this.ctx);
      const of = await openRotatedFile(entry, rotationDirs(entry.path, this.opts.rotatedDirs), follower, this.ctx);
      if (!of) {
        this.logger.log('warn', 'tail.file_not_recovered', { source: entry.path, offset: entry.offset, note: 'the file read by the last run is gone from its path and was not found by inode in its directory or a --rotated-dir; lines written to it after the last run stopped are not read' });
        continue;
      }
      this.followers.set(entry.path, follower);
      follower.adoptRetired(of);
      this.logger.log('info', 'tail.file_recovered', { source: entry.path, offset: entry.offset });
    }
  }

  /** Watches the directories the last rescan looked into (and, from then on, those of each rescan). */
  private startWatcher(): void {
    this.watcher = new DirWatcher((p) => this.onFsEvent(p), this.logger);
    this.watcher.update(this.scannedDirs);
  }

  /** Whether p can matter: a match of some glob, or a directory on the way to one. */
  private isRelevant(p: string): boolean {
    return this.globs.some((g) => p === g.base || matchGlob(g, p) || mayContainMatch(g, p));
  }
}

