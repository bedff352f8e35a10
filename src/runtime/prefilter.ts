/**
 * The literal check generated code makes before a pattern's regex: a line without the
 * literal cannot match, so the regex is skipped for it (src/regex/prefilter.ts proves the
 * literal is in every match). When nearly every line has the literal anyway (a program
 * written for exactly this log), the check costs more than it saves: it then stands aside
 * for a while and looks again later, as the log may change. Passing a line unchecked is
 * always correct; only the regex decides a match.
 *
 * A gate is a shorter check shared by several (a string each of their literals contains):
 * it runs once per line, and a line without it fails all of them.
 */
export class LiteralPrefilter {
  private passed = 0;
  private rejected = 0;
  /** Lines still to pass without a check. */
  private resting = 0;

  /** The line last tested through testOnce(), and the answer. */
  private lastLine: string | undefined;
  private lastResult = true;

  constructor(
    readonly literal: string,
    private readonly gate?: LiteralPrefilter,
  ) {}

  /** False only when the line cannot match. */
  test(line: string): boolean {
    if (this.resting > 0) {
      this.resting--;
      return true;
    }
    if (this.gate !== undefined && !this.gate.testOnce(line)) {
      this.rejected++;
      return false;
    }
    if (line.includes(this.literal)) {
      if (++this.passed === REVIEW_LINES) this.review();
      return true;
    }
    this.rejected++;
    return false;
  }

  /** test(), answered once per line for the several checks that share this gate. */
  testOnce(line: string): boolean {
    if (line !== this.lastLine) {
      this.lastLine = line;
      this.lastResult = this.test(line);
    }
    return this.lastResult;
  }

  private review(): void {
    if (this.rejected * MIN_REJECTED_SHARE < this.passed) this.resting = REST_LINES;
    this.passed = 0;
    this.rejected = 0;
  }
}

/** Lines passed between reviews of the check's worth. */
const REVIEW_LINES = 4096;
/** The check stays if it rejected at least one line in this many passed ones. */
const MIN_REJECTED_SHARE = 20;
/** How long a check that did not pay stands aside. */
const REST_LINES = 65_536;
