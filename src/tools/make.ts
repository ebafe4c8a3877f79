import { inheritedEnv, runCommand } from './run-command.js';
import type { Make } from './tools.js';

/** make from PATH, as aws-lambda-builders' custom_make runs it: `make --makefile M build-X` with ARTIFACTS_DIR. */
export function systemMake(env: NodeJS.ProcessEnv): Make {
  return {
    run: async (makefile, target, cwd, artifactsDir) => {
      const result = await runCommand('make', ['--makefile', makefile, target], {
        cwd,
        env: { ...inheritedEnv(env), ARTIFACTS_DIR: artifactsDir }
      });
      return { ok: result.ok, output: result.stdout + result.stderr };
    }
  };
}
