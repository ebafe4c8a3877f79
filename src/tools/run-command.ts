import { getExecOutput } from '@actions/exec';
import { errorMessage } from '../shared/errors.js';

export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** The given environment (the front door's process.env), less the named variables: the base for a child's environment. */
export function inheritedEnv(env: NodeJS.ProcessEnv, without: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !without.includes(e[0])));
}

/** Runs a program to completion, quietly; a missing program is a failed result, not a throw. */
export async function runCommand(
  program: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {}
): Promise<CommandResult> {
  try {
    const result = await getExecOutput(program, args, { ignoreReturnCode: true, silent: true, ...options });
    return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    return { ok: false, stdout: '', stderr: errorMessage(error) };
  }
}
