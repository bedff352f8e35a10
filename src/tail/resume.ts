import type { BigIntStats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileKey, OpenFile, type FileFollower, type FollowContext, type SavedState } from './fileFollower.js';
import { HEAD_BYTES, loadPositions, sha256, type SavedPosition } from './positionStore.js';

/** Reads the positions saved by the last run, indexed for the followers' first opens. */
export async function loadSavedState(stateDir: string): Promise<SavedState> {
  const files = await loadPositions(stateDir);
  const byKey = new Map<string, SavedPosition>();
  for (const p of files) byKey.set(`${p.dev}:${p.ino}`, p);
  return { byKey, paths: new Set(files.map((p) => p.path)), used: new Set() };
}

/** Saved positions no follower took up: files that are no longer where the last run saw them. */
export function unusedPositions(saved: SavedState, ctx: FollowContext): SavedPosition[] {
  return [...saved.byKey.entries()]
    .filter(([key]) => !saved.used.has(key) && !ctx.openFiles.has(key))
    .map(([, entry]) => entry);
}

/**
 * The directories a file followed as `file` may have been moved to while we were stopped: its own
 * (a rename like app.log → app.log.1) and each rotated directory, absolute or relative to the
 * file's directory (as logrotate's `olddir`). Duplicates are left out.
 */
export function rotationDirs(file: string, rotatedDirs: readonly string[] = []): string[] {
  const own = path.dirname(file);
  return [...new Set([own, ...rotatedDirs.map((d) => path.resolve(own, d))])];
}

/**
 * Finds a saved file that was renamed or moved while we were stopped (a rotation), by its
 * inode, in the given directories (not their subdirectories), and opens it at the saved offset
 * if its first bytes still match. The caller reads it to its end: it may hold lines written
 * after the last run stopped.
 */
export async function openRotatedFile(entry: SavedPosition, dirs: readonly string[], owner: FileFollower, ctx: FollowContext): Promise<OpenFile | undefined> {
  for (const dir of dirs) {
    const found = await findByInode(dir, entry);
    if (found) return openAtSaved(found.path, found.st, entry, owner, ctx);
  }
  return undefined;
}

/** The regular file in dir (not below it) with the saved device and inode. */
async function findByInode(dir: string, entry: SavedPosition): Promise<{ path: string; st: BigIntStats } | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const want = `${entry.dev}:${entry.ino}`;
  for (const name of names) {
    const p = path.join(dir, name);
    let st;
    try {
      st = await stat(p, { bigint: true });
    } catch {
      continue;
    }
    if (st.isFile() && fileKey(st.dev, st.ino) === want) return { path: p, st };
  }
  return undefined;
}

async function openAtSaved(p: string, st: BigIntStats, entry: SavedPosition, owner: FileFollower, ctx: FollowContext): Promise<OpenFile | undefined> {
  if (Number(st.size) < entry.offset) return undefined;
  let fh;
  try {
    fh = await open(p, 'r');
  } catch {
    return undefined;
  }
  try {
    const fst = await fh.stat({ bigint: true });
    const head = Buffer.alloc(Math.min(Number(fst.size), HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (fst.ino !== st.ino || fst.dev !== st.dev || bytesRead < entry.headLength || sha256(head.subarray(0, entry.headLength)) !== entry.headSha256) {
      await fh.close();
      return undefined;
    }
    const of = new OpenFile(fh, st.dev, st.ino, owner, ctx);
    of.pos = entry.offset;
    of.head = head.subarray(0, bytesRead);
    return of;
  } catch {
    await fh.close().catch(() => undefined);
    return undefined;
  }
}
