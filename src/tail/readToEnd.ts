import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineSplitter } from './lineSplitter.js';
import { type Logger, silentLogger } from '../log/index.js';
import { errorCode } from './logger.js';
import type { LineProcessor } from './processor.js';
import type { ReadStats } from './stats.js';

/** Options of readToEnd. */
export interface ReadToEndOptions {
  maxLineBytes: number;
  /** Read size; default 128 KiB. */
  chunkBytes?: number;
  /** Stop after this many bytes of a file (threads of one run then all read the same lines). */
  limitBytes?: number;
  /**
   * Read regular files with blocking reads: for a run that does nothing else meanwhile, a read
   * from the page cache costs less than the thread-pool round trip of an asynchronous one.
   */
  blocking?: boolean;
  /** Stream read for '-' (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  logger?: Logger;
}

const DEFAULT_CHUNK_BYTES = 128 * 1024;

/**
 * Reads a whole file, FIFO or stdin ('-') from start to end in fixed-size chunks, handing each
 * line to the processor; a final line without a newline is handed out too. Rejects when the source
 * cannot be opened; an error in the middle of reading is counted and logged, and what was read
 * so far stays delivered. Lines carry the absolute path (or "-"), as mtail's getfilename() does.
 */
export async function readToEnd(file: string, processor: LineProcessor, opts: ReadToEndOptions): Promise<ReadStats> {
  const logger = opts.logger ?? silentLogger;
  const stats: ReadStats = { lines: 0, bytes: 0, longLinesCut: 0, errors: 0 };
  const name = file === '-' ? '-' : path.resolve(file);
  const splitter = new LineSplitter({
    maxLineBytes: opts.maxLineBytes,
    onLine: (line) => {
      stats.lines++;
      processor.processLine(line, name);
    },
    onLongLine: () => stats.longLinesCut++,
  });
  try {
    if (file === '-') await pumpStream(opts.stdin ?? process.stdin, splitter, stats);
    else if (opts.blocking && isRegularFile(name)) pumpFileBlocking(name, splitter, stats, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES, opts.limitBytes ?? Infinity);
    else await pumpFile(name, splitter, stats, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES, opts.limitBytes ?? Infinity);
  } catch (err) {
    if (err instanceof OpenError) throw err.cause;
    stats.errors++;
    logger.log('error', 'tail.read_error', { source: name, code: errorCode(err), bytesRead: stats.bytes });
  }
  splitter.end();
  return stats;
}

/** Marks a failure to open, which readToEnd reports by rejecting. */
class OpenError extends Error {}

async function pumpFile(name: string, splitter: LineSplitter, stats: ReadStats, chunkBytes: number, limitBytes: number): Promise<void> {
  let fh;
  try {
    // Loaded here, not at start-up: node:fs/promises brings the stream modules along.
    const { open } = await import('node:fs/promises');
    fh = await open(name, 'r');
  } catch (err) {
    throw new OpenError('open', { cause: err });
  }
  try {
    // Two buffers: the next read runs in the thread pool while this chunk's lines are processed,
    // so the main thread does not sit idle waiting for each read.
    let buf = Buffer.allocUnsafe(chunkBytes);
    let spare = Buffer.allocUnsafe(chunkBytes);
    // position null reads on from the current offset, which works for FIFOs and devices too.
    let left = limitBytes;
    const next = (into: Buffer) => fh.read(into, 0, Math.min(into.length, left), null);
    let reading = next(buf);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      left -= bytesRead;
      const chunk = buf;
      reading = left > 0 ? next(spare) : Promise.resolve({ bytesRead: 0, buffer: spare });
      stats.bytes += bytesRead;
      splitter.push(chunk.subarray(0, bytesRead));
      buf = spare;
      spare = chunk;
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function isRegularFile(name: string): boolean {
  try {
    return statSync(name).isFile();
  } catch {
    return false; // the asynchronous path reports it
  }
}

function pumpFileBlocking(name: string, splitter: LineSplitter, stats: ReadStats, chunkBytes: number, limitBytes: number): void {
  let fd: number;
  try {
    fd = openSync(name, 'r');
  } catch (err) {
    throw new OpenError('open', { cause: err });
  }
  try {
    // One buffer is enough: the splitter copies what it keeps of a chunk (an unfinished line).
    const buf = Buffer.allocUnsafe(chunkBytes);
    let left = limitBytes;
    while (left > 0) {
      const bytesRead = readSync(fd, buf, 0, Math.min(buf.length, left), null);
      if (bytesRead === 0) break;
      left -= bytesRead;
      stats.bytes += bytesRead;
      splitter.push(buf.subarray(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
}

async function pumpStream(stream: NodeJS.ReadableStream, splitter: LineSplitter, stats: ReadStats): Promise<void> {
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    stats.bytes += buf.length;
    splitter.push(buf);
  }
}
