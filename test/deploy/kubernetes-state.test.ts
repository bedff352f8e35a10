// The DaemonSet's state directory, as a kubelet makes it: a hostPath with
// DirectoryOrCreate is created root-owned (0755), fsGroup does not apply to
// hostPath, and the pod runs as 65534. Read from the manifest: the init
// container that chowns it. Then for real, as root switching users the way the
// container runtime does: the daemon as the pod's user cannot save into the
// root-owned directory (counted in logmetrics_state_save_failures_total); after
// the init container's own command it can.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findRepoRoot } from '../differential/corpus.js';
import { runArgs, startDaemon, tempDir } from '../daemon/helpers.js';

const ROOT = findRepoRoot();

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  securityContext?: SecurityContext;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  securityContext?: SecurityContext;
  initContainers?: Container[];
  containers: Container[];
  volumes: Array<{ name: string; hostPath?: { path: string; type?: string }; emptyDir?: unknown }>;
}

function daemonSet(): PodSpec {
  const docs = parseAllDocuments(fs.readFileSync(path.join(ROOT, 'deploy', 'kubernetes', 'daemonset.yaml'), 'utf8'));
  const w = docs.map((d) => d.toJSON() as { kind: string; spec: { template: { spec: PodSpec } } }).find((d) => d.kind === 'DaemonSet');
  if (!w) throw new Error('daemonset.yaml: no DaemonSet');
  return w.spec.template.spec;
}

const PROGRAM = 'counter lines_total\n/./ {\n  lines_total++\n}\n';

t.test('the DaemonSet makes its hostPath state directory writable for the pod user', async (t) => {
  const pod = daemonSet();
  const lm = pod.containers.find((c) => c.name === 'logmetrics')!;
  const stateDir = (lm.args ?? []).find((a) => a.startsWith('--state-dir='))?.slice('--state-dir='.length);
  t.ok(stateDir, 'logmetrics runs with --state-dir');
  const mount = (lm.volumeMounts ?? []).find((m) => m.mountPath === stateDir);
  t.ok(mount && !mount.readOnly, 'the state dir is a writable mount');
  const volume = pod.volumes.find((v) => v.name === mount?.name);
  t.equal(volume?.hostPath?.type, 'DirectoryOrCreate', 'a hostPath the kubelet creates (root-owned) when missing');
  const uid = lm.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const gid = lm.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
  t.equal(uid, 65534, 'logmetrics runs as 65534');
  t.equal(gid, 65534, 'group 65534');

  const init = (pod.initContainers ?? []).find((c) => (c.volumeMounts ?? []).some((m) => m.name === mount?.name));
  t.ok(init, 'an init container mounts the state volume');
  if (!init) return;
  const initMount = init.volumeMounts!.find((m) => m.name === mount!.name)!;
  t.equal(init.image, lm.image, 'it runs the logmetrics image (nothing else to pull)');
  t.same(init.command, ['chown', `${uid}:${gid}`, initMount.mountPath], 'it chowns the mounted directory to the pod user');
  t.equal(init.securityContext?.runAsUser, 0, 'as root');
  t.equal(init.securityContext?.runAsNonRoot, false, "overriding the pod's runAsNonRoot");
  t.same(init.securityContext?.capabilities, { drop: ['ALL'], add: ['CHOWN'] }, 'with CAP_CHOWN alone');
  t.equal(init.securityContext?.allowPrivilegeEscalation, false, 'no privilege escalation');

  // For real: the directory as the kubelet creates it, the daemon as the pod's user.
  if (process.getuid?.() !== 0) {
    t.fail('this part switches users as a container runtime does: run the tests as root (CI does)');
    return;
  }
  const dir = tempDir(t, 'logmetrics-k8s-state-');
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'progs'));
  fs.writeFileSync(path.join(dir, 'progs', 'lines.mtail'), PROGRAM);
  const log = path.join(dir, 'app.log');
  fs.writeFileSync(log, '');
  const host = path.join(dir, 'host-var-lib-logmetrics');
  fs.mkdirSync(host, { mode: 0o755 }); // DirectoryOrCreate: 0755, owned by root
  const user = { uid: uid!, gid: gid! };
  const positions = path.join(host, 'tail-positions.json');
  const args = runArgs(path.join(dir, 'progs'), [log], `--state-dir=${host}`);

  const before = await startDaemon(t, args, { user });
  fs.appendFileSync(log, 'one\n');
  await before.waitForValue('lines_total', {}, 1);
  await before.waitForSamples('a failed state save', (s) => s.some((x) => x.name === 'logmetrics_state_save_failures_total' && x.value >= 1));
  t.pass('without the init container: the save fails and is counted');
  t.notOk(fs.existsSync(positions), 'and no positions are saved');
  t.equal((await before.stop()).code, 0, 'exit 0');

  const [cmd, ...cmdArgs] = init.command!.map((a) => (a === initMount.mountPath ? host : a));
  const r = spawnSync(cmd!, cmdArgs, { encoding: 'utf8' });
  t.equal(r.status, 0, `the init container's command runs: ${r.stderr}`);
  t.equal(fs.statSync(host).uid, uid, 'the directory now belongs to the pod user');

  const after = await startDaemon(t, args, { user });
  fs.appendFileSync(log, 'two\n');
  await after.waitForValue('lines_total', {}, 1);
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(positions) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  t.ok(fs.existsSync(positions), 'after it: the positions are saved');
  t.equal(await after.value('logmetrics_state_save_failures_total'), 0, 'and no failure is counted');
  t.equal((await after.stop()).code, 0, 'exit 0');
});
