import t from 'tap';
import { LineSplitter } from '../../src/tail/lineSplitter.js';

interface Case {
  name: string;
  input: Buffer;
  maxLineBytes?: number;
  /** Lines expected before end() is called. */
  lines: string[];
  /** Lines expected in addition once end() is called (the unterminated last line). */
  atEnd?: string[];
  longLines?: number;
}

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const bytes = (...xs: number[]): Buffer => Buffer.from(xs);

// Expected values follow from the rules in the issue (LF ends a line, one CR before it is
// dropped, maxLineBytes in bytes) and from the Unicode/WHATWG UTF-8 decoder, which replaces each
// maximal invalid subsequence with one U+FFFD.
const cases: Case[] = [
  { name: 'plain lines', input: b('a\nbc\n'), lines: ['a', 'bc'] },
  { name: 'empty lines are lines', input: b('\n\n\n'), lines: ['', '', ''] },
  { name: 'CRLF endings drop the CR', input: b('a\r\nbc\r\n'), lines: ['a', 'bc'] },
  { name: 'a CR inside a line is kept', input: b('a\rb\n'), lines: ['a\rb'] },
  { name: 'only one CR before LF is dropped', input: b('a\r\r\n'), lines: ['a\r'] },
  { name: 'a line that is just CRLF is empty', input: b('\r\n\r\n'), lines: ['', ''] },
  { name: 'partial last line waits, end() hands it out', input: b('a\nbcd'), lines: ['a'], atEnd: ['bcd'] },
  { name: 'unterminated line ending in CR loses the CR at end()', input: b('a\nb\r'), lines: ['a'], atEnd: ['b'] },
  { name: 'no newline at all', input: b('abc'), lines: [], atEnd: ['abc'] },
  { name: 'multi-byte characters', input: b('é€😀\nñ\n'), lines: ['é€😀', 'ñ'] },
  { name: 'NUL and tab bytes are kept', input: b('a\0b\tc\n'), lines: ['a\0b\tc'] },
  {
    name: 'invalid bytes become U+FFFD each',
    input: bytes(0x78, 0xff, 0xfe, 0x79, 0x0a),
    lines: ['x\uFFFD\uFFFDy'],
  },
  {
    name: 'a truncated 3-byte sequence is one U+FFFD',
    input: bytes(0xe2, 0x82, 0x0a, 0x61, 0x0a),
    lines: ['\uFFFD', 'a'],
  },
  {
    name: 'a lone continuation byte is one U+FFFD',
    input: bytes(0x61, 0x80, 0x62, 0x0a),
    lines: ['a\uFFFDb'],
  },
  {
    name: 'a long line is cut and the next line is intact',
    input: b('abcdefgh\nxy\n'),
    maxLineBytes: 5,
    lines: ['abcde', 'xy'],
    longLines: 1,
  },
  { name: 'a line of exactly maxLineBytes is not cut', input: b('abc\n'), maxLineBytes: 3, lines: ['abc'] },
  {
    name: 'maxLineBytes counts the line without its CRLF',
    input: b('abc\r\nabcd\r\n'),
    maxLineBytes: 3,
    lines: ['abc', 'abc'],
    longLines: 1,
  },
  {
    name: 'a cut never splits a character',
    // a (1 byte) é (2) € (3): the fourth byte is the first of €, so the cut backs off to 3 bytes.
    input: b('aé€\nz\n'),
    maxLineBytes: 4,
    lines: ['aé', 'z'],
    longLines: 1,
  },
  {
    name: 'several long lines in a row',
    input: b('1234567\n\n12345678901\nok\n'),
    maxLineBytes: 4,
    lines: ['1234', '', '1234', 'ok'],
    longLines: 2,
  },
  {
    name: 'a long unterminated line is cut without waiting for its newline',
    input: b('abcdefghij'),
    maxLineBytes: 3,
    lines: ['abc'],
    atEnd: [],
    longLines: 1,
  },
];

/** Feeds input in the given pieces and returns what came out before and after end(). */
function run(c: Case, pieces: Buffer[]): { before: string[]; after: string[]; long: number; buffered: number } {
  const out: string[] = [];
  let long = 0;
  const s = new LineSplitter({ maxLineBytes: c.maxLineBytes ?? 1024, onLine: (l) => out.push(l), onLongLine: () => long++ });
  for (const p of pieces) {
    // Hand over a private copy, then scribble on it: the splitter must not keep references.
    const copy = Buffer.from(p);
    s.push(copy);
    copy.fill(0x21);
  }
  const before = [...out];
  const buffered = s.bufferedBytes;
  s.end();
  return { before, after: out.slice(before.length), long, buffered };
}

/** Every way of cutting the input into two chunks, plus one byte at a time. */
function splits(input: Buffer): { label: string; pieces: Buffer[] }[] {
  const out = [{ label: 'whole', pieces: [input] }];
  for (let i = 1; i < input.length; i++) out.push({ label: `split at ${i}`, pieces: [input.subarray(0, i), input.subarray(i)] });
  out.push({ label: 'byte by byte', pieces: [...input].map((x) => Buffer.from([x])) });
  return out;
}

for (const c of cases) {
  t.test(c.name, async (t) => {
    for (const { label, pieces } of splits(c.input)) {
      const r = run(c, pieces);
      t.same(r.before, c.lines, `${label}: lines before end()`);
      t.same(r.after, c.atEnd ?? [], `${label}: lines at end()`);
      t.equal(r.long, c.longLines ?? 0, `${label}: long lines counted`);
    }
  });
}

t.test('bufferedBytes is the size of the unfinished line', async (t) => {
  const s = new LineSplitter({ maxLineBytes: 100, onLine: () => {} });
  s.push(b('done\npart'));
  t.equal(s.bufferedBytes, 4);
  s.push(b('ial'));
  t.equal(s.bufferedBytes, 7);
  s.push(b('\n'));
  t.equal(s.bufferedBytes, 0);
});

t.test('skipToNextLine drops the rest of the current line', async (t) => {
  const out: string[] = [];
  const s = new LineSplitter({ maxLineBytes: 100, onLine: (l) => out.push(l) });
  s.skipToNextLine();
  s.push(b('tail of a line\nwhole\n'));
  t.same(out, ['whole']);
});

t.test('maxLineBytes below 1 is refused', async (t) => {
  t.throws(() => new LineSplitter({ maxLineBytes: 0, onLine: () => {} }), RangeError);
});

t.test('a line inside one chunk is decoded without joining buffers', async (t) => {
  // 10,000 short lines in one chunk: the result must be exact (speed is measured in bench/).
  const text = Array.from({ length: 10000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const out: string[] = [];
  const s = new LineSplitter({ maxLineBytes: 64, onLine: (l) => out.push(l) });
  s.push(b(text));
  t.equal(out.length, 10000);
  t.equal(out[9999], 'line 9999');
});

/** The rules, applied to the whole byte stream at once: the reference the splitter must agree with. */
function referenceLines(input: Buffer, maxLineBytes: number): { lines: string[]; long: number } {
  const lines: string[] = [];
  let long = 0;
  let start = 0;
  for (let nl = input.indexOf(0x0a); nl !== -1; nl = input.indexOf(0x0a, start)) {
    let stop = nl > start && input[nl - 1] === 0x0d ? nl - 1 : nl;
    if (stop - start > maxLineBytes) {
      stop = start + maxLineBytes;
      long++;
    }
    lines.push(input.toString('utf8', start, stop));
    start = nl + 1;
  }
  return { lines, long };
}

t.test('big ASCII and mixed chunks, cut anywhere, agree with the rules applied at once', async (t) => {
  // Long enough to span many 16 KiB decoding segments, with lines longer than a segment,
  // lines cut by maxLineBytes, CRLF endings and some non-ASCII chunks in between.
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const parts: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const kind = random(50);
    const body = kind === 0 ? 'x'.repeat(20_000 + random(30_000)) : kind === 1 ? `é ${i} ünïcode` : `line ${i} ${'y'.repeat(random(300))}`;
    parts.push(body + (random(5) === 0 ? '\r\n' : '\n'));
  }
  const input = Buffer.from(parts.join('') + 'unterminated', 'utf8');
  for (const maxLineBytes of [40_000, 200]) {
    const want = referenceLines(input, maxLineBytes);
    for (const chunkBytes of [128 * 1024, 65_537, 4093]) {
      const out: string[] = [];
      let long = 0;
      const s = new LineSplitter({ maxLineBytes, onLine: (l) => out.push(l), onLongLine: () => long++ });
      for (let at = 0; at < input.length; at += chunkBytes) s.push(input.subarray(at, at + chunkBytes));
      const before = out.length;
      s.end();
      t.equal(before, want.lines.length, `max ${maxLineBytes}, chunks of ${chunkBytes}: line count`);
      t.ok(out.slice(0, before).every((l, i) => l === want.lines[i]), `max ${maxLineBytes}, chunks of ${chunkBytes}: every line equal`);
      t.same(out.slice(before), ['unterminated'], 'the unterminated line at end()');
      t.equal(long, want.long, `max ${maxLineBytes}, chunks of ${chunkBytes}: long lines counted`);
    }
  }
});
