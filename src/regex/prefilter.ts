import type { Node, ParsedPattern } from './ast.js';
import { treeOf } from './parse.js';

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
        if (item.kind === 'literal' && !item.fold) {
          // The common case, without an info object: a literal's text is exact.
          const ch = String.fromCodePoint(item.cp);
          run += ch;
          if (exact !== null) exact += ch;
          continue;
        }
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

/** info(node).exact, without computing the required strings. */
function exactOf(node: Node): string | null {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return '';
    case 'literal':
      return node.fold ? null : String.fromCodePoint(node.cp);
    case 'capture':
      return exactOf(node.body);
    case 'repeat': {
      if (node.min === 0) return node.max === 0 ? '' : null;
      const body = exactOf(node.body);
      return body !== null && node.min === node.max && node.min <= 64 ? body.repeat(node.min) : null;
    }
    case 'concat': {
      let exact = '';
      for (const item of node.items) {
        const e = exactOf(item);
        if (e === null) return null;
        exact += e;
      }
      return exact;
    }
    case 'alternate': {
      const first = node.items.length === 0 ? null : exactOf(node.items[0]!);
      if (first === null) return null;
      for (let k = 1; k < node.items.length; k++) if (exactOf(node.items[k]!) !== first) return null;
      return first;
    }
    default:
      return null;
  }
}

/**
 * The text every match of the RE2 pattern ends the subject with: the literal right before a
 * final `$` (without (?m)) or `\z`, as in nginx's `... "(?:[^"\\]|\\.)*"$`. A line that does not end
 * with it cannot match, and `line.endsWith(suffix)` costs nothing next to a regex that runs
 * the whole line before failing at the end (and backtracks on the way). Undefined when the
 * pattern is not anchored at the end behind a literal, or cannot be parsed.
 */
export function requiredSuffix(pattern: string | ParsedPattern | undefined): string | undefined {
  const tree = treeOf(pattern);
  if (tree === undefined) return undefined;
  const suffix = endSuffix(tree.root);
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
          if (exactOf(item) === null) return suffix;
          continue;
        }
        const exact = exactOf(item);
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
  const exact = exactOf(node);
  if (exact !== null) return exact;
  switch (node.kind) {
    case 'capture':
      return ending(node.body);
    case 'repeat':
      return node.min >= 1 ? ending(node.body) : '';
    case 'concat': {
      let suffix = '';
      for (let k = node.items.length - 1; k >= 0; k--) {
        const exact = exactOf(node.items[k]!);
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

/** Every maximal literal run that each match of the RE2 pattern (or its tree) contains (empty when none or unparsable). */
export function requiredLiterals(pattern: string | ParsedPattern | undefined): string[] {
  const tree = treeOf(pattern);
  return tree === undefined ? [] : info(tree.root).required;
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

const ASCII_FREQUENCY = Float64Array.from({ length: 128 }, (_, c) => frequency(String.fromCharCode(c)));

/** frequency() of a code point: every known character is ASCII. */
function frequencyOf(cp: number): number {
  return cp < 128 ? ASCII_FREQUENCY[cp]! : OTHER_FREQUENCY;
}

/** frequencyOf() of each code point (a loop: map() with a callback cost more in a large program's compile). */
function frequenciesOf(cps: readonly number[]): number[] {
  const f: number[] = [];
  for (const cp of cps) f.push(frequencyOf(cp));
  return f;
}

/** The code points of s, and where each starts in s. */
function codePoints(s: string): { cps: number[]; at: number[] } {
  const cps: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    cps.push(cp);
    at.push(i);
    i += cp > 0xffff ? 2 : 1;
  }
  return { cps, at };
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
export function requiredLiteral(pattern: string | ParsedPattern | undefined): string | undefined {
  let best: string | undefined;
  let bestCost = Infinity;
  for (const run of requiredLiterals(pattern)) {
    if (run.length < MIN_PREFILTER_LENGTH) continue;
    // probeCost of each suffix, without building the suffixes: the same products, in the same order.
    const { cps, at } = codePoints(run);
    const freq = frequenciesOf(cps);
    let bestAt = -1;
    for (let k = 0; cps.length - k >= MIN_PROBE_LENGTH; k++) {
      let chance = 1;
      for (let j = k; j < freq.length; j++) chance *= freq[j]!;
      const cost = HIT_COST * freq[k]! + FALSE_POSITIVE_COST * chance;
      if (cost < bestCost) {
        bestAt = k;
        bestCost = cost;
      }
    }
    if (bestAt >= 0) best = run.slice(at[bestAt]);
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
  const edges = new EdgeTable();
  if (unique.length <= MAX_GATE_GROUP * 4) return gatesOf(unique, edges);
  // The greedy search below costs about the cube of the number of probes (a program of
  // 2,000 blocks spent 17 s here); a program this large gets gates per run of probes.
  const gates = new Map<string, string>();
  for (let i = 0; i < unique.length; i += MAX_GATE_GROUP) {
    for (const [probe, gate] of gatesOf(unique.slice(i, i + MAX_GATE_GROUP), edges)) gates.set(probe, gate);
  }
  return gates;
}

/** Probes grouped for gates at once in a large program. */
const MAX_GATE_GROUP = 16;

function gatesOf(probes: string[], edges: EdgeTable): Map<string, string> {
  const gates = new Map<string, string>();
  const units = probes.map((p) => codePoints(p).cps);
  const candidates = sharedRuns(units, edges);
  // Costs as probeCost() gives them, from each probe's character frequencies, so a candidate's
  // text is built only if it becomes a gate.
  const frequencies = units.map(frequenciesOf);
  const runCost = (p: number, at: number, length: number): number => {
    const f = frequencies[p]!;
    let chance = 1;
    for (let k = at; k < at + length; k++) chance *= f[k]!;
    return HIT_COST * f[at]! + FALSE_POSITIVE_COST * chance;
  };
  const costOf = units.map((u, p) => runCost(p, 0, u.length));
  const open = probes.map(() => true);
  let openCount = probes.length;
  for (;;) {
    let best: { run: SharedRun; members: number[]; cost: number } | undefined;
    for (const run of candidates) {
      const members = openCount === probes.length ? run.members : run.members.filter((p) => open[p]);
      if (members.length < 2) continue;
      const cost = (run.cost ??= runCost(run.probe, run.at, run.length));
      // Worth it only when the gate is much cheaper to look for than its members together.
      if (cost * 2 > members.reduce((sum, m) => sum + costOf[m]!, 0)) continue;
      if (!best || members.length > best.members.length || (members.length === best.members.length && cost < best.cost)) {
        best = { run, members, cost };
      }
    }
    if (!best) return gates;
    const { probe, at, length } = best.run;
    const gate = String.fromCodePoint(...units[probe]!.slice(at, at + length));
    for (const m of best.members) {
      gates.set(probes[m]!, gate);
      open[m] = false;
      openCount--;
    }
  }
}

/** A candidate gate: the run of `length` code points at `at` in probe `probe`, and the probes containing it. */
interface SharedRun {
  probe: number;
  at: number;
  length: number;
  members: number[];
  /** probeCost of the run, once asked. */
  cost?: number;
}

/**
 * Every candidate gate (a run of MIN_GATE_LENGTH to MAX_GATE_LENGTH code points) that two
 * probes or more contain, with those probes, in the order first seen. The runs of each probe
 * go into a trie (its edges in a hash table of integers): nothing is built for the runs one
 * probe alone contains, which are most of them in a large program.
 */
function sharedRuns(units: readonly number[][], table: EdgeTable): SharedRun[] {
  let visits = 0;
  for (const u of units) visits += u.length * MAX_GATE_LENGTH;
  const t = table.empty(visits);
  const { parent: edgeParent, unit: edgeUnit, child: edgeChild, mask, length, firstProbe, firstAt, lastProbe, shared } = t;
  let nodes = 1; // node 0 is the root, the empty run
  for (let p = 0; p < units.length; p++) {
    const u = units[p]!;
    for (let i = 0; i < u.length; i++) {
      let node = 0;
      const end = Math.min(u.length, i + MAX_GATE_LENGTH);
      for (let j = i; j < end; j++) {
        const unit = u[j]!;
        let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b)) & mask;
        while (edgeParent[slot] !== -1 && (edgeParent[slot] !== node || edgeUnit[slot] !== unit)) slot = (slot + 1) & mask;
        let child: number;
        if (edgeParent[slot] === -1) {
          t.used[t.usedCount++] = slot;
          child = nodes++;
          edgeParent[slot] = node;
          edgeUnit[slot] = unit;
          edgeChild[slot] = child;
          length[child] = j + 1 - i;
          firstProbe[child] = p;
          firstAt[child] = i;
          lastProbe[child] = p;
          shared[child] = undefined;
        } else {
          child = edgeChild[slot]!;
          // Runs too short to be gates need no list of their probes.
          if (lastProbe[child] !== p && j + 1 - i >= MIN_GATE_LENGTH) {
            lastProbe[child] = p;
            const list = shared[child];
            if (list === undefined) shared[child] = [firstProbe[child]!, p];
            else list.push(p);
          }
        }
        node = child;
      }
    }
  }
  // Nodes are numbered as first seen, so their order is the order the runs were first seen.
  const out: SharedRun[] = [];
  for (let node = 1; node < nodes; node++) {
    const members = shared[node];
    if (members === undefined) continue;
    out.push({ probe: firstProbe[node]!, at: firstAt[node]!, length: length[node]!, members });
  }
  return out;
}

/**
 * The trie of sharedRuns: its edges, an open-addressing table of (parent node, code point) →
 * child node, and what is known of each node (the run it stands for, by its first occurrence,
 * the last probe seen containing it, and the probes when several do). One table serves every
 * group of a program's probes (typed arrays are slow to allocate); emptying it clears only the
 * edges used.
 */
class EdgeTable {
  /** The slots of the edges in the table: used[0, usedCount). */
  used = new Int32Array(0);
  usedCount = 0;
  parent = new Int32Array(0);
  unit = new Int32Array(0);
  child = new Int32Array(0);
  mask = -1;
  length = new Int32Array(0);
  firstProbe = new Int32Array(0);
  firstAt = new Int32Array(0);
  lastProbe = new Int32Array(0);
  /** By node, set when it is made: the probes containing its run, when there are several. */
  readonly shared: (number[] | undefined)[] = [];

  /** The table, empty, with room for `edges` edges (at most half full) and as many nodes. */
  empty(edges: number): this {
    const size = 1 << Math.max(10, Math.ceil(Math.log2(edges * 2 + 1)));
    if (this.mask + 1 < size) {
      this.parent = new Int32Array(size).fill(-1);
      this.unit = new Int32Array(size);
      this.child = new Int32Array(size);
      this.mask = size - 1;
      this.length = new Int32Array(size);
      this.firstProbe = new Int32Array(size);
      this.firstAt = new Int32Array(size);
      this.lastProbe = new Int32Array(size);
      this.used = new Int32Array(size);
    } else {
      for (let k = 0; k < this.usedCount; k++) this.parent[this.used[k]!] = -1;
    }
    this.usedCount = 0;
    return this;
  }
}
