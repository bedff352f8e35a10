import type { Logger } from '../log/index.js';

/** Error code of a Node system error ("ENOENT"), or the message when there is none. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Counts and logs I/O errors of one source by episode: the same failure repeating on every
 * poll is counted and logged once, until an operation succeeds again.
 */
export class ErrorEpisodes {
  private last: string | undefined;

  constructor(
    private readonly counters: { errors: number },
    private readonly logger: Logger,
    private readonly source: string,
  ) {}

  /** Records a failed operation. */
  fail(op: string, err: unknown): void {
    const key = `${op}:${errorCode(err)}`;
    if (key === this.last) return;
    this.last = key;
    this.counters.errors++;
    this.logger.log('warn', 'tail.io_error', { source: this.source, op, code: errorCode(err) });
  }

  /** Records that the source works again. */
  clear(): void {
    this.last = undefined;
  }
}
