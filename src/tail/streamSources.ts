import fs from 'node:fs';
import net from 'node:net';
import { LineSplitter } from './lineSplitter.js';
import type { Logger } from '../log/index.js';
import { ErrorEpisodes } from './logger.js';
import type { LineProcessor } from './processor.js';
import { newSourceStats, type SourceKind, type SourceStats } from './stats.js';

/** What a non-file source needs from the Tailer. */
export interface StreamContext {
  readonly maxLineBytes: number;
  readonly logger: Logger;
  readonly processor: LineProcessor;
}

/** A source that pushes data to us (FIFO, stdin, sockets) rather than being polled. */
export interface StreamSource {
  /** The name its lines carry. */
  readonly name: string;
  readonly stats: SourceStats;
  start(): Promise<void>;
  /** Stops reading; an unfinished last line is handed out (it cannot be read again later). */
  stop(): Promise<void>;
  /** Brings counters kept outside the process (the kernel's) up to date before a snapshot. */
  refreshStats?(): void;
}

/** Builds the splitter of one byte stream that delivers to the processor under the source's name. */
export function streamSplitter(ctx: StreamContext, name: string, stats: SourceStats): LineSplitter {
  return new LineSplitter({
    maxLineBytes: ctx.maxLineBytes,
    onLine: (line) => {
      stats.lines++;
      ctx.processor.processLine(line, name);
    },
    onLongLine: () => stats.longLinesCut++,
  });
}

/** Base of sources that read one byte stream. */
abstract class ByteStreamSource implements StreamSource {
  readonly stats: SourceStats;
  protected readonly errors: ErrorEpisodes;
  protected readonly splitter: LineSplitter;

  constructor(
    readonly name: string,
    kind: SourceKind,
    protected readonly ctx: StreamContext,
  ) {
    this.stats = newSourceStats(kind);
    this.errors = new ErrorEpisodes(this.stats, ctx.logger, name);
    this.splitter = streamSplitter(ctx, name, this.stats);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  protected onData(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.stats.bytes += buf.length;
    this.stats.lastReadAt = Date.now();
    this.splitter.push(buf);
  }
}

/**
 * A named pipe, followed for as long as the daemon runs. It is opened read-write and
 * non-blocking: opening does not wait for a writer (and ties up no libuv thread), and because we
 * count as a writer ourselves, writers may come and go without the pipe ever reaching EOF.
 */
export class FifoSource extends ByteStreamSource {
  private socket: net.Socket | undefined;

  constructor(readonly path: string, ctx: StreamContext) {
    super(path, 'fifo', ctx);
  }

  async start(): Promise<void> {
    let fd: number;
    try {
      fd = await new Promise<number>((resolve, reject) =>
        fs.open(this.path, fs.constants.O_RDWR | fs.constants.O_NONBLOCK, (err, n) => (err ? reject(err) : resolve(n))),
      );
    } catch (err) {
      this.errors.fail('open', err);
      return;
    }
    const socket = new net.Socket({ fd, readable: true, writable: false });
    this.socket = socket;
    this.stats.open = true;
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.errors.fail('read', err));
    socket.on('close', () => {
      this.stats.open = false;
    });
    this.ctx.logger.log('info', 'tail.fifo_opened', { source: this.path });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners('data');
      socket.destroy();
    }
    this.splitter.end();
    this.stats.open = false;
  }
}

/** Standard input ('-'): read until it ends; a final line without a newline is handed out. */
export class StdinSource extends ByteStreamSource {
  private readonly listeners: { data: (c: Buffer | string) => void; end: () => void; error: (e: Error) => void };
  private ended = false;

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    ctx: StreamContext,
  ) {
    super('-', 'stdin', ctx);
    this.listeners = {
      data: (c) => this.onData(c),
      end: () => this.finish(),
      error: (e) => this.errors.fail('read', e),
    };
  }

  async start(): Promise<void> {
    this.stats.open = true;
    this.stream.on('data', this.listeners.data);
    this.stream.on('end', this.listeners.end);
    this.stream.on('error', this.listeners.error);
    this.stream.resume();
  }

  async stop(): Promise<void> {
    this.stream.removeListener('data', this.listeners.data);
    this.stream.removeListener('end', this.listeners.end);
    this.stream.removeListener('error', this.listeners.error);
    this.stream.pause();
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.splitter.end();
    this.stats.open = false;
    this.ctx.logger.log('info', 'tail.stdin_ended', { source: '-' });
  }
}
