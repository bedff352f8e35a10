/** A seeded pseudo-random source in [0, 1): fuzz tests give the same cases on every run. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** What exec() found, as comparable JSON (an unset group shows as <unset>). */
export function showMatch(m: RegExpExecArray | null): string {
  return JSON.stringify(m && [m.index, ...m].map((x) => (x === undefined ? '<unset>' : x)));
}
