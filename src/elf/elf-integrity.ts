import { ElfError, parseElf, PT_LOAD } from './elf.js';

/**
 * Why a stripped file may no longer load, judged without loading it (no interpreter here runs its CPU): what the
 * loader maps must not move nor change. The program headers must be the same, and the bytes of every loadable
 * segment too, bar the ELF header, where strip rewrites the section header table's place. Stripping only drops
 * sections nothing maps (.symtab, .strtab, debug info); a tool that moves segments (as strip on patchelf'd
 * libraries in `*.libs` did, breaking their page alignment) fails here. Undefined when nothing changed. Pure.
 */
export function loadChange(before: Uint8Array, after: Uint8Array): string | undefined {
  let old, stripped;
  try {
    old = parseElf(before);
    stripped = parseElf(after);
  } catch (error) {
    if (error instanceof ElfError) return `not a readable ELF file once stripped: ${error.message}`;
    throw error;
  }
  if (old.machine !== stripped.machine || old.bits !== stripped.bits) return 'the ELF header changed';
  if (JSON.stringify(old.programHeaders) !== JSON.stringify(stripped.programHeaders)) return 'the program headers changed';
  const headerSize = old.bits === 64 ? 64 : 52;
  for (const segment of old.programHeaders.filter((p) => p.type === PT_LOAD)) {
    const start = Math.max(segment.offset, headerSize);
    const end = segment.offset + segment.filesz;
    if (end > after.length || end > before.length) return 'a loadable segment is past the end of the file';
    if (
      !Buffer.from(before.buffer, before.byteOffset + start, end - start).equals(
        Buffer.from(after.buffer, after.byteOffset + start, end - start)
      )
    )
      return `the loadable segment at offset 0x${segment.offset.toString(16)} changed`;
  }
  return undefined;
}
