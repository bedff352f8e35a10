// HTTP basic authentication against bcrypt hashes from the web config.
// bcrypt is slow on purpose (tens of milliseconds per check at cost 10, a second at 14, more
// in pure JS) and Prometheus sends the same credentials every few seconds, so a successful
// check is remembered for a while, as Prometheus' exporter-toolkit does: keyed by a keyed
// digest of user, hash and password, compared in constant time. Unknown users are checked
// against a decoy hash of the configured cost, so timing does not tell which user names
// exist. Checks run in a worker thread (bcryptworker.ts), one at a time, and a bounded
// number may wait: beyond that an attempt is answered "busy" at once (HTTP 429), so a flood
// of wrong passwords costs one core at most, cannot queue without limit, and remembered
// credentials skip the queue entirely.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { BcryptWorker } from './bcryptworker.js';

/** Options of BasicAuth; the defaults suit a daemon. */
export interface BasicAuthOptions {
  /** How long a successful check is remembered (default 60 s). */
  cacheMs?: number;
  /** Most checks waiting for bcrypt before further attempts are answered "busy" (default 16). */
  maxPending?: number;
  now?: () => number;
  /** The bcrypt comparison (default: in a worker thread). */
  compare?: (password: string, hash: string) => Promise<boolean>;
}

/** The outcome of a check: let in, refused, or not checked because too many checks wait. */
export type Verdict = 'ok' | 'denied' | 'busy';

interface Remembered {
  digest: Buffer;
  until: number;
}

/** The cost (log2 rounds) of a bcrypt hash. */
export function bcryptCost(hash: string): number {
  return Number(hash.slice(4, 6));
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A well-formed hash of the given cost that no password matches (a real salt, a random
 * digest): comparing with it costs what comparing with a real hash of that cost costs,
 * without spending that cost here to make it.
 */
export function decoyHash(cost: number): string {
  const salt = bcrypt.genSaltSync(cost);
  const digest = Array.from(randomBytes(31), (b) => BCRYPT_ALPHABET[b % 64]).join('');
  return salt + digest;
}

/** Checks `Authorization: Basic` headers against user → bcrypt hash. */
export class BasicAuth {
  private readonly key = randomBytes(32);
  private readonly remembered = new Map<string, Remembered>();
  private readonly inFlight = new Map<string, Promise<Verdict>>();
  private pending = 0;
  private readonly cacheMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;
  private readonly worker: BcryptWorker | undefined;
  private readonly compare: (password: string, hash: string) => Promise<boolean>;
  /** Checked for unknown users: the cost of the configured hashes (the highest when they differ). */
  private readonly decoy: string;

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    opts: BasicAuthOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 60_000;
    this.maxPending = opts.maxPending ?? 16;
    this.now = opts.now ?? Date.now;
    if (opts.compare !== undefined) this.compare = opts.compare;
    else {
      const worker = new BcryptWorker();
      this.worker = worker;
      this.compare = (password, hash) => worker.compare(password, hash);
    }
    this.decoy = decoyHash(Math.max(4, ...[...users.values()].map(bcryptCost)));
  }

  /** Whether `header` (the Authorization header) names a configured user with the right password. */
  async check(header: string | undefined): Promise<Verdict> {
    const credentials = parseBasic(header);
    if (credentials === undefined) return 'denied';
    const { user, password } = credentials;
    const hash = this.users.get(user);
    const digest = this.digest(user, hash ?? '', password);
    const hit = this.remembered.get(user);
    if (hit !== undefined) {
      if (hit.until > this.now() && timingSafeEqual(hit.digest, digest)) return 'ok';
      if (hit.until <= this.now()) this.remembered.delete(user);
    }
    // Concurrent requests with the same credentials (parallel scrapes) share one check.
    const id = digest.toString('base64');
    let verdict = this.inFlight.get(id);
    if (verdict === undefined) {
      if (this.pending >= this.maxPending) return 'busy';
      verdict = this.verify(user, hash, password, digest).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, verdict);
    }
    return verdict;
  }

  /** Ends the worker thread; checks waiting for it answer "denied". */
  close(): Promise<void> {
    return this.worker?.close() ?? Promise.resolve();
  }

  private async verify(user: string, hash: string | undefined, password: string, digest: Buffer): Promise<Verdict> {
    this.pending++;
    let ok: boolean;
    try {
      ok = (await this.compare(password, hash ?? this.decoy)) && hash !== undefined;
    } catch {
      ok = false;
    } finally {
      this.pending--;
    }
    if (ok) this.remembered.set(user, { digest, until: this.now() + this.cacheMs });
    return ok ? 'ok' : 'denied';
  }

  /** A keyed digest of the credentials and the hash they were checked against: fixed length for timingSafeEqual, useless outside this process. */
  private digest(user: string, hash: string, password: string): Buffer {
    return createHmac('sha256', this.key).update(user).update('\0').update(hash).update('\0').update(password).digest();
  }
}

/** User and password of a `Basic` Authorization header, or undefined when it is not one. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
