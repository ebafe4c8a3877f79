import type { Architecture, Platform } from '../lambda/platform.js';
import { EM_AARCH64, EM_X86_64, type ElfInfo } from './elf.js';

const MACHINES: Record<Architecture, number> = { x86_64: EM_X86_64, arm64: EM_AARCH64 };
const MACHINE_NAMES: Record<number, string> = { 3: 'x86 (32-bit)', 40: 'ARM (32-bit)', [EM_X86_64]: 'x86_64', [EM_AARCH64]: 'aarch64' };
const GLIBC_VERSION = /^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$/;

/** What a shared object must fit: the platform, and the library names the stack and the runtime provide. */
export interface ElfTarget {
  platform: Platform;
  /** undefined when the stack is not fully known (an external layer): DT_NEEDED is then not judged. */
  provided?: ReadonlySet<string>;
}

const listed = (names: readonly string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')}, ...` : names.join(', '));

/**
 * Why a shared object would not load in the platform's runtime, one line each naming the file: built for
 * another CPU, needing a newer glibc than the runtime's (with the symbols that need it), or needing a library
 * nobody provides. Pure.
 */
export function elfProblems(file: string, info: ElfInfo, target: ElfTarget): string[] {
  const { platform } = target;
  const problems: string[] = [];
  const wanted = MACHINES[platform.architecture];
  if (info.machine !== wanted) {
    const built = MACHINE_NAMES[info.machine] ?? `e_machine ${info.machine}`;
    problems.push(`${file}: built for ${built}, but the function runs on ${platform.architecture} (${MACHINE_NAMES[wanted]})`);
    // Nothing else about a file for another CPU matters.
    return problems;
  }
  let newest: { minor: number; version: string; symbols: string[] } | undefined;
  for (const need of info.versionNeeds) {
    const match = GLIBC_VERSION.exec(need.version);
    if (!match || Number(match[1]) !== platform.glibc[0]) continue;
    const minor = Number(match[2]);
    if (minor > platform.glibc[1] && (!newest || minor > newest.minor)) newest = { minor, version: need.version, symbols: need.symbols };
  }
  if (newest) {
    const symbols = newest.symbols.length ? ` (${listed(newest.symbols)})` : '';
    problems.push(
      `${file}: needs ${newest.version}${symbols}, but ${platform.runtime} has glibc ${platform.glibc.join('.')}: ` +
        'use a wheel built for an older manylinux'
    );
  }
  if (target.provided) {
    for (const library of info.needed) {
      if (!target.provided.has(library)) {
        problems.push(`${file}: needs ${library}, which neither the function, its layers nor the ${platform.runtime} runtime provides`);
      }
    }
  }
  return problems;
}
