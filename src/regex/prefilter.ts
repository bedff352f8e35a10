import type { Node } from './ast.js';
import { parseRe2 } from './parse.js';

/** What a sub-pattern tells about the text it matches: exactly one string, and a string every match contains. */
interface LiteralInfo {
  /** The only string the node can match, or null when it can match several. */
  exact: string | null;
  /** The longest string known to occur in every match ('' when none). */
  required: string;
}

const longest = (a: string, b: string) => (b.length > a.length ? b : a);

function info(node: Node): LiteralInfo {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return { exact: '', required: '' };
    case 'literal': {
      if (node.fold) return { exact: null, required: '' };
      const s = String.fromCodePoint(node.cp);
      return { exact: s, required: s };
    }
    case 'capture':
      return info(node.body);
    case 'repeat': {
      if (node.min === 0) return { exact: node.max === 0 ? '' : null, required: '' };
      const body = info(node.body);
      if (body.exact !== null && node.min === node.max && node.min <= 64) {
        const exact = body.exact.repeat(node.min);
        return { exact, required: exact };
      }
      return { exact: null, required: body.exact ?? body.required };
    }
    case 'concat': {
      let run = '';
      let best = '';
      let exact: string | null = '';
      for (const item of node.items) {
        const i = info(item);
        if (i.exact !== null) {
          run += i.exact;
          if (exact !== null) exact += i.exact;
        } else {
          exact = null;
          best = longest(longest(best, run), i.required);
          run = '';
        }
      }
      best = longest(best, run);
      return { exact, required: exact ?? best };
    }
    case 'alternate': {
      const items = node.items.map(info);
      const first = items[0]?.exact;
      if (first !== undefined && first !== null && items.every((i) => i.exact === first)) return { exact: first, required: first };
      return { exact: null, required: '' };
    }
    default:
      return { exact: null, required: '' };
  }
}

/** Shorter literals are not worth a scan of the line before the regex runs. */
export const MIN_PREFILTER_LENGTH = 3;

/**
 * A literal that every match of the RE2 pattern contains, for a cheap
 * `line.includes(literal)` test before the regex runs; undefined when there is
 * none worth checking. A line without the literal cannot match, so skipping
 * the regex for it changes nothing.
 */
export function requiredLiteral(pattern: string): string | undefined {
  const parsed = parseRe2(pattern);
  if (!parsed.ok) return undefined;
  const { required } = info(parsed.pattern.root);
  return required.length >= MIN_PREFILTER_LENGTH ? required : undefined;
}
