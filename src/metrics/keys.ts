// Map keys for lists of strings: a series' label values, a metric's (program,
// name). Label values come from log lines, so an attacker chooses them: two
// different lists of the same length must never share a key, whatever bytes
// the strings contain.
//
// - 0 labels: the empty string.
// - 1 label: the value itself (injective, no work at all).
// - n >= 2 labels, no value containing NUL: values joined by NUL, so the key
//   holds exactly n-1 NULs.
// - otherwise: each value escaped (\u0001 -> \u0001\u0001, NUL -> \u0001\u0002,
//   so escaped values hold no NUL), joined by NUL, plus a trailing NUL: the
//   key holds exactly n NULs. Keys of the two forms differ in their count of
//   NULs, so they cannot collide; within each form the encoding is injective.

const NUL = '\u0000';

/** A key for `labels` that no other list of the same length shares. */
export function listKey(labels: readonly string[]): string {
  const n = labels.length;
  if (n === 0) return '';
  if (n === 1) return labels[0]!;
  let hasNul = false;
  for (let i = 0; i < n; i++) {
    if (labels[i]!.includes(NUL)) {
      hasNul = true;
      break;
    }
  }
  if (!hasNul) return labels.join(NUL);
  let key = '';
  for (let i = 0; i < n; i++) key += escapeValue(labels[i]!) + NUL;
  return key;
}

function escapeValue(v: string): string {
  return v.replace(/[\u0000\u0001]/g, (c) => (c === NUL ? '\u0001\u0002' : '\u0001\u0001'));
}

/** The store's id of metric `name` of `program`, shared by no other (program, name) pair. */
export function metricId(program: string, name: string): string {
  return listKey([program, name]);
}
