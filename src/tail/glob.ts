import path from 'node:path';

// Loaded when a glob is first expanded: node:fs/promises brings the stream modules, which
// a one-shot run over plain files never needs (start-up).
let fsp: typeof import('node:fs/promises') | undefined;

/**
 * A path glob in the spirit of Go's filepath.Match (what mtail uses), plus `**`:
 * `*` matches any run of characters but '/', `?` one character but '/', `[abc]`, `[a-z]`,
 * `[!a-z]` / `[^a-z]` one character of (or not of) a class, `\x` the character x, and a
 * segment that is exactly `**` matches zero or more directories. Leading dots are not
 * special (as in Go). A '[' without its ']' is an ordinary character.
 */
export interface Glob {
  /** The absolute, normalised pattern. */
  readonly pattern: string;
  /** The longest directory that is literal in the pattern: where expansion and watching start. */
  readonly base: string;
  /** Segments below base. */
  readonly segments: readonly Segment[];
  /** Directory levels below base that can hold matches; undefined when `**` makes it unbounded. */
  readonly depth: number | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'wild'; re: RegExp }
  | { kind: 'globstar' };

/** A path a glob expanded to, with what kind of file it is. */
export interface GlobMatch {
  path: string;
  kind: 'file' | 'fifo';
}

/** Whether s contains glob syntax (an unescaped `*`, `?`, `[`) or an escape. */
export function hasGlobSyntax(s: string): boolean {
  return /[*?[\\]/.test(s);
}

/** Compiles a path pattern; relative patterns are resolved against cwd. */
export function compileGlob(pattern: string, cwd: string = process.cwd()): Glob {
  const abs = path.posix.resolve(cwd, pattern);
  const parts = abs.split('/').filter((p) => p !== '');
  const segments = parts.map(compileSegment);
  // Keep at least the last segment out of base, so base is always a directory.
  let literal = 0;
  while (literal < segments.length - 1 && segments[literal].kind === 'literal') literal++;
  const baseParts = segments.slice(0, literal).map((s) => (s as { text: string }).text);
  const rest = segments.slice(literal);
  const depth = rest.some((s) => s.kind === 'globstar') ? undefined : rest.length - 1;
  return { pattern: abs, base: '/' + baseParts.join('/'), segments: rest, depth };
}

/** Whether the absolute path p matches the glob. */
export function matchGlob(glob: Glob, p: string): boolean {
  const parts = relativeParts(glob.base, p);
  return parts !== undefined && matchFrom(glob.segments, parts, 0, 0, false);
}

/** Whether the absolute directory d may contain (at any depth) a path matching the glob. */
export function mayContainMatch(glob: Glob, d: string): boolean {
  const parts = relativeParts(glob.base, d);
  if (parts === undefined) {
    // d is above base: it contains base if base lies under it.
    return isUnder(d, glob.base);
  }
  return matchFrom(glob.segments, parts, 0, 0, true);
}

/**
 * Lists the regular files and FIFOs the glob matches now, sorted; unreadable directories are
 * skipped. `dirs` receives every directory looked into: where a new match (or a directory on
 * the way to one) would appear, so where to watch.
 */
export async function expandGlob(glob: Glob, dirs?: Set<string>): Promise<GlobMatch[]> {
  fsp ??= await import('node:fs/promises');
  const found = new Map<string, GlobMatch>();
  await walk(glob.segments, glob.base, 0, found, dirs);
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(segs: readonly Segment[], dir: string, si: number, out: Map<string, GlobMatch>, dirs: Set<string> | undefined): Promise<void> {
  if (si === segs.length) {
    if (out.has(dir)) return;
    try {
      const st = await fsp!.stat(dir);
      if (st.isFile()) out.set(dir, { path: dir, kind: 'file' });
      else if (st.isFIFO()) out.set(dir, { path: dir, kind: 'fifo' });
    } catch {
      // vanished or unreadable: not a match now
    }
    return;
  }
  const seg = segs[si];
  if (seg.kind === 'literal') {
    // Only the directory holding the last segment is watched for it: a missing middle directory is found by a rescan.
    if (si === segs.length - 1) dirs?.add(dir);
    await walk(segs, path.posix.join(dir, seg.text), si + 1, out, dirs);
    return;
  }
  let entries;
  try {
    entries = await fsp!.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  dirs?.add(dir);
  if (seg.kind === 'globstar') {
    await walk(segs, dir, si + 1, out, dirs);
    // Symlinked directories are not descended into by `**`, so a link cycle cannot loop.
    for (const e of entries) {
      if (e.isDirectory()) await walk(segs, path.posix.join(dir, e.name), si, out, dirs);
    }
    return;
  }
  const last = si === segs.length - 1;
  for (const e of entries) {
    if (!seg.re.test(e.name)) continue;
    const p = path.posix.join(dir, e.name);
    // The directory entry says what a match is: no stat per file (a rescan of a directory of
    // 500 logs is one readdir). Symbolic links and unknown types are stat'ed (they follow the link).
    if (!last) await walk(segs, p, si + 1, out, dirs);
    else if (e.isFile()) out.set(p, { path: p, kind: 'file' });
    else if (e.isFIFO()) out.set(p, { path: p, kind: 'fifo' });
    else if (!(e.isDirectory() || e.isSocket() || e.isBlockDevice() || e.isCharacterDevice())) await walk(segs, p, si + 1, out, dirs);
  }
}

function matchFrom(segs: readonly Segment[], parts: string[], si: number, pi: number, prefix: boolean): boolean {
  if (pi === parts.length) {
    if (prefix) return si < segs.length;
    for (let i = si; i < segs.length; i++) if (segs[i].kind !== 'globstar') return false;
    return true;
  }
  if (si === segs.length) return false;
  const seg = segs[si];
  if (seg.kind === 'globstar') {
    return matchFrom(segs, parts, si + 1, pi, prefix) || matchFrom(segs, parts, si, pi + 1, prefix);
  }
  const ok = seg.kind === 'literal' ? seg.text === parts[pi] : seg.re.test(parts[pi]);
  return ok && matchFrom(segs, parts, si + 1, pi + 1, prefix);
}

/** Path segments of p below base, or undefined when p is not base or under it. */
function relativeParts(base: string, p: string): string[] | undefined {
  const norm = path.posix.normalize(p);
  if (norm === base) return [];
  const prefix = base === '/' ? '/' : base + '/';
  if (!norm.startsWith(prefix)) return undefined;
  return norm.slice(prefix.length).split('/').filter((s) => s !== '');
}

function isUnder(dir: string, p: string): boolean {
  const d = path.posix.normalize(dir);
  return d === '/' || p === d || p.startsWith(d + '/');
}

function compileSegment(text: string): Segment {
  if (text === '**') return { kind: 'globstar' };
  if (!hasGlobSyntax(text)) return { kind: 'literal', text };
  let re = '';
  let literal = '';
  let wild = false;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) {
      literal += chars[++i];
      re += esc(chars[i]);
    } else if (c === '*') {
      wild = true;
      // Consecutive stars inside a segment mean the same as one.
      if (!re.endsWith('[^/]*')) re += '[^/]*';
    } else if (c === '?') {
      wild = true;
      re += '[^/]';
    } else if (c === '[') {
      const cls = compileClass(chars, i);
      if (cls === undefined) {
        literal += c;
        re += esc(c);
      } else {
        wild = true;
        re += cls.re;
        i = cls.end;
      }
    } else {
      literal += c;
      re += esc(c);
    }
  }
  return wild ? { kind: 'wild', re: new RegExp(`^${re}$`, 'u') } : { kind: 'literal', text: literal };
}

/** Translates the class starting at chars[open] === '['; undefined when it has no closing ']'. */
function compileClass(chars: string[], open: number): { re: string; end: number } | undefined {
  let i = open + 1;
  let negated = false;
  if (chars[i] === '!' || chars[i] === '^') {
    negated = true;
    i++;
  }
  let items = '';
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i];
    if (c === ']' && !first) {
      return { re: `[${negated ? '^/' : ''}${items}]`, end: i };
    }
    first = false;
    if (c === '\\' && i + 1 < chars.length) c = chars[++i];
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let hi = chars[i + 2];
      i += 2;
      if (hi === '\\' && i + 1 < chars.length) hi = chars[++i];
      if (hi.codePointAt(0)! < c.codePointAt(0)!) return undefined;
      items += `${esc(c)}-${esc(hi)}`;
    } else {
      items += esc(c);
    }
  }
  return undefined;
}

function esc(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
