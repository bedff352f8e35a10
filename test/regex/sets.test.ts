// Character sets, checked over every code point: each one-character pattern
// must match the same code points through V8 (translated) as through re2.
import t from 'tap';
import RE2 from 're2';
import { enableLinearFallback, translateToV8 } from '../../src/regex/index.js';

enableLinearFallback();

/** All code points but surrogates, increasing, so runs of matches are ranges. */
function everyCodePoint(): string {
  const parts: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp += 0x1000) {
    const chunk: string[] = [];
    for (let c = cp; c < cp + 0x1000; c++) if (c < 0xd800 || c > 0xdfff) chunk.push(String.fromCodePoint(c));
    parts.push(chunk.join(''));
  }
  return parts.join('');
}

const ALL = everyCodePoint();

/** Runs of consecutive matches of a one-character pattern, via re2 and via the V8 translation. */
function runs(pattern: string, text: string): { re2: string[]; v8: string[] } | string {
  const translation = translateToV8(`(?:${pattern})+`);
  if (!translation.ok) return translation.reason;
  return {
    re2: text.match(new RE2(`(?:${pattern})+`, 'gu')) ?? [],
    v8: text.match(new RegExp(translation.source, `g${translation.flags}`)) ?? [],
  };
}

function firstDifference(a: string[], b: string[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (s: string | undefined): string =>
        s === undefined ? 'none' : `U+${s.codePointAt(0)!.toString(16)}..(${[...s].length} code points)`;
      return `run ${i}: re2 ${show(a[i])}, v8 ${show(b[i])}`;
    }
  }
  return null;
}

const FULL_SCAN: string[] = [
  '.', '(?s).', '\\d', '\\D', '\\s', '\\S', '\\w', '\\W',
  ...['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']
    .flatMap((name) => [`[[:${name}:]]`, `[[:^${name}:]]`]),
  '(?i)[a-z]', '(?i)[^a-z]', '(?i)\\w', '(?i)\\W', '(?i)[[:^upper:]]', '(?i)k', '(?i)s', '(?i)[^k]',
  '\\pL', '\\PL', '\\p{Greek}', '\\p{Han}', '\\pN', '(?i)\\p{Lu}', '(?i)\\P{Lu}', '[\\p{Latin}\\d]', '[^\\p{Cyrillic}a]',
  '[\\x{10000}-\\x{10FFFF}]', '[^😀]', '[\\x{FFF0}-\\x{10010}]', '[\\x{1F600}-\\x{1F64F}\\x{20000}-\\x{2A6DF}]',
  '(?i)é', '(?i)[à-ÿ]', '(?i)\\x{212A}', '\\x{10FFFF}', '[^\\n]', '[\\x00-\\x{D7FF}]',
];

t.test('one-character patterns match the same code points in both engines', async (t) => {
  const problems: string[] = [];
  for (const pattern of FULL_SCAN) {
    const r = runs(pattern, ALL);
    if (typeof r === 'string') problems.push(`/${pattern}/ not translated: ${r}`);
    else {
      const diff = firstDifference(r.re2, r.v8);
      if (diff) problems.push(`/${pattern}/ ${diff}`);
    }
  }
  t.same(problems, []);
});

t.test('(?i) on each ASCII character folds like re2', async (t) => {
  // Every member of a case-fold orbit has a case mapping, so these candidates hold all of them.
  const candidates = [...ALL].filter((c) => c.toLowerCase() !== c || c.toUpperCase() !== c || c < '\x80').join('');
  const problems: string[] = [];
  for (let cp = 0x20; cp < 0x7f; cp++) {
    const ch = String.fromCharCode(cp);
    const pattern = `(?i)${/[0-9A-Za-z]/.test(ch) ? ch : `\\${ch}`}`;
    const r = runs(pattern, candidates);
    if (typeof r === 'string') problems.push(`/${pattern}/ not translated: ${r}`);
    else {
      const diff = firstDifference(r.re2, r.v8);
      if (diff) problems.push(`/${pattern}/ ${diff}`);
    }
  }
  t.same(problems, []);
});
