import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listTree, readHead } from '../artifact/file-tree.js';
import { ElfError, isElf, parseElf } from '../elf/elf.js';
import { elfProblems } from '../elf/elf-rules.js';
import type { Platform } from '../lambda/platform.js';
import { runtimeLibraries } from '../lambda/runtime-libraries.js';

/** One part of a function's stack as Lambda extracts it: its folder, where it lands, and how to name it. */
export interface StackPart {
  root: string;
  /** /var/task for the function, /opt for a layer. */
  mountedAt: string;
  label: string;
}

export interface ElfCheck {
  /** Shared objects read. */
  files: number;
  /** One line each, naming the file as it will be on Lambda and the part it comes from. */
  problems: string[];
}

const SHARED_OBJECT = /\.so(\.\d+)*$/;

/**
 * Reads every shared object the function ships or its layers ship (a `.so` that is not ELF is left to the
 * import check) and checks each against the platform: CPU, glibc, and libraries needed that neither the stack
 * nor the runtime provides (not judged when `complete` is false: an external layer may provide them).
 */
export async function checkSharedObjects(platform: Platform, parts: readonly StackPart[], complete: boolean): Promise<ElfCheck> {
  const listed = await Promise.all(parts.map(async (part) => ({ part, entries: await listTree(part.root) })));
  const provided = new Set(runtimeLibraries(platform));
  for (const { entries } of listed) for (const e of entries) provided.add(path.posix.basename(e.path));
  const target = { platform, ...(complete ? { provided } : {}) };
  const check: ElfCheck = { files: 0, problems: [] };
  for (const { part, entries } of listed) {
    for (const entry of entries) {
      if (entry.linkTarget !== undefined || !SHARED_OBJECT.test(entry.path)) continue;
      const file = path.join(part.root, entry.path);
      if (!isElf(await readHead(file, 4))) continue;
      check.files++;
      const name = `${path.posix.join(part.mountedAt, entry.path)} (${part.label})`;
      try {
        check.problems.push(...elfProblems(name, parseElf(await readFile(file)), target));
      } catch (error) {
        if (!(error instanceof ElfError)) throw error;
        check.problems.push(`${name}: not a readable ELF file: ${error.message}`);
      }
    }
  }
  return check;
}
