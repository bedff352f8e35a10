/** A seeded pseudo-random source in [0, 1): fuzz tests give the same cases on every run. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    // Math.imul: the product in full would pass 2^53 and lose its low bits, and the
    // sequence would fall into a cycle of some 16,000 states.
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** What exec() found, as comparable JSON (an unset group shows as <unset>). */
export function showMatch(m: RegExpExecArray | null): string {
  return JSON.stringify(m && [m.index, ...m].map((x) => (x === undefined ? '<unset>' : x)));
}
