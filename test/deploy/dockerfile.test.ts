// The Dockerfile, without Docker: this machine cannot pull base images, so the
// image itself is not built here. What can be checked is: the linter of VS
// Code's Dockerfile language server (dockerfile-utils) finds nothing; the
// parsed instructions say what the README promises (two stages on one Node
// base, a toolchain for re2 in the build, a numeric non-root USER, EXPOSE 3903,
// a HEALTHCHECK that asks /healthz with node); every COPY source is in the build
// context (and not excluded by .dockerignore) or made by the stage it comes
// from; and the build stage's files alone are enough to `npm pack` a package
// that runs, as the image's RUN does.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';
import { findRepoRoot } from '../differential/corpus.js';
import { tempDir } from '../helpers/tempdir.js';

const ROOT = findRepoRoot();
const TEXT = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(TEXT);

/** An instruction's arguments as written (continuations joined), without its keyword. */
const argText = (i: Instruction): string =>
  i
    .getTextContent()
    .replace(/\\\n/g, ' ')
    .slice(i.getKeyword().length)
    .trim();

/** Instructions grouped by stage: [FROM image, name, instructions]. */
function stages(): Array<{ image: string; name: string | null; body: Instruction[] }> {
  const args = new Map<string, string>();
  const out: Array<{ image: string; name: string | null; body: Instruction[] }> = [];
  for (const i of dockerfile.getInstructions()) {
    const kw = i.getKeyword();
    if (kw === 'ARG' && out.length === 0) {
      const [k, v] = argText(i).split('=');
      args.set(k!, v ?? '');
    } else if (kw === 'FROM') {
      const [image, as, name] = argText(i).split(/\s+/);
      out.push({ image: image!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? ''), name: as?.toUpperCase() === 'AS' ? name! : null, body: [] });
    } else {
      out.at(-1)?.body.push(i);
    }
  }
  return out;
}

/** .dockerignore's patterns, applied as Docker does for the simple forms used here (dir/, *.ext, name). */
function ignored(rel: string): boolean {
  const patterns = fs
    .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return patterns.some((p) => {
    const bare = p.replace(/\/$/, '');
    if (bare.startsWith('*')) return rel.endsWith(bare.slice(1));
    return rel === bare || rel.startsWith(bare + '/');
  });
}

t.test('dockerfile-utils finds no problem in the Dockerfile', async (t) => {
  t.same(validate(TEXT).map((d) => `${d.range.start.line + 1}: ${d.message}`), [], 'no diagnostics');
  // The linter is awake: the same file with a bad port, duration and an empty USER.
  const broken = TEXT.replace('EXPOSE 3903', 'EXPOSE 39o3').replace('--interval=30s', '--interval=30').replace('USER 65534:65534', 'USER');
  t.equal(validate(broken).length, 3, 'and it reports three planted faults');
});

t.test('the Dockerfile builds in one stage and runs in another, as a non-root user', async (t) => {
  const all = stages();
  t.equal(all.length, 2, 'two stages');
  const [build, run] = all as [(typeof all)[0], (typeof all)[0]];
  t.equal(build.name, 'build', 'the first is named build');
  t.equal(run.image, 'node:20-bookworm-slim', 'the run stage is node:20-bookworm-slim');
  t.equal(build.image, run.image, 'on the same base as the build (re2 is a native addon)');
  const runs = (s: typeof build): string => s.body.filter((i) => i.getKeyword() === 'RUN').map(argText).join('\n');
  t.match(runs(build), /apt-get install -y --no-install-recommends g\+\+ make python3/, 'the build has a C++ toolchain for re2');
  t.match(runs(build), /npm ci\b/, 'npm ci');
  t.match(runs(build), /npm pack\b/, 'npm pack (prepack builds)');
  t.match(runs(build), /npm install --global --prefix (\S+) .*\.\/logmetrics-\*\.tgz/, 'the tarball installed into a prefix');
  t.notMatch(runs(run), /apt-get|npm (ci|install)|g\+\+/, 'no toolchain or install in the run stage');

  const last = (kw: string): Instruction | undefined => run.body.filter((i) => i.getKeyword() === kw).at(-1);
  const user = last('USER') && argText(last('USER')!);
  t.match(user, /^[1-9]\d*(:\d+)?$/, `USER ${user}: numeric (Kubernetes can check runAsNonRoot) and not root`);
  const k8sUser = parseAllDocuments(fs.readFileSync(path.join(ROOT, 'deploy', 'kubernetes', 'daemonset.yaml'), 'utf8'))
    .map((d) => d.toJSON() as { kind: string; spec?: { template: { spec: { securityContext?: { runAsUser?: number } } } } })
    .find((d) => d.kind === 'DaemonSet')?.spec?.template.spec.securityContext?.runAsUser;
  t.equal(user!.split(':')[0], String(k8sUser), 'the DaemonSet runs as the same uid');
  t.equal(last('EXPOSE') && argText(last('EXPOSE')!), '3903', 'EXPOSE 3903');

  const hc = last('HEALTHCHECK');
  t.ok(hc, 'a HEALTHCHECK');
  const cmd = JSON.parse(/\bCMD\s+(\[.*\])\s*$/s.exec(argText(hc!))![1]!) as string[];
  t.equal(cmd[0], 'node', 'the health check runs node (no curl in the slim image)');
  t.match(cmd.join(' '), /http:\/\/127\.0\.0\.1:3903\/healthz/, 'it asks /healthz on the exposed port');
  // The health check's own script, run against a server that answers /healthz like ours (and one that fails).
  for (const [status, want] of [[200, 0], [503, 1]] as const) {
    const server = spawnSync(
      process.execPath,
      [
        '-e',
        `const http=require('http');const s=http.createServer((q,r)=>{r.statusCode=q.url==='/healthz'?${status}:404;r.end('ok')}).listen(0,'127.0.0.1',()=>{` +
          `const c=require('child_process').spawn(process.argv[1],${JSON.stringify(cmd.slice(1))},{env:{...process.env,LOGMETRICS_HEALTHZ_URL:'http://127.0.0.1:'+s.address().port+'/healthz'},stdio:'inherit'});` +
          `c.on('exit',(code)=>{s.close();process.exitCode=code})})`,
        process.execPath,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    t.equal(server.status, want, `health check exits ${want} when /healthz answers ${status}`);
  }

  const entry = JSON.parse(argText(last('ENTRYPOINT')!)) as string[];
  t.same(entry, ['logmetrics'], 'ENTRYPOINT is the logmetrics command');
  const env = argText(last('ENV')!);
  const prefix = /--prefix (\S+)/.exec(runs(build))![1]!;
  t.match(env, new RegExp(`PATH=${prefix}/bin:`), 'found on PATH where the build stage installed it');
  const defaults = JSON.parse(argText(last('CMD')!)) as string[];
  t.equal(defaults[0], 'run', 'the default command is run');
  const made = runs(run);
  for (const flag of ['--progs', '--state-dir']) {
    const dir = defaults.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
    t.ok(dir && made.includes(dir), `${flag}=${dir}: a directory the image creates`);
  }
  t.match(made, /chown 65534:65534 \/var\/lib\/logmetrics/, 'the state directory belongs to the image user');
});

t.test('every COPY source is in the build context or made by its stage', async (t) => {
  const all = stages();
  let copies = 0;
  for (const s of all) {
    for (const i of s.body.filter((x) => x.getKeyword() === 'COPY')) {
      copies++;
      const from = /--from=(\S+)/.exec(argText(i))?.[1];
      const parts = argText(i)
        .replace(/--\w+=\S+\s*/g, '')
        .split(/\s+/);
      const sources = parts.slice(0, -1);
      for (const src of sources) {
        if (from !== undefined) {
          const stage = all.find((x) => x.name === from);
          t.ok(stage, `COPY --from=${from}: a stage of this file`);
          const made = stage!.body.filter((x) => x.getKeyword() === 'RUN').map(argText).join('\n');
          t.ok(made.includes(src), `COPY --from=${from} ${src}: made by a RUN of that stage`);
        } else {
          const rel = src.replace(/\/$/, '');
          t.ok(fs.existsSync(path.join(ROOT, rel)), `COPY ${src}: in the repository`);
          t.notOk(ignored(rel), `COPY ${src}: not excluded by .dockerignore`);
        }
      }
    }
  }
  t.ok(copies >= 3, `${copies} COPY instructions checked`);
  for (const heavy of ['node_modules', 'dist', '.git', 'test', 'fixtures']) t.ok(ignored(heavy), `.dockerignore leaves out ${heavy}/`);
});

t.test("the build stage's files alone make a package that runs", async (t) => {
  // What the build stage copies, in a directory of its own; node_modules stands in for `npm ci`.
  const dir = tempDir(t, 'logmetrics-docker-context-');
  const build = stages()[0]!;
  for (const i of build.body.filter((x) => x.getKeyword() === 'COPY')) {
    for (const src of argText(i).split(/\s+/).slice(0, -1)) fs.cpSync(path.join(ROOT, src), path.join(dir, src), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const pack = spawnSync('npm', ['pack', '--silent'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  t.equal(pack.status, 0, `npm pack in the build context: ${pack.stderr}`);
  const tgz = pack.stdout.trim().split('\n').at(-1)!;
  t.ok(fs.existsSync(path.join(dir, tgz)), `it wrote ${tgz}`);
  const version = spawnSync(process.execPath, [path.join(dir, 'bin', 'logmetrics.js'), '--version'], { encoding: 'utf8' });
  t.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, 'the built command runs');
  const check = spawnSync(process.execPath, [path.join(dir, 'bin', 'logmetrics.js'), 'check', path.join(dir, 'programs')], { encoding: 'utf8' });
  t.equal(check.status, 0, `and checks the shipped programs: ${check.stderr}`);
});

t.test('the Kubernetes manifests run the image this Dockerfile builds', async (t) => {
  const tag = /docker build -t (\S+) \./.exec(TEXT)?.[1];
  t.ok(tag, 'the Dockerfile names its image');
  for (const file of ['daemonset.yaml', 'sidecar.yaml']) {
    const text = fs.readFileSync(path.join(ROOT, 'deploy', 'kubernetes', file), 'utf8');
    const images = [...text.matchAll(/^\s+image: (\S*logmetrics\S*)$/gm)].map((m) => m[1]);
    t.ok(images.length > 0, `${file}: runs logmetrics`);
    for (const image of images) t.equal(image, tag, `${file}: image ${image}`);
    t.match(text, /Dockerfile/, `${file}: says where the image comes from`);
  }
});
