import type { BytecodeMode } from '../settings/slim-settings.js';
import type { TargetPython } from '../tools/tools.js';

/**
 * Precompiles a site folder with the runtime's own Python, naming sources as they will be deployed
 * (`deployedAt`); returns how many modules have bytecode.
 */
export async function compileBytecode(siteDir: string, mode: BytecodeMode, python: TargetPython, deployedAt: string): Promise<number> {
  if (mode === 'source') return 0;
  return python.compile(siteDir, {
    sourceless: mode === 'bytecode' || mode === 'optimized',
    optimize: mode === 'optimized' ? 2 : 0,
    deployedAt
  });
}
