import { inheritedEnv, runCommand } from './run-command.js';
import type { Strip } from './tools.js';

/** binutils' strip from PATH. */
export function systemStrip(env: NodeJS.ProcessEnv): Strip {
  const options = () => ({ env: inheritedEnv(env) });
  return {
    version: async () => {
      const result = await runCommand('strip', ['--version'], options());
      return result.ok ? result.stdout.split('\n')[0]?.trim() : undefined;
    },
    strip: async (file) => (await runCommand('strip', ['--strip-unneeded', file], options())).ok
  };
}
