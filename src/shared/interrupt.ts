import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

// A signal ends the process without running any `finally`: the temporary paths this process made would stay
// behind (scratch folders in TMPDIR, `.work`, partial cache entries, temporary zips, the output lock). Each is
// registered here while it exists, and a SIGINT or SIGTERM removes them before exiting as a shell would.

const owned = new Set<string>();

/** The exit status of a process ended by these signals: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Runs `use` with `file` (made by this process) removed afterwards, and also if a signal ends the process meanwhile. */
export async function removedAfter<T>(file: string, use: () => Promise<T>): Promise<T> {
  owned.add(file);
  try {
    return await use();
  } finally {
    await rm(file, { recursive: true, force: true });
    owned.delete(file);
  }
}

/** Keeps `file` for removal on a signal until `release` is called (for a path kept or removed by its owner). */
export function removedOnSignal(file: string): () => void {
  owned.add(file);
  return () => owned.delete(file);
}

/** The processes below `pid`, from /proc (Linux); none where there is no /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      // The parent pid is the 2nd field after the command name, which may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length;) {
    const next = children.get(queue.shift() as number) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Removes what is registered, newest first, after stopping this process's children (so none writes after). */
export function removeOwnedNow(): number {
  for (const child of descendants(process.pid)) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const paths = [...owned].reverse();
  for (const file of paths) {
    try {
      rmSync(file, { recursive: true, force: true });
    } catch {
      // Left for the next build's cleanup of leftovers.
    }
  }
  owned.clear();
  return paths.length;
}

/** For a front door: on SIGINT or SIGTERM, remove this process's temporary paths, say so, and exit 130 or 143. */
export function exitCleanlyOnSignals(say: (line: string) => void): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.once(signal, () => {
      const removed = removeOwnedNow();
      say(`interrupted by ${signal}: stopped, ${removed} temporary path${removed === 1 ? '' : 's'} removed`);
      process.exit(code);
    });
  }
}
