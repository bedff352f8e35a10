import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/index.js';
import { errorCode } from './logger.js';

/**
 * File-system events (inotify on Linux) for the directories that may hold followed files: one
 * watch per directory, not per file, so 500 files in one directory cost one watch and an event
 * names the file that changed. What a watch cannot see (a file system without events, a watch
 * limit reached, a directory that appears later) the Tailer's polling and rescans still find.
 */
export class DirWatcher {
  private readonly watches = new Map<string, FSWatcher>();
  private limitLogged = false;

  constructor(
    /** Called with the absolute path of an entry that was created, changed, renamed or removed. */
    private readonly onEvent: (p: string) => void,
    private readonly logger: Logger,
  ) {}

  /** Watches exactly these directories from now on: new ones are added, others closed. */
  update(dirs: ReadonlySet<string>): void {
    for (const [d, w] of this.watches) {
      if (dirs.has(d)) continue;
      w.close();
      this.watches.delete(d);
    }
    for (const d of dirs) if (!this.watches.has(d)) this.add(d);
  }

  /** Number of directories watched. */
  get size(): number {
    return this.watches.size;
  }

  close(): void {
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }

  private add(dir: string): void {
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_event, name) => {
        // Without a name (rare; some platforms) the directory itself is reported: rescan it.
        this.onEvent(name ? path.join(dir, name.toString()) : dir);
      });
    } catch (err) {
      this.failed(dir, err);
      return;
    }
    w.on('error', (err) => {
      // The directory went away (or cannot be watched any more): a later rescan watches it again if it returns.
      w.close();
      if (this.watches.get(dir) === w) this.watches.delete(dir);
      this.onEvent(dir);
      if (errorCode(err) !== 'ENOENT' && errorCode(err) !== 'EPERM') this.failed(dir, err);
    });
    this.watches.set(dir, w);
  }

  private failed(dir: string, err: unknown): void {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // gone already; polling covers it
    if (code === 'ENOSPC' || code === 'EMFILE') {
      // The inotify watch (or instance) limit: say so once, polling still finds every change.
      if (this.limitLogged) return;
      this.limitLogged = true;
      this.logger.log('warn', 'tail.watch_limit', {
        dir,
        code,
        note: 'no more inotify watches (fs.inotify.max_user_watches / max_user_instances); directories beyond are polled every --poll-interval',
      });
      return;
    }
    this.logger.log('warn', 'tail.watch_error', { dir, code });
  }
}
