// bcrypt off the main thread: one worker thread runs the checks, one at a time, so a flood
// of wrong passwords costs at most one core and never stalls scrapes, /healthz or the lines
// being matched. bcryptjs is pure JavaScript (no native build); in the main thread a check
// at cost 12 held everything for a quarter of a second.

import { createRequire as requireFrom } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker is a script, so the bundle needs no second entry; it loads bcryptjs by the
// absolute path resolved here, whatever the working directory.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try {
    ok = bcrypt.compareSync(password, hash);
  } catch {
    ok = false;
  }
  parentPort.postMessage({ id, ok });
});
`;

/** Compares passwords with bcrypt hashes in a worker thread; close() ends it at once. */
export class BcryptWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, (ok: boolean) => void>();
  private closed = false;

  /** Whether `password` matches `hash`; false when the worker is gone. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, password, hash });
    });
  }

  /** Stops the worker, even in the middle of a check (which then answers false). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll();
    if (worker !== undefined) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const bcrypt = requireFrom(import.meta.url).resolve('bcryptjs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcrypt } });
    // An idle worker must not keep the process alive.
    worker.unref();
    worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      const resolve = this.waiting.get(id);
      this.waiting.delete(id);
      resolve?.(ok);
    });
    const lost = () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }

  private failAll(): void {
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
  }
}
