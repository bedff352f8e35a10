import t from 'tap';
import { compareGoStrings } from '../../src/go/strings.js';
import { lcg } from '../helpers/random.js';

/** Go's order: the UTF-8 bytes, compared as bytes. */
const byteOrder = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

t.test('compareGoStrings orders as UTF-8 bytes, where UTF-16 units disagree', async (t) => {
  const cases: [name: string, a: string, b: string, want: number][] = [
    ['equal', 'abc', 'abc', 0],
    ['prefix first', 'ab', 'abc', -1],
    ['ASCII', 'abc', 'abd', -1],
    ['U+FF71 before an astral character (UTF-16 says after)', '\uff71', '😀', -1],
    ['an astral character after U+E000', '😀', '\ue000', 1],
    ['U+FFFD before an astral character', '\ufffd', '😀', -1],
    ['U+D7FF before an astral character, as in UTF-16', '\ud7ff', '😀', -1],
    ['two astral characters', '😀', '😁', -1],
    ['after a common prefix', 'x\uff71', 'x😀', -1],
  ];
  for (const [name, a, b, want] of cases) {
    t.equal(Math.sign(compareGoStrings(a, b)), want, name);
    t.equal(Math.sign(compareGoStrings(b, a)), -want, `${name}, reversed`);
    t.equal(byteOrder(a, b), want, `${name}: the UTF-8 bytes agree`);
  }
});

t.test('compareGoStrings equals the byte order on random strings', async (t) => {
  const pool = ['a', 'z', '~', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uff71', '\ufffd', '\uffff', '😀', '😁', '\u{10000}', '\u{10ffff}'];
  const next = lcg(20261203);
  const word = (): string => {
    let s = '';
    const n = Math.floor(next() * 4);
    for (let i = 0; i < n; i++) s += pool[Math.floor(next() * pool.length) % pool.length];
    return s;
  };
  let wrong = 0;
  for (let i = 0; i < 20_000; i++) {
    const a = word();
    const b = word();
    if (Math.sign(compareGoStrings(a, b)) !== byteOrder(a, b)) wrong++;
  }
  t.equal(wrong, 0, '20,000 pairs');
});
