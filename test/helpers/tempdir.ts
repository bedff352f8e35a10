// The one temp-dir helper of the tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The part of tap's Test the helpers use (teardown registration). */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * A fresh directory under os.tmpdir(), removed when the test ends. Its path is resolved
 * (os.tmpdir() may be a link), so it equals the paths the code under test reports.
 */
export function tempDir(t: Teardown, prefix = 'logmetrics-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
