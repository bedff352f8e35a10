// json() and logfmt(): fields of structured lines, "" when absent, never an error.
import t from 'tap';
import { JsonFields, LogfmtFields, parseLogfmt } from '../../src/runtime/fields.js';

t.test('json fields', async (t) => {
  const j = new JsonFields();
  const line = '{"a":{"b":[10,{"c":"x"}]},"n":1.5,"t":true,"z":null,"s":"q\\"uote","o":{"k":1},"big":12345678901}';
  const cases: Array<[string, string, string]> = [
    ['nested object and array', 'a.b.1.c', 'x'],
    ['array element', 'a.b.0', '10'],
    ['number', 'n', '1.5'],
    ['boolean', 't', 'true'],
    ['null', 'z', ''],
    ['escaped string', 's', 'q"uote'],
    ['object as JSON', 'o', '{"k":1}'],
    ['absent key', 'nope', ''],
    ['path through a scalar', 'n.x', ''],
    ['index past the end', 'a.b.5', ''],
    ['prototype names are not fields', 'constructor', ''],
  ];
  for (const [name, path, want] of cases) t.equal(j.get(line, path), want, `${name}: ${path}`);
  for (const bad of ['not json', '{"a":', '', '   ', '42', '"str"']) t.equal(j.get(bad, 'a'), '', `not an object: ${JSON.stringify(bad)}`);
  t.equal(j.get('[{"a":"first"}]', '0.a'), 'first', 'a top-level array');
  t.equal(j.get(line, 'a.b.1.c'), 'x', 'the cache follows the line');
});

t.test('logfmt fields', async (t) => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['plain pairs', 'level=info msg=hi n=3', { level: 'info', msg: 'hi', n: '3' }],
    ['quoted value with escapes', 'msg="a \\"b\\" \\\\ c\\n" x=1', { msg: 'a "b" \\ c\n', x: '1' }],
    ['bare key and empty value', 'debug a= b=2', { debug: '', a: '', b: '2' }],
    ['first occurrence wins', 'a=1 a=2', { a: '1' }],
    ['tabs and extra blanks', '\ta=1    b=2  ', { a: '1', b: '2' }],
    ['unterminated quote', 'a="open b=2', { a: 'open b=2' }],
    ['stray characters', '= "x" a=1', { x: '', a: '1' }],
  ];
  for (const [name, line, want] of cases) t.same(Object.fromEntries(parseLogfmt(line)), want, name);
  const l = new LogfmtFields();
  t.equal(l.get('level=warn', 'level'), 'warn', 'get');
  t.equal(l.get('level=warn', 'nope'), '', 'absent key');
});
