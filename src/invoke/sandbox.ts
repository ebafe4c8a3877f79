import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { extractZip } from '../artifact/zip-extract.js';
import { runCommand } from '../tools/run-command.js';

/**
 * Lambda's file system for one function, from the built zips: the function's zip extracted as the task root
 * (/var/task), its layers' zips extracted in order into one folder standing for /opt (a later layer's file replaces
 * an earlier one's; functions with the same layers share it where it is read-only), and per invocation a private
 * writable folder for /tmp.
 *
 * On Lambda /var/task and /opt are read-only. Here they are made read-only for the runtime process in a private
 * mount namespace (`unshare --user --map-root-user --mount`, then a read-only bind mount of each folder over
 * itself): nothing outside that process sees a change, and no privilege is needed where the kernel allows
 * unprivileged user namespaces (most Linux machines; GitHub's Ubuntu 24.04 runners restrict them through AppArmor).
 * Where it is not allowed they stay writable, and the invocation says so.
 *
 * /tmp: the process gets a fresh empty folder as TMPDIR (Python's tempfile and most libraries honour it). Code that
 * writes to the literal path /tmp still reaches the machine's /tmp, which is writable as Lambda's is.
 */
export interface Sandbox {
  root: string;
  taskRoot: string;
  opt: string;
}

export type Isolation = { readOnly: true; how: string } | { readOnly: false; why: string };

/** The layers' zips extracted in order into `opt`, as Lambda extracts them into /opt. */
export async function extractLayers(opt: string, layerZips: readonly string[]): Promise<string> {
  await mkdir(opt, { recursive: true });
  for (const zip of layerZips) await extractZip(zip, opt);
  return opt;
}

/** The function's zip extracted as the task root under `root`, beside an /opt made by extractLayers. */
export async function prepareSandbox(root: string, functionZip: string, opt: string): Promise<Sandbox> {
  const sandbox = { root, taskRoot: path.join(root, 'task'), opt };
  await mkdir(sandbox.taskRoot, { recursive: true });
  await extractZip(functionZip, sandbox.taskRoot);
  return sandbox;
}

// Each folder given is bound over itself read-only, then the runtime replaces the shell (same process id).
const MOUNT_READ_ONLY = `n=$1; shift; while [ "$n" -gt 0 ]; do mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" || exit 97; shift; n=$((n-1)); done; exec "$@"`;
const UNSHARE = ['--user', '--map-root-user', '--mount'];

/** The program and arguments that run `command` with `readOnly` folders read-only, when the isolation allows it. */
export function isolatedCommand(isolation: Isolation, readOnly: readonly string[], command: readonly string[]): [string, string[]] {
  if (!isolation.readOnly) return [command[0]!, command.slice(1)];
  return ['unshare', [...UNSHARE, 'sh', '-c', MOUNT_READ_ONLY, 'sh', String(readOnly.length), ...readOnly, ...command]];
}

let probed: Promise<Isolation> | undefined;

/** Whether this machine lets us mount read-only in a private namespace: tried once, on a real folder. */
export function probeIsolation(scratch: string): Promise<Isolation> {
  probed ??= (async () => {
    const folder = path.join(scratch, 'probe');
    await mkdir(folder, { recursive: true });
    const [program, args] = isolatedCommand(
      { readOnly: true, how: '' },
      [folder],
      ['sh', '-c', `! touch "$0/written" 2>/dev/null`, folder]
    );
    const result = await runCommand(program, args);
    if (result.ok) return { readOnly: true, how: 'read-only bind mounts in a private mount namespace (unshare)' };
    const why = result.stderr.trim().split('\n').pop() || 'the folder stayed writable';
    return { readOnly: false, why: `no private mount namespace on this machine (unshare: ${why})` };
  })();
  return probed;
}
