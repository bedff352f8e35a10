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
 * Finds a saved file that was renamed within its directory while we were stopped (a rotation),
 * by its inode, and opens it at the saved offset if its first bytes still match. The caller
 * reads it to its end: it may hold lines written after the last run stopped.
 */
export async function openRotatedFile(entry: SavedPosition, owner: FileFollower, ctx: FollowContext): Promise<OpenFile | undefined> {
  const dir = path.dirname(entry.path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    let st;
    try {
      st = await stat(p, { bigint: true });
    } catch {
      continue;
    }
    if (!st.isFile() || fileKey(st.dev, st.ino) !== `${entry.dev}:${entry.ino}`) continue;
    if (Number(st.size) < entry.offset) return undefined;
    let fh;
    try {
      fh = await open(p, 'r');
    } catch {
      return undefined;
    }
    try {
      const head = Buffer.alloc(Math.min(Number(st.size), HEAD_BYTES));
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      if (bytesRead < entry.headLength || sha256(head.subarray(0, entry.headLength)) !== entry.headSha256) {
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
  return undefined;
}
