import os from 'node:os';
import type { Architecture } from '../lambda/platform.js';
import { inheritedEnv, runCommand } from './run-command.js';
import type { Strip } from './tools.js';

const HOST: Architecture | undefined = os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'arm64' : undefined;
const CROSS: Record<Architecture, string> = { x86_64: 'x86_64-linux-gnu-strip', arm64: 'aarch64-linux-gnu-strip' };

/**
 * A strip from PATH that understands the architecture's ELF files: binutils' own on a machine of that CPU,
 * else binutils for that target (x86_64-linux-gnu-strip, aarch64-linux-gnu-strip) or llvm-strip, which reads
 * every target. The first that answers --version is used; none: stripping is skipped with a note.
 */
export function systemStrip(architecture: Architecture, env: NodeJS.ProcessEnv): Strip {
  const options = () => ({ env: inheritedEnv(env) });
  const candidates = architecture === HOST ? ['strip', 'llvm-strip'] : [CROSS[architecture], 'llvm-strip'];
  let found: Promise<{ program: string; version: string } | undefined> | undefined;
  const find = () =>
    (found ??= (async () => {
      for (const program of candidates) {
        const result = await runCommand(program, ['--version'], options());
        const version = result.ok
          ? result.stdout
              .split('\n')
              .find((line) => line.trim())
              ?.trim()
          : undefined;
        if (version) return { program, version: program === 'strip' ? version : `${program}: ${version}` };
      }
      return undefined;
    })());
  return {
    version: async () => (await find())?.version,
    strip: async (files) => {
      const strip = await find();
      return strip !== undefined && (await runCommand(strip.program, ['--strip-unneeded', ...files], options())).ok;
    }
  };
}
