// What a result was measured on, so a figure can be judged and reproduced.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** Output of a read-only git command (no index refresh), or undefined outside a repository. */
function git(root, args) {
  try {
    return execFileSync('git', ['--no-optional-locks', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** CPU, cores, memory, OS, Node and V8 versions, load, and the commit measured. */
export function machineInfo(root) {
  const cpus = os.cpus();
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirty = commit === undefined ? undefined : git(root, ['status', '--porcelain', '--', 'src']) !== '';
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
    srcChangedSinceCommit: dirty,
  };
}
