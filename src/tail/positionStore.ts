import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Bytes at the start of a file that identify it across restarts. */
export const HEAD_BYTES = 1024;

/** Where reading of one file stopped. */
export interface SavedPosition {
  /** The path the file was followed as. */
  path: string;
  /** Device and inode, as decimal strings (they can exceed 2^53). */
  dev: string;
  ino: string;
  /** Offset of the first byte not yet handed out as part of a complete line. */
  offset: number;
  /** Length and SHA-256 (hex) of the first up to HEAD_BYTES bytes, seen when the offset was saved. */
  headLength: number;
  headSha256: string;
}

interface StateFile {
  version: 1;
  savedAt: string;
  files: SavedPosition[];
}

const STATE_FILE = 'tail-positions.json';

/** SHA-256 (hex) of a buffer. */
export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Reads the saved positions; a missing file is an empty list, a damaged one an error. */
export async function loadPositions(stateDir: string): Promise<SavedPosition[]> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StateFile>;
  if (parsed.version !== 1 || !Array.isArray(parsed.files)) {
    throw new Error(`${path.join(stateDir, STATE_FILE)}: not a version 1 position file`);
  }
  return parsed.files.filter(isSavedPosition);
}

/** Writes positions atomically: a temporary file in the same directory, then rename over the old one. */
export async function savePositions(stateDir: string, files: SavedPosition[]): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const target = path.join(stateDir, STATE_FILE);
  const tmp = `${target}.tmp-${process.pid}`;
  const body: StateFile = { version: 1, savedAt: new Date().toISOString(), files };
  try {
    await writeFile(tmp, JSON.stringify(body, null, 1) + '\n', { flush: true });
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function isSavedPosition(x: unknown): x is SavedPosition {
  const p = x as SavedPosition;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.path === 'string' &&
    typeof p.dev === 'string' &&
    typeof p.ino === 'string' &&
    Number.isSafeInteger(p.offset) &&
    p.offset >= 0 &&
    Number.isSafeInteger(p.headLength) &&
    typeof p.headSha256 === 'string'
  );
}
