import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { compileGlob, expandGlob, matchGlob, mayContainMatch } from '../../src/tail/glob.js';
import { tempDir } from '../helpers/tempdir.js';

// Semantics of Go's filepath.Match (what mtail uses), plus `**` for any number of directories.
const matchCases: { name: string; pattern: string; path: string; want: boolean }[] = [
  { name: 'literal path', pattern: '/var/log/syslog', path: '/var/log/syslog', want: true },
  { name: 'literal path, other file', pattern: '/var/log/syslog', path: '/var/log/syslog.1', want: false },
  { name: 'star in last segment', pattern: '/var/log/nginx/*.log', path: '/var/log/nginx/access.log', want: true },
  { name: 'star matches empty', pattern: '/l/*.log', path: '/l/.log', want: true },
  { name: 'star matches leading dot (as Go)', pattern: '/l/*', path: '/l/.hidden', want: true },
  { name: 'star does not cross /', pattern: '/var/log/*.log', path: '/var/log/nginx/access.log', want: false },
  { name: 'star in a middle segment', pattern: '/srv/*/logs/app.log', path: '/srv/a/logs/app.log', want: true },
  { name: 'question mark is one character', pattern: '/l/app.?', path: '/l/app.1', want: true },
  { name: 'question mark is not two', pattern: '/l/app.?', path: '/l/app.10', want: false },
  { name: 'question mark is one multi-byte character', pattern: '/l/?.log', path: '/l/é.log', want: true },
  { name: 'class', pattern: '/l/app.[0-9]', path: '/l/app.7', want: true },
  { name: 'class miss', pattern: '/l/app.[0-9]', path: '/l/app.x', want: false },
  { name: 'negated class with !', pattern: '/l/app.[!0-9]', path: '/l/app.x', want: true },
  { name: 'negated class with ^', pattern: '/l/app.[^0-9]', path: '/l/app.7', want: false },
  { name: 'class with several items', pattern: '/l/[abc-e]x', path: '/l/dx', want: true },
  { name: '] first in a class is literal', pattern: '/l/[]a]', path: '/l/]', want: true },
  { name: 'escaped star is literal', pattern: '/l/a\\*b', path: '/l/a*b', want: true },
  { name: 'escaped star is not a wildcard', pattern: '/l/a\\*b', path: '/l/axb', want: false },
  { name: 'unclosed [ is literal', pattern: '/l/a[b', path: '/l/a[b', want: true },
  { name: 'regex characters are literal', pattern: '/l/a+(b).log', path: '/l/a+(b).log', want: true },
  { name: 'globstar matches zero directories', pattern: '/l/**/*.log', path: '/l/x.log', want: true },
  { name: 'globstar matches many directories', pattern: '/l/**/*.log', path: '/l/a/b/c/x.log', want: true },
  { name: 'globstar does not change the last segment', pattern: '/l/**/*.log', path: '/l/a/x.txt', want: false },
  { name: 'globstar in the middle', pattern: '/l/**/logs/*.log', path: '/l/a/b/logs/x.log', want: true },
  { name: 'double star inside a segment is a star', pattern: '/l/a**b', path: '/l/axyb', want: true },
  { name: 'relative . and .. are normalised', pattern: '/l/x/../*.log', path: '/l/a.log', want: true },
];

for (const c of matchCases) {
  t.test(`match: ${c.name}`, async (t) => {
    t.equal(matchGlob(compileGlob(c.pattern), c.path), c.want);
  });
}

const baseCases: { name: string; pattern: string; base: string; depth: number | undefined }[] = [
  { name: 'literal file', pattern: '/var/log/syslog', base: '/var/log', depth: 0 },
  { name: 'glob in last segment', pattern: '/var/log/nginx/*.log', base: '/var/log/nginx', depth: 0 },
  { name: 'glob in a middle segment', pattern: '/srv/*/logs/*.log', base: '/srv', depth: 2 },
  { name: 'globstar is unbounded', pattern: '/srv/**/x.log', base: '/srv', depth: undefined },
  { name: 'relative pattern resolves against cwd', pattern: 'logs/*.log', base: '/home/u/logs', depth: 0 },
];

for (const c of baseCases) {
  t.test(`base: ${c.name}`, async (t) => {
    const g = compileGlob(c.pattern, '/home/u');
    t.equal(g.base, c.base, 'base directory');
    t.equal(g.depth, c.depth, 'depth below base');
  });
}

const containCases: { name: string; pattern: string; dir: string; want: boolean }[] = [
  { name: 'a directory on the way', pattern: '/srv/*/logs/*.log', dir: '/srv/a', want: true },
  { name: 'the last directory', pattern: '/srv/*/logs/*.log', dir: '/srv/a/logs', want: true },
  { name: 'a wrong directory name', pattern: '/srv/*/logs/*.log', dir: '/srv/a/tmp', want: false },
  { name: 'too deep', pattern: '/srv/*/logs/*.log', dir: '/srv/a/logs/x', want: false },
  { name: 'an ancestor of base', pattern: '/srv/*/logs/*.log', dir: '/', want: true },
  { name: 'unrelated', pattern: '/srv/*/logs/*.log', dir: '/etc', want: false },
  { name: 'anything under a globstar', pattern: '/srv/**/x.log', dir: '/srv/a/b/c', want: true },
];

for (const c of containCases) {
  t.test(`may contain: ${c.name}`, async (t) => {
    t.equal(mayContainMatch(compileGlob(c.pattern), c.dir), c.want);
  });
}

t.test('expandGlob lists regular files and FIFOs, not directories', async (t) => {
  const dir = tempDir(t, 'logmetrics-glob-');
  for (const p of ['a.log', 'b.log', 'c.txt', 'sub/d.log', 'sub/deeper/e.log', 'other/f.log']) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), 'x\n');
  }
  fs.mkdirSync(path.join(dir, 'dir.log'));
  execFileSync('mkfifo', [path.join(dir, 'p.log')]);
  const names = async (pattern: string): Promise<string[]> =>
    (await expandGlob(compileGlob(pattern, dir))).map((m) => `${path.relative(dir, m.path)}:${m.kind}`);

  t.same(await names('*.log'), ['a.log:file', 'b.log:file', 'p.log:fifo'], 'one level');
  t.same(await names('*/*.log'), ['other/f.log:file', 'sub/d.log:file'], 'a star directory');
  t.same(
    await names('**/*.log'),
    ['a.log:file', 'b.log:file', 'other/f.log:file', 'p.log:fifo', 'sub/d.log:file', 'sub/deeper/e.log:file'],
    'globstar',
  );
  t.same(await names('sub/deeper/e.log'), ['sub/deeper/e.log:file'], 'literal path');
  t.same(await names('missing/*.log'), [], 'missing directory');
});
