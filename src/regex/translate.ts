// RE2 pattern → V8 RegExp source, or the reason it cannot be done exactly.
// The refusals below are the places where ECMAScript and RE2 semantics differ
// in ways a rewrite cannot fix without lookaround (which would cost V8 its
// linear-time fallback); such patterns run on re2 instead.

import { type Node, dropCaptures, isNullable, walk } from './ast.js';
import { UnresolvedSet, emitNode } from './emit-v8.js';
import { parseRe2 } from './parse.js';
import { type SetOracle, re2SetOracle } from './re2-sets.js';
import { unitRepeats } from './units.js';

export type Translation = { ok: true; source: string; flags: string } | { ok: false; reason: string };

/** Whether some capture inside node may stay unset in one match of node. */
function hasOptionalCapture(node: Node, optional = false): boolean {
  switch (node.kind) {
    case 'capture':
      return optional || hasOptionalCapture(node.body, optional);
    case 'concat':
      return node.items.some((item) => hasOptionalCapture(item, optional));
    case 'alternate':
      return node.items.some((item) => hasOptionalCapture(item, true));
    case 'repeat':
      return hasOptionalCapture(node.body, optional || node.min === 0);
    default:
      return false;
  }
}

/** Why V8 would not match exactly like RE2, or null. */
export function inexactReason(root: Node): string | null {
  let reason: string | null = null;
  let notWordBoundary = false;
  walk(root, (node) => {
    if (reason !== null) return;
    if (node.kind === 'anyByte') reason = '\\C matches single bytes of UTF-8, which V8 never sees';
    if (node.kind === 'assert') {
      if (node.assertion === 'beginLine' || node.assertion === 'endLine') {
        reason = "(?m) ^ and $: V8's multiline anchors also match around \\r, U+2028 and U+2029";
      }
      if (node.assertion === 'notWordBoundary') notWordBoundary = true;
    }
    if (node.kind === 'repeat') {
      if (node.min !== node.max && isNullable(node.body)) {
        // ECMAScript rejects an empty iteration beyond the minimum; RE2 accepts one.
        reason = 'a repeated sub-pattern that can match the empty string';
      } else if ((node.max === -1 || node.max > 1) && hasOptionalCapture(node.body)) {
        // ECMAScript clears a repeated group's captures at each iteration; RE2 keeps the last value.
        reason = 'a repeated group containing a capture that may not participate';
      }
    }
  });
  if (reason === null && notWordBoundary && isNullable(root)) {
    // V8 without `u` may report an empty \B match between the halves of a surrogate pair.
    reason = '\\B in a pattern that can match the empty string';
  }
  return reason;
}

/**
 * Translates an RE2 pattern to an equivalent V8 RegExp source+flags, or says why it cannot.
 * With `keepGroups`, only those capture groups stay groups (renumbered 1.. in their order);
 * the others become plain sub-patterns, which V8 matches faster and reports nothing for.
 */
export function translateToV8(pattern: string, oracle: SetOracle = re2SetOracle, keepGroups?: ReadonlySet<number>): Translation {
  const parsed = parseRe2(pattern);
  if (!parsed.ok) return { ok: false, reason: `not parsed by the translator: ${parsed.message} at offset ${parsed.offset}` };
  const root = keepGroups === undefined ? parsed.pattern.root : dropCaptures(parsed.pattern.root, keepGroups);
  const reason = inexactReason(root);
  if (reason !== null) return { ok: false, reason };
  try {
    return { ok: true, source: emitNode(root, oracle, unitRepeats(root, oracle)).src, flags: '' };
  } catch (e) {
    if (e instanceof UnresolvedSet) return { ok: false, reason: e.message };
    throw e;
  }
}
