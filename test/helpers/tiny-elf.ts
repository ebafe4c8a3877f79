/**
 * Real shared objects for the ELF checks, built by this machine's C compiler (cc) into a scratch folder: what
 * a wheel's extension module is, at the size of a few hundred bytes of code.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** An extension module for this machine's CPU, linked against this machine's libc. */
export async function nativeModule(dir: string, name: string): Promise<Buffer> {
  const source = path.join(dir, `${name}.c`);
  await writeFile(source, `#include <string.h>\nint PyInit_${name}(const char *s) { return (int)strlen(s); }\n`);
  const out = path.join(dir, `${name}.so`);
  execFileSync('cc', ['-shared', '-fPIC', '-o', out, source]);
  return readFile(out);
}

/**
 * A module that needs GLIBC_2.38 of libc.so.6, as one linked on a glibc 2.38 system does. This machine's glibc
 * may be older, so the provider is a stand-in libc.so.6 whose version script defines the GLIBC_2.38 node: the
 * linker writes the module's version needs (.gnu.version_r) exactly as it does against the real glibc.
 */
export async function moduleNeedingGlibc238(dir: string): Promise<Buffer> {
  await writeFile(path.join(dir, 'provider.c'), 'int memfd_secret_like(void) { return 0; }\n');
  await writeFile(path.join(dir, 'glibc.map'), 'GLIBC_2.38 { global: memfd_secret_like; local: *; };\n');
  const provider = path.join(dir, 'libc.so.6');
  execFileSync('cc', [
    '-shared',
    '-fPIC',
    '-nostdlib',
    '-o',
    provider,
    path.join(dir, 'provider.c'),
    '-Wl,--version-script=' + path.join(dir, 'glibc.map'),
    '-Wl,-soname,libc.so.6'
  ]);
  await writeFile(
    path.join(dir, 'newglibc.c'),
    'int memfd_secret_like(void);\nint PyInit_newglibc(void) { return memfd_secret_like(); }\n'
  );
  const out = path.join(dir, 'newglibc.so');
  execFileSync('cc', ['-shared', '-fPIC', '-nostdlib', '-o', out, path.join(dir, 'newglibc.c'), provider]);
  return readFile(out);
}

/** A module that needs a library by this soname (a stand-in is linked, then not shipped). */
export async function moduleNeeding(dir: string, soname: string): Promise<Buffer> {
  const provider = path.join(dir, soname);
  await writeFile(path.join(dir, 'dep.c'), 'int dep_call(void) { return 1; }\n');
  execFileSync('cc', ['-shared', '-fPIC', '-o', provider, path.join(dir, 'dep.c'), `-Wl,-soname,${soname}`]);
  await writeFile(path.join(dir, 'user.c'), 'int dep_call(void);\nint PyInit_user(void) { return dep_call(); }\n');
  const out = path.join(dir, 'user.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', out, path.join(dir, 'user.c'), provider]);
  return readFile(out);
}
