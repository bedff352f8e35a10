import type { Datum } from './datum.js';

// `limit N` drops the datum with the oldest time, the first inserted among equals. Scanning
// every datum for it made each new series beyond the limit cost O(N): 29 µs at limit 10,000,
// so a flood of unique Host values slowed haproxy.mtail thirtyfold. This heap finds it in
// O(log N) without a hook on every update: an entry's key is a lower bound of its datum's
// time. Times that rise (nearly every update) leave the bound true and are found when the
// entry comes to the top, where it is pushed again with the new time; a time that falls
// (an older log timestamp than the datum had) is told by Datum's time setter, and pushed.

/** The datums of one metric, oldest time first; built when the metric first reaches its limit. */
export class OldestFirst {
  private datums: Datum[] = [];
  private keys: number[] = [];
  private orders: number[] = [];

  /** `all`: the metric's live datums, whose entries a rebuild starts from. */
  constructor(private readonly all: ReadonlySet<Datum>) {
    this.rebuild();
  }

  /** Entries held, stale ones included (for tests: the heap stays within a bound). */
  get entries(): number {
    return this.datums.length;
  }

  /** Adds `d`, a datum that entered the metric, with its time now. */
  add(d: Datum): void {
    d.ages = this;
    this.push(d, d.time, d.order);
  }

  /** `d`'s time is about to fall to `time`: its entries may no longer bound it. */
  lowered(d: Datum, time: number): void {
    this.push(d, time, d.order);
  }

  /** The live datum with the oldest time (first inserted among equals), or undefined when there is none. */
  oldest(): Datum | undefined {
    for (let rebuilt = false; ; ) {
      while (this.datums.length > 0) {
        const d = this.datums[0]!;
        const key = this.keys[0]!;
        if (!d.live || d.ages !== this || d.order !== this.orders[0]) {
          this.popTop(); // deleted, or entered again since: stale
        } else if (d.time === key) {
          return d;
        } else if (d.time > key) {
          this.keys[0] = d.time; // it was updated since: its place is further down
          this.siftDown(0);
        } else {
          this.popTop(); // its time fell, and the entry pushed then bounds it
        }
      }
      // Every live datum has an entry, so this is reached only when none is left; rebuild
      // once rather than trust that (a time that is not a number compares false both ways).
      if (rebuilt || this.all.size === 0) return undefined;
      this.rebuild();
      rebuilt = true;
    }
  }

  private push(d: Datum, key: number, order: number): void {
    // Stale entries (deleted datums, superseded keys) are dropped in bulk.
    // The entry is pushed even so: a lowered time is not yet the datum's.
    if (this.datums.length >= 2 * this.all.size + 64) this.rebuild();
    let i = this.datums.length;
    this.datums.push(d);
    this.keys.push(key);
    this.orders.push(order);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private rebuild(): void {
    const datums: Datum[] = [];
    const keys: number[] = [];
    const orders: number[] = [];
    for (const d of this.all) {
      d.ages = this;
      datums.push(d);
      keys.push(d.time);
      orders.push(d.order);
    }
    this.datums = datums;
    this.keys = keys;
    this.orders = orders;
    for (let i = (datums.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private popTop(): void {
    const last = this.datums.length - 1;
    this.swap(0, last);
    this.datums.pop();
    this.keys.pop();
    this.orders.pop();
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const n = this.datums.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.before(right, left) ? right : left;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private before(i: number, j: number): boolean {
    const a = this.keys[i]!;
    const b = this.keys[j]!;
    return a < b || (a === b && this.orders[i]! < this.orders[j]!);
  }

  private swap(i: number, j: number): void {
    const d = this.datums[i]!;
    this.datums[i] = this.datums[j]!;
    this.datums[j] = d;
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
    const o = this.orders[i]!;
    this.orders[i] = this.orders[j]!;
    this.orders[j] = o;
  }
}
