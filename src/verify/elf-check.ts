import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listTree, readHead } from '../artifact/file-tree.js';
import { ElfError, isElf, parseElf, type ElfInfo } from '../elf/elf.js';
import { elfProblems } from '../elf/elf-rules.js';
import type { Platform } from '../lambda/platform.js';
import { runtimeLibraries } from '../lambda/runtime-libraries.js';

/** One part of a function's stack as Lambda extracts it: its folder, where it lands, and how to name it. */
export interface StackPart {
  mountedAt: string;
  label: string;
  /** What its folder holds, read once (readPart): a layer is read once per build, whatever uses it. */
  contents: PartContents;
}

/** A part's file names (what the stack provides to a library search) and each shared object's ELF facts. */
export interface PartContents {
  fileNames: string[];
  objects: Array<{ path: string; info: ElfInfo } | { path: string; unreadable: string }>;
}

export interface ElfCheck {
  /** Shared objects read. */
  files: number;
  /** One line each, naming the file as it will be on Lambda and the part it comes from. */
  problems: string[];
}

const SHARED_OBJECT = /\.so(\.\d+)*$/;

/** Reads every shared object under a folder (a `.so` that is not ELF is left to the import check). */
export async function readPart(root: string): Promise<PartContents> {
  const entries = await listTree(root);
  const contents: PartContents = { fileNames: entries.map((e) => path.posix.basename(e.path)), objects: [] };
  for (const entry of entries) {
    if (entry.linkTarget !== undefined || !SHARED_OBJECT.test(entry.path)) continue;
    const file = path.join(root, entry.path);
    if (!isElf(await readHead(file, 4))) continue;
    try {
      contents.objects.push({ path: entry.path, info: parseElf(await readFile(file)) });
    } catch (error) {
      if (!(error instanceof ElfError)) throw error;
      contents.objects.push({ path: entry.path, unreadable: error.message });
    }
  }
  return contents;
}

/**
 * Checks each shared object the function ships or its layers ship against the platform: CPU, glibc, and libraries
 * needed that neither the stack nor the runtime provides (not judged when `complete` is false: an external layer
 * may provide them).
 */
export function checkSharedObjects(platform: Platform, parts: readonly StackPart[], complete: boolean): ElfCheck {
  const provided = new Set(runtimeLibraries(platform));
  for (const part of parts) for (const name of part.contents.fileNames) provided.add(name);
  const target = { platform, ...(complete ? { provided } : {}) };
  const check: ElfCheck = { files: 0, problems: [] };
  for (const part of parts) {
    for (const object of part.contents.objects) {
      check.files++;
      const name = `${path.posix.join(part.mountedAt, object.path)} (${part.label})`;
      if ('unreadable' in object) check.problems.push(`${name}: not a readable ELF file: ${object.unreadable}`);
      else check.problems.push(...elfProblems(name, object.info, target));
    }
  }
  return check;
}
