/**
 * The literal check generated code makes before a pattern's regex: a line without the
 * literal cannot match, so the regex is skipped for it (src/regex/prefilter.ts proves the
 * literal is in every match). When nearly every line has the literal anyway (a program
 * written for exactly this log), the check costs more than it saves: it then stands aside
 * for a while and looks again later, as the log may change. Passing a line unchecked is
 * always correct; only the regex decides a match.
 *
 * A gate is a shorter check shared by several (a string each of their literals contains):
 * it runs once per line, and a line without it fails all of them. A gate also notes where
 * its string is in the line and whether it is there only once, as it usually is ("]: " in a
 * syslog line): a literal containing it can then only be at one place, and is compared
 * there instead of searched for in the whole line.
 */
export class LiteralPrefilter {
  private passed = 0;
  private rejected = 0;
  /** Lines still to pass without a check. */
  private resting = 0;

  /** The line last tested through testOnce(), and the answer. */
  private lastLine: string | undefined;
  private lastResult = true;
  /** As a gate, for lastLine: where the literal is (when found by a search), and whether only there. */
  private at = UNCHECKED;
  private once = false;

  /** Where this literal holds the gate's string (-1: no gate). */
  private readonly gateAt: number;
  /** A character of the literal outside the gate's string (the one after it, else the one before), or -1 when none is. */
  private readonly probe: number;

  constructor(
    readonly literal: string,
    private readonly gate?: LiteralPrefilter,
  ) {
    this.gateAt = gate === undefined ? -1 : literal.indexOf(gate.literal);
    const after = this.gateAt + (gate?.literal.length ?? 0);
    this.probe = this.gateAt < 0 ? -1 : after < literal.length ? after : this.gateAt - 1;
  }

  /** False only when the line cannot match. */
  test(line: string): boolean {
    return this.find(line) !== ABSENT;
  }

  /** test(), answered once per line for the several checks that share this gate. */
  testOnce(line: string): boolean {
    if (line !== this.lastLine) {
      this.lastLine = line;
      const at = this.find(line);
      this.lastResult = at !== ABSENT;
      this.at = at;
      this.once = at >= 0 && line.indexOf(this.literal, at + 1) === -1;
    }
    return this.lastResult;
  }

  /** Where the literal is in the line, ABSENT when it is not, UNCHECKED when the line passes without a search. */
  private find(line: string): number {
    if (this.resting > 0) {
      this.resting--;
      return UNCHECKED;
    }
    const gate = this.gate;
    if (gate !== undefined) {
      if (!gate.testOnce(line)) {
        this.rejected++;
        return ABSENT;
      }
      if (gate.once && this.gateAt >= 0) {
        const start = gate.at - this.gateAt;
        return this.count(this.isAt(line, start) ? start : ABSENT);
      }
    }
    return this.count(line.indexOf(this.literal));
  }

  /** Whether the literal is in the line at `start`, its gate's string being there and nowhere else. */
  private isAt(line: string, start: number): boolean {
    if (start < 0 || start + this.literal.length > line.length) return false;
    const j = this.probe;
    if (j < 0) return true; // the literal is the gate's string
    // One character first (a loop over the characters of a sliced string costs more than a
    // search), then a search from `start`, which finds the literal there or nowhere.
    if (line.charCodeAt(start + j) !== this.literal.charCodeAt(j)) return false;
    return this.literal.length === this.gate!.literal.length + 1 || line.indexOf(this.literal, start) === start;
  }

  private count(at: number): number {
    if (at < 0) {
      this.rejected++;
      return ABSENT;
    }
    if (++this.passed === REVIEW_LINES) this.review();
    return at;
  }

  private review(): void {
    if (this.rejected * MIN_REJECTED_SHARE < this.passed) this.resting = REST_LINES;
    this.passed = 0;
    this.rejected = 0;
  }
}

const ABSENT = -1;
const UNCHECKED = -2;
/** Lines passed between reviews of the check's worth. */
const REVIEW_LINES = 4096;
/** The check stays if it rejected at least one line in this many passed ones. */
const MIN_REJECTED_SHARE = 20;
/** How long a check that did not pay stands aside. */
const REST_LINES = 65_536;
