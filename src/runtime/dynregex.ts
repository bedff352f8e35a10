// The regexes of `=~` and `!~` whose right-hand side is only known when a line
// runs (`$path =~ $prefix`, `$b =~ "^" + $a`). Each distinct string is validated
// and translated by the one regex front end (src/regex/) exactly as a literal is,
// so the same engine choice, backtrack limit and re2 twin for long subjects
// apply, then kept in a bounded cache: a log that puts a new string in every
// line costs a compilation per line, never unbounded memory.

import { compileMatcher, LONG_SUBJECT, type Matcher } from '../regex/index.js';
import { detach } from '../metrics/detach.js';

/** Distinct strings kept per program, least recently used evicted first. */
export const DYNAMIC_REGEX_CACHE_SIZE = 1000;

/**
 * Of those, how many may hold an re2 object (a pattern V8 cannot run in linear time, or one
 * used on a subject longer than LONG_SUBJECT, which gets its re2 twin). An re2 object keeps
 * its DFA state cache (measured: about 150 KB after a 100 KB subject), a V8 RegExp a few KB.
 */
export const DYNAMIC_REGEX_RE2_SIZE = 100;

/** Why a string could not be used as a regex; cached like a matcher, so a repeated bad string costs a lookup. */
class Refused {
  constructor(readonly message: string) {}
}

type Entry = Matcher | Refused;

export class DynamicRegexCache {
  private readonly entries = new Map<string, Entry>();
  /** The keys of `entries` that hold an re2 object, oldest first. */
  private readonly heavy = new Set<string>();
  // The most recent string is already the newest entry: no reordering needed.
  private lastSource: string | undefined;
  private lastEntry: Entry | undefined;

  constructor(
    /** mtail's --max_regexp_length, as the checker applies it to literals (bytes of UTF-8). */
    private readonly maxLength: number,
    private readonly size = DYNAMIC_REGEX_CACHE_SIZE,
    private readonly re2Size = DYNAMIC_REGEX_RE2_SIZE,
  ) {}

  /** Entries held now (for tests and the flood bound). */
  get count(): number {
    return this.entries.size;
  }

  /** Entries holding an re2 object now. */
  get re2Count(): number {
    return this.heavy.size;
  }

  /**
   * Whether `source` matches somewhere in `subject`; a string that is not a valid RE2
   * expression (or is too long) returns its reason as a string instead.
   */
  test(subject: string, source: string): boolean | string {
    let entry: Entry | undefined;
    if (source === this.lastSource) entry = this.lastEntry!;
    else {
      entry = this.entries.get(source);
      if (entry === undefined) entry = this.add(source);
      else {
        this.entries.delete(source);
        this.entries.set(source, entry);
      }
      this.lastSource = source;
      this.lastEntry = entry;
    }
    if (entry instanceof Refused) return entry.message;
    if (subject.length > LONG_SUBJECT && !this.heavy.has(source)) this.markHeavy(source);
    return entry.test(subject);
  }

  private add(source: string): Entry {
    if (this.entries.size >= this.size) this.evict(this.entries.keys().next().value!);
    // A key outlives its line: keep a copy, not a slice pinning the whole line.
    const key = detach(source);
    let entry: Entry;
    const bytes = Buffer.byteLength(key, 'utf8');
    if (bytes > this.maxLength) entry = new Refused(`pattern is ${bytes} bytes long, more than the maximum of ${this.maxLength}`);
    else {
      try {
        const compiled = compileMatcher(key, []);
        entry = compiled.matcher;
        this.entries.set(key, entry);
        if (compiled.engine === 're2') this.markHeavy(key);
        return entry;
      } catch (err) {
        // compileMatcher's message repeats the pattern, which the caller's message already shows.
        const message = (err as Error).message;
        const prefix = `invalid RE2 pattern /${key}/: `;
        entry = new Refused(message.startsWith(prefix) ? message.slice(prefix.length) : message);
      }
    }
    this.entries.set(key, entry);
    return entry;
  }

  private markHeavy(key: string): void {
    if (this.heavy.size >= this.re2Size) this.evict(this.heavy.values().next().value!);
    this.heavy.add(key);
  }

  private evict(key: string): void {
    this.entries.delete(key);
    this.heavy.delete(key);
    if (key === this.lastSource) {
      this.lastSource = undefined;
      this.lastEntry = undefined;
    }
  }
}
