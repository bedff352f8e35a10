import type { Node } from './ast.js';
import { parseRe2 } from './parse.js';

/** What a sub-pattern tells about the text it matches: exactly one string, and strings every match contains. */
interface LiteralInfo {
  /** The only string the node can match, or null when it can match several. */
  exact: string | null;
  /** Strings known to occur in every match (maximal literal runs; may be empty). */
  required: string[];
}

function info(node: Node): LiteralInfo {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return { exact: '', required: [] };
    case 'literal': {
      if (node.fold) return { exact: null, required: [] };
      const s = String.fromCodePoint(node.cp);
      return { exact: s, required: [s] };
    }
    case 'capture':
      return info(node.body);
    case 'repeat': {
      if (node.min === 0) return { exact: node.max === 0 ? '' : null, required: [] };
      const body = info(node.body);
      if (body.exact !== null && node.min === node.max && node.min <= 64) {
        const exact = body.exact.repeat(node.min);
        return { exact, required: exact === '' ? [] : [exact] };
      }
      return { exact: null, required: body.exact !== null ? (body.exact === '' ? [] : [body.exact]) : body.required };
    }
    case 'concat': {
      let run = '';
      const required: string[] = [];
      let exact: string | null = '';
      const endRun = () => {
        if (run !== '') required.push(run);
        run = '';
      };
      for (const item of node.items) {
        const i = info(item);
        if (i.exact !== null) {
          run += i.exact;
          if (exact !== null) exact += i.exact;
        } else {
          exact = null;
          endRun();
          required.push(...i.required);
        }
      }
      endRun();
      return { exact, required: exact !== null ? (exact === '' ? [] : [exact]) : required };
    }
    case 'alternate': {
      const items = node.items.map(info);
      const first = items[0]?.exact;
      if (first !== undefined && first !== null && items.every((i) => i.exact === first)) return { exact: first, required: first === '' ? [] : [first] };
      return { exact: null, required: [] };
    }
    default:
      return { exact: null, required: [] };
  }
}

/**
 * The text every match of the RE2 pattern ends the subject with: the literal right before a
 * final `$` (without (?m)) or `\z`, as in nginx's `... "(?:[^"\\]|\\.)*"$`. A line that does not end
 * with it cannot match, and `line.endsWith(suffix)` costs nothing next to a regex that runs
 * the whole line before failing at the end (and backtracks on the way). Undefined when the
 * pattern is not anchored at the end behind a literal, or cannot be parsed.
 */
export function requiredSuffix(pattern: string): string | undefined {
  const parsed = parseRe2(pattern);
  if (!parsed.ok) return undefined;
  const suffix = endSuffix(parsed.pattern.root);
  // U+FFFD stands for invalid UTF-8 on re2's side: leave such text to the regex.
  return suffix === null || suffix === '' || suffix.includes('\uFFFD') ? undefined : suffix;
}

/** The literal each match of node ends the subject with ('' when none), or null when a match need not end the subject. */
function endSuffix(node: Node): string | null {
  switch (node.kind) {
    case 'assert':
      return node.assertion === 'endText' ? '' : null;
    case 'capture':
      return endSuffix(node.body);
    case 'concat': {
      let suffix: string | null = null;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i]!;
        if (suffix === null) {
          if (item.kind === 'empty') continue;
          // The last items must end the subject; zero-width ones after the anchor are not followed.
          suffix = endSuffix(item);
          if (suffix === null) return null;
          if (info(item).exact === null) return suffix;
          continue;
        }
        const exact = info(item).exact;
        if (exact === null) return ending(item) + suffix;
        suffix = exact + suffix;
      }
      return suffix;
    }
    case 'alternate': {
      // Every branch must end the subject; what they all end with is their common suffix.
      const ends: string[] = [];
      for (const item of node.items) {
        const s = endSuffix(item);
        if (s === null) return null;
        ends.push(s);
      }
      return commonSuffix(ends);
    }
    default:
      return null;
  }
}

/** The literal every match of node ends with ('' when none is known). */
function ending(node: Node): string {
  const i = info(node);
  if (i.exact !== null) return i.exact;
  switch (node.kind) {
    case 'capture':
      return ending(node.body);
    case 'repeat':
      return node.min >= 1 ? ending(node.body) : '';
    case 'concat': {
      let suffix = '';
      for (let k = node.items.length - 1; k >= 0; k--) {
        const exact = info(node.items[k]!).exact;
        if (exact === null) return ending(node.items[k]!) + suffix;
        suffix = exact + suffix;
      }
      return suffix;
    }
    case 'alternate':
      return commonSuffix(node.items.map(ending));
    default:
      return '';
  }
}

/** The longest string all of texts end with, never starting inside a surrogate pair. */
function commonSuffix(texts: string[]): string {
  let common = texts[0] ?? '';
  for (const s of texts.slice(1)) {
    let k = 0;
    while (k < common.length && k < s.length && common[common.length - 1 - k] === s[s.length - 1 - k]) k++;
    common = common.slice(common.length - k);
  }
  return /^[\uDC00-\uDFFF]/.test(common) ? common.slice(1) : common;
}

/** Shorter literals are not worth a scan of the line before the regex runs. */
export const MIN_PREFILTER_LENGTH = 3;

/** Every maximal literal run that each match of the RE2 pattern contains (empty when none or unparsable). */
export function requiredLiterals(pattern: string): string[] {
  const parsed = parseRe2(pattern);
  return parsed.ok ? info(parsed.pattern.root).required : [];
}

// Rough frequency of characters in log text. V8's String.prototype.includes scans for the
// probe's first character with memchr and compares at each hit, so a probe that starts
// with a space costs several times one that starts with ']' on the same line.
const CHAR_FREQUENCY: Record<string, number> = {
  ' ': 0.14, e: 0.06, t: 0.045, a: 0.045, o: 0.045, i: 0.04, n: 0.04, s: 0.04, r: 0.035, l: 0.025, d: 0.025,
  c: 0.025, h: 0.02, u: 0.02, m: 0.02, p: 0.015, f: 0.012, g: 0.012, w: 0.01, y: 0.01, b: 0.008, v: 0.006,
  k: 0.005, x: 0.003, '.': 0.03, '/': 0.025, ':': 0.02, '-': 0.02, '"': 0.015, ';': 0.012, ',': 0.008, '=': 0.008,
  '(': 0.006, ')': 0.006, _: 0.005,
};
const DIGIT_FREQUENCY = 0.03;
const UPPER_FREQUENCY = 0.004;
const OTHER_FREQUENCY = 0.002;

function frequency(ch: string): number {
  const known = CHAR_FREQUENCY[ch];
  if (known !== undefined) return known;
  if (ch >= '0' && ch <= '9') return DIGIT_FREQUENCY;
  if (ch >= 'A' && ch <= 'Z') return UPPER_FREQUENCY;
  return OTHER_FREQUENCY;
}

/** Shortest probe worth a scan: one character is found everywhere. */
const MIN_PROBE_LENGTH = 2;
/** Relative cost of a comparison at a first-character hit and of a regex run after a false positive. */
const HIT_COST = 1;
const FALSE_POSITIVE_COST = 60;

/** Expected cost per line position of `line.includes(probe)` then the regex on a false positive. */
function probeCost(probe: string): number {
  let chance = 1;
  for (const ch of probe) chance *= frequency(ch);
  return HIT_COST * frequency(probe[0]!) + FALSE_POSITIVE_COST * chance;
}

/**
 * A string that every match of the RE2 pattern contains, for a cheap
 * `line.includes(probe)` test before the regex runs; undefined when there is
 * none worth checking. A line without it cannot match, so skipping the regex
 * for that line changes nothing. The probe is the suffix of a required literal
 * (any part of a required string is required too) that is cheapest to look for:
 * one starting at a rare character, still long enough to reject most lines.
 */
export function requiredLiteral(pattern: string): string | undefined {
  let best: string | undefined;
  let bestCost = Infinity;
  for (const run of requiredLiterals(pattern)) {
    if (run.length < MIN_PREFILTER_LENGTH) continue;
    const units = [...run];
    for (let k = 0; units.length - k >= MIN_PROBE_LENGTH; k++) {
      const probe = units.slice(k).join('');
      const cost = probeCost(probe);
      if (cost < bestCost) {
        best = probe;
        bestCost = cost;
      }
    }
  }
  return best;
}

/** Shortest string worth sharing as a gate, and the longest looked at (a gate is short by nature). */
const MIN_GATE_LENGTH = 3;
const MAX_GATE_LENGTH = 8;

/**
 * Gates for a program's probes: a string contained in several probes, checked once per line
 * before them, so a line without it skips all of them with one scan (syslog's "]: Accepted ",
 * "]: Failed " and "]: Invalid user " share "]: "). Returns, for each probe that has one, its
 * gate. Greedy: the string shared by the most probes first (then the cheapest to look for).
 */
export function sharedGates(probes: readonly string[]): Map<string, string> {
  const unique = [...new Set(probes)];
  if (unique.length <= MAX_GATE_GROUP * 4) return gatesOf(unique);
  // The greedy search below costs about the cube of the number of probes (a program of
  // 2,000 blocks spent 17 s here); a program this large gets gates per run of probes.
  const gates = new Map<string, string>();
  for (let i = 0; i < unique.length; i += MAX_GATE_GROUP) {
    for (const [probe, gate] of gatesOf(unique.slice(i, i + MAX_GATE_GROUP))) gates.set(probe, gate);
  }
  return gates;
}

/** Probes grouped for gates at once in a large program. */
const MAX_GATE_GROUP = 16;

function gatesOf(probes: string[]): Map<string, string> {
  const gates = new Map<string, string>();
  // Every candidate gate (a short run of some probe) with the probes that contain it, in the
  // order first seen: built once, so each greedy round below only filters these lists.
  const candidates = new Map<string, string[]>();
  for (const probe of probes) {
    const units = [...probe];
    const oneUnitEach = units.length === probe.length; // no surrogate pairs: slice the string itself
    for (let i = 0; i < units.length; i++) {
      for (let j = i + MIN_GATE_LENGTH; j <= Math.min(units.length, i + MAX_GATE_LENGTH); j++) {
        const gate = oneUnitEach ? probe.slice(i, j) : units.slice(i, j).join('');
        const members = candidates.get(gate);
        if (members === undefined) candidates.set(gate, [probe]);
        else if (members[members.length - 1] !== probe) members.push(probe);
      }
    }
  }
  const costOf = new Map(probes.map((p) => [p, probeCost(p)]));
  const gateCost = new Map<string, number>();
  const open = new Set(probes);
  for (;;) {
    let best: { gate: string; members: string[]; cost: number } | undefined;
    for (const [gate, all] of candidates) {
      if (all.length < 2) continue;
      const members = open.size === probes.length ? all : all.filter((p) => open.has(p));
      if (members.length < 2) continue;
      let cost = gateCost.get(gate);
      if (cost === undefined) gateCost.set(gate, (cost = probeCost(gate)));
      // Worth it only when the gate is much cheaper to look for than its members together.
      if (cost * 2 > members.reduce((sum, m) => sum + costOf.get(m)!, 0)) continue;
      if (!best || members.length > best.members.length || (members.length === best.members.length && cost < best.cost)) {
        best = { gate, members, cost };
      }
    }
    if (!best) return gates;
    for (const m of best.members) {
      gates.set(m, best.gate);
      open.delete(m);
    }
  }
}
