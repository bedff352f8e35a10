// Validation with re2, the authority on RE2 syntax.
// The `re2` npm package rewrites a pattern before RE2 sees it, to accept
// JavaScript spellings: \uXXXX, \u{...}, \cX, \p{Letter}, \p{Script=Greek},
// (?<name>...). Except for (?<name>, which RE2 itself now accepts, those are
// not RE2 (nor Go regexp, which mtail uses), so they are refused here with the
// message RE2 would give. \C (one byte) is refused too: Go rejects it, and on
// UTF-8 text it splits characters. The rewrite also touches text inside
// \Q...\E (`/` becomes `\/`) and `(?<` inside classes, so re2Source() spells
// those parts in a form the rewrite leaves alone.

import RE2 from 're2';
import type { ParsedPattern } from './ast.js';
import { parseRe2 } from './parse.js';
import { re2Certain } from './re2-certain.js';

export interface RegexInfo {
  groupCount: number;
  groupNames: (string | undefined)[]; // index 0 is the whole match
}

export type Re2Check = { ok: true; info: RegexInfo } | { ok: false; message: string; offset?: number };

// Long General_Category names the npm package maps to RE2's short ones.
const LONG_CATEGORY_NAMES = new Set([
  'Uppercase_Letter', 'Lowercase_Letter', 'Titlecase_Letter', 'Cased_Letter', 'Modifier_Letter',
  'Other_Letter', 'Letter', 'Nonspacing_Mark', 'Spacing_Mark', 'Enclosing_Mark', 'Mark',
  'Decimal_Number', 'Letter_Number', 'Other_Number', 'Number', 'Connector_Punctuation',
  'Dash_Punctuation', 'Open_Punctuation', 'Close_Punctuation', 'Initial_Punctuation',
  'Final_Punctuation', 'Other_Punctuation', 'Punctuation', 'Math_Symbol', 'Currency_Symbol',
  'Modifier_Symbol', 'Other_Symbol', 'Symbol', 'Space_Separator', 'Line_Separator',
  'Paragraph_Separator', 'Separator', 'Control', 'Format', 'Surrogate', 'Private_Use',
  'Unassigned', 'Other',
]);

interface Scan {
  /** The first construct RE2 would refuse that the npm package's rewrite would hide. */
  refusal?: { message: string; offset: number };
  groupNames: (string | undefined)[];
  /** The pattern spelled so the npm package's rewrite is the identity on its meaning. */
  safeSource: string;
}

const NAMED_GROUP = /\(\?P?<(?![=!])([^>]*)>/y;

function hexEscape(ch: string): string {
  return /^[0-9A-Za-z]$/.test(ch) ? ch : `\\x{${ch.codePointAt(0)!.toString(16)}}`;
}

/** One pass over the pattern, tracking escapes, classes and \Q...\E like RE2's parser. */
function scan(pattern: string): Scan {
  const groupNames: (string | undefined)[] = [undefined];
  let refusal: Scan['refusal'];
  const refuse = (message: string, offset: number): void => {
    refusal ??= { message, offset };
  };
  // The safe spelling is the pattern but for a few rewritten pieces: `out` holds the spelling
  // of pattern[0, copied), the rest is copied when the next piece is rewritten, or at the end.
  let out = '';
  let copied = 0;
  const rewrite = (from: number, to: number, spelling: string): void => {
    out += pattern.slice(copied, from) + spelling;
    copied = to;
  };
  let inClass = false;
  let classFirst = false; // a `]` right after `[` or `[^` is a literal
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) break;
      if (!inClass && e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end < 0 ? undefined : end);
        const next = end < 0 ? pattern.length : end + 2;
        rewrite(i, next, [...text].map(hexEscape).join(''));
        i = next;
        continue;
      }
      if (e === 'u' || e === 'c' || e === 'C') refuse(`invalid escape sequence: \\${e}`, i);
      if ((e === 'p' || e === 'P') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        const name = close < 0 ? '' : pattern.slice(i + 3, close);
        if (LONG_CATEGORY_NAMES.has(name) || name.startsWith('Script=') || name.startsWith('sc=')) {
          refuse(`invalid character class range: \\${e}{${name}}`, i);
        }
      }
      i += (pattern.codePointAt(i + 1) ?? 0) > 0xffff ? 3 : 2;
      classFirst = false;
      continue;
    }
    if (inClass) {
      if (c === ']' && !classFirst) inClass = false;
      classFirst = false;
      if (c === '[' && pattern[i + 1] === ':') {
        const close = pattern.indexOf(':]', i + 2);
        if (close >= 0) {
          i = close + 2;
          continue;
        }
      }
      if (c === '(') rewrite(i, i + 1, '\\('); // keeps the package from reading `(?<` in a class as a group
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classFirst = true;
      i++;
      if (pattern[i] === '^') i++;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] !== '?') groupNames.push(undefined);
      else {
        NAMED_GROUP.lastIndex = i;
        const named = NAMED_GROUP.exec(pattern);
        if (named) groupNames.push(named[1]);
      }
    }
    i++;
  }
  return { refusal, groupNames, safeSource: out + pattern.slice(copied) };
}

/** The pattern as it should be handed to the `re2` package so RE2 sees exactly the original meaning. */
export function re2Source(pattern: string): string {
  return scan(pattern).safeSource;
}

/** Where RE2's complaint points: the translator's parser knows; else the quoted fragment's place. */
function errorOffset(pattern: string, message: string): number | undefined {
  const parsed = parseRe2(pattern);
  if (!parsed.ok) return parsed.offset;
  const colon = message.indexOf(': ');
  if (colon < 0) return undefined;
  const fragment = message.slice(colon + 2);
  // Left unparsed here: repetition counts whose product tops 1000, which RE2 finds at the outer one.
  const at = message.startsWith('invalid repetition size') ? pattern.lastIndexOf(fragment) : pattern.indexOf(fragment);
  return at >= 0 ? at : undefined;
}

/**
 * Validates a pattern with RE2; accepted exactly when RE2 accepts it. message = RE2's reason.
 * `tree`, the pattern's tree from parse.ts when the caller has it, lets RE2 be skipped where
 * its verdict is certain (re2-certain.ts).
 */
export function checkRe2(pattern: string, tree?: ParsedPattern): Re2Check {
  // The compiler asks about each pattern several times (checking, capture groups, engine choice).
  let result = checked.get(pattern);
  if (result === undefined) {
    result = checkUncached(pattern, tree);
    if (checked.size >= CHECK_CACHE_SIZE) checked.clear();
    checked.set(pattern, result);
  }
  return result;
}

const CHECK_CACHE_SIZE = 4096;
const checked = new Map<string, Re2Check>();

function checkUncached(pattern: string, tree: ParsedPattern | undefined): Re2Check {
  const scanned = scan(pattern);
  if (scanned.refusal) return { ok: false, ...scanned.refusal };
  if (tree === undefined || !re2Certain(pattern, tree)) {
    try {
      new RE2(pattern, 'u'); // the original, so RE2's message quotes what the user wrote
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, message, offset: errorOffset(pattern, message) };
    }
  }
  const groupNames = scanned.groupNames;
  return { ok: true, info: { groupCount: groupNames.length - 1, groupNames } };
}
