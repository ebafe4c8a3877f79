/**
 * A small reader of ELF shared objects (the System V gABI, https://refspecs.linuxfoundation.org/elf/gabi4+/
 * and the LSB's symbol versioning, https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/symversion.html):
 * the machine, the program headers, and from the dynamic segment the libraries needed (DT_NEEDED) and the
 * versions needed of them (.gnu.version_r, e.g. GLIBC_2.28), with the symbols that need each. Only what the
 * loader reads, so it works on stripped files. Files are hostile input: every offset is bounds-checked. Pure.
 */

export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_SYMTAB = 6;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_VERSYM = 0x6ffffff0;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;
const SHT_DYNSYM = 11;

export class ElfError extends Error {}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

/** A version needed of a library (Elf_Vernaux), and the dynamic symbols bound to it when the file lists them. */
export interface VersionNeed {
  /** The library that must provide it, e.g. libc.so.6. */
  file: string;
  /** e.g. GLIBC_2.28. */
  version: string;
  symbols: string[];
}

export interface ElfInfo {
  bits: 32 | 64;
  machine: number;
  programHeaders: ProgramHeader[];
  needed: string[];
  soname?: string;
  versionNeeds: VersionNeed[];
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Reads an ELF file's header, program headers and dynamic dependencies; an ElfError says what is malformed. */
export function parseElf(bytes: Uint8Array): ElfInfo {
  if (!isElf(bytes)) throw new ElfError('not an ELF file');
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : fail(`unknown ELF class ${bytes[4]}`);
  const little = bytes[5] === 1 ? true : bytes[5] === 2 ? false : fail(`unknown ELF data encoding ${bytes[5]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (offset: number, size: number) => {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > bytes.length) fail(`offset ${offset} is past the end of the file`);
    return offset;
  };
  const u16 = (o: number) => view.getUint16(at(o, 2), little);
  const u32 = (o: number) => view.getUint32(at(o, 4), little);
  const u64 = (o: number) => Number(view.getBigUint64(at(o, 8), little));
  const word = bits === 64 ? u64 : u32;
  const wordSize = bits === 64 ? 8 : 4;

  const machine = u16(18);
  const phoff = word(bits === 64 ? 32 : 28);
  const shoff = word(bits === 64 ? 40 : 32);
  const [phentsize, phnum, shentsize, shnum] = (bits === 64 ? [54, 56, 58, 60] : [42, 44, 46, 48]).map(u16) as [
    number,
    number,
    number,
    number
  ];

  const programHeaders: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    programHeaders.push(
      bits === 64
        ? {
            type: u32(p),
            flags: u32(p + 4),
            offset: u64(p + 8),
            vaddr: u64(p + 16),
            filesz: u64(p + 32),
            memsz: u64(p + 40),
            align: u64(p + 48)
          }
        : {
            type: u32(p),
            offset: u32(p + 4),
            vaddr: u32(p + 8),
            filesz: u32(p + 16),
            memsz: u32(p + 20),
            flags: u32(p + 24),
            align: u32(p + 28)
          }
    );
  }
  const info: ElfInfo = { bits, machine, programHeaders, needed: [], versionNeeds: [] };
  const dynamic = programHeaders.find((p) => p.type === PT_DYNAMIC);
  if (!dynamic) return info;

  // The dynamic section gives addresses; the loadable segments map them to file offsets.
  const fileOffset = (address: number) => {
    const segment = programHeaders.find((p) => p.type === PT_LOAD && address >= p.vaddr && address < p.vaddr + p.filesz);
    return segment ? segment.offset + (address - segment.vaddr) : fail(`address 0x${address.toString(16)} is in no loadable segment`);
  };
  const entries: Array<[number, number]> = [];
  for (let o = dynamic.offset; o + 2 * wordSize <= dynamic.offset + dynamic.filesz; o += 2 * wordSize) {
    const tag = word(o);
    if (tag === 0) break;
    entries.push([tag, word(o + wordSize)]);
  }
  const value = (tag: number) => entries.find(([t]) => t === tag)?.[1];
  const strtab = value(DT_STRTAB);
  if (strtab === undefined) return info;
  const strtabOffset = fileOffset(strtab);
  const strsz = value(DT_STRSZ) ?? bytes.length - strtabOffset;
  const string = (index: number) => {
    if (index >= strsz) fail(`string ${index} is past the string table`);
    const start = at(strtabOffset + index, 1);
    const end = bytes.indexOf(0, start);
    if (end < 0) fail('a string runs past the end of the file');
    return new TextDecoder('latin1').decode(bytes.subarray(start, end));
  };
  info.needed = entries.filter(([t]) => t === DT_NEEDED).map(([, v]) => string(v));
  const soname = value(DT_SONAME);
  if (soname !== undefined) info.soname = string(soname);

  const verneed = value(DT_VERNEED);
  const count = value(DT_VERNEEDNUM) ?? 0;
  if (verneed === undefined) return info;
  const byIndex = new Map<number, VersionNeed>();
  let need = fileOffset(verneed);
  for (let n = 0; n < count; n++) {
    // Elf_Verneed: vn_version, vn_cnt (u16), vn_file, vn_aux, vn_next (u32); Elf_Vernaux: hash (u32), flags, other (u16), name, next (u32).
    const file = string(u32(need + 4));
    let aux = need + u32(need + 8);
    for (let a = 0; a < u16(need + 2); a++) {
      const entry = { file, version: string(u32(aux + 8)), symbols: [] };
      info.versionNeeds.push(entry);
      byIndex.set(u16(aux + 6) & 0x7fff, entry);
      const next = u32(aux + 12);
      if (!next) break;
      aux += next;
    }
    const next = u32(need + 12);
    if (!next) break;
    need += next;
  }

  // Which symbols need which version: .gnu.version holds a version index per dynamic symbol. The symbol
  // count is only in the section headers (a file without them still has its versions checked, unnamed).
  const versym = value(DT_VERSYM);
  const symtab = value(DT_SYMTAB);
  if (versym === undefined || symtab === undefined || !shoff) return info;
  let symbols = 0;
  for (let i = 0; i < shnum; i++) {
    const s = shoff + i * shentsize;
    if (u32(s + 4) !== SHT_DYNSYM) continue;
    const [size, entsize] = bits === 64 ? [u64(s + 32), u64(s + 56)] : [u32(s + 20), u32(s + 36)];
    symbols = entsize ? size / entsize : 0;
  }
  const symOffset = fileOffset(symtab);
  const versymOffset = fileOffset(versym);
  const symSize = bits === 64 ? 24 : 16;
  for (let i = 1; i < symbols; i++) {
    const entry = byIndex.get(u16(versymOffset + 2 * i) & 0x7fff);
    // Only undefined symbols (st_shndx 0) are needed from elsewhere.
    const shndx = u16(symOffset + i * symSize + (bits === 64 ? 6 : 14));
    if (entry && shndx === 0) entry.symbols.push(string(u32(symOffset + i * symSize)));
  }
  return info;
}

function fail(message: string): never {
  throw new ElfError(message);
}
