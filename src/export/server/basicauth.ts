// HTTP basic authentication against bcrypt hashes from the web config.
// bcrypt is slow on purpose (tens of milliseconds per check, more in pure JS)
// and Prometheus sends the same credentials every few seconds, so a successful
// check is remembered for a while: as a keyed digest of the password, compared
// in constant time. Unknown users are checked against a decoy hash so that
// timing does not tell which user names exist. Checks run one at a time, and a
// bounded number may wait, so a flood of wrong passwords costs one core at most
// and cannot queue without limit; remembered credentials skip the queue.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Options of BasicAuth; the defaults suit a daemon. */
export interface BasicAuthOptions {
  /** How long a successful check is remembered (default 60 s). */
  cacheMs?: number;
  /** Most checks waiting for bcrypt before further attempts are refused outright (default 32). */
  maxPending?: number;
  now?: () => number;
}

// bcrypt (cost 10) of a random string nobody knows; checked for unknown users.
const DECOY_HASH = '$2b$10$aNt1WuURIOqfGy1Tjb2YMOCR67PezuW8quiPBRPYt5odspFdqqiJi';

interface Remembered {
  digest: Buffer;
  until: number;
}

/** Checks `Authorization: Basic` headers against user → bcrypt hash. */
export class BasicAuth {
  private readonly key = randomBytes(32);
  private readonly remembered = new Map<string, Remembered>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly cacheMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    opts: BasicAuthOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 60_000;
    this.maxPending = opts.maxPending ?? 32;
    this.now = opts.now ?? Date.now;
  }

  /** Whether `header` (the Authorization header) names a configured user with the right password. */
  async check(header: string | undefined): Promise<boolean> {
    const credentials = parseBasic(header);
    if (credentials === undefined) return false;
    const { user, password } = credentials;
    const digest = this.digest(user, password);
    const hit = this.remembered.get(user);
    if (hit !== undefined) {
      if (hit.until > this.now() && timingSafeEqual(hit.digest, digest)) return true;
      if (hit.until <= this.now()) this.remembered.delete(user);
    }
    // Concurrent requests with the same credentials (parallel scrapes) share one check.
    const id = digest.toString('base64');
    let verdict = this.inFlight.get(id);
    if (verdict === undefined) {
      if (this.pending >= this.maxPending) return false;
      verdict = this.verify(user, password, digest).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, verdict);
    }
    return verdict;
  }

  private async verify(user: string, password: string, digest: Buffer): Promise<boolean> {
    const hash = this.users.get(user);
    this.pending++;
    const run = this.queue.then(() => bcrypt.compare(password, hash ?? DECOY_HASH));
    this.queue = run.catch(() => false);
    let ok: boolean;
    try {
      ok = (await run) && hash !== undefined;
    } catch {
      ok = false;
    } finally {
      this.pending--;
    }
    if (ok) this.remembered.set(user, { digest, until: this.now() + this.cacheMs });
    return ok;
  }

  /** A keyed digest of the credentials: fixed length for timingSafeEqual, useless outside this process. */
  private digest(user: string, password: string): Buffer {
    return createHmac('sha256', this.key).update(user).update('\0').update(password).digest();
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
