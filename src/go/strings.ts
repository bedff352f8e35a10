// Go compares strings byte by byte in UTF-8; JavaScript compares UTF-16 code units. The two
// orders agree except where one string has an astral character (a surrogate pair in UTF-16,
// D800–DFFF) and the other, at the same place, a character from U+E000 to U+FFFF: UTF-8 puts
// the astral one after, UTF-16 before.

/** Go's strings.Compare(a, b): negative, 0 or positive. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  const xSurrogate = x >= 0xd800 && x <= 0xdfff;
  const ySurrogate = y >= 0xd800 && y <= 0xdfff;
  if (xSurrogate !== ySurrogate && (xSurrogate ? y : x) >= 0xe000) return xSurrogate ? 1 : -1;
  return x - y;
}
