import type { TargetPython } from '../tools/python-finder.js';
import { inheritedEnv, runCommand } from '../tools/run-command.js';
import type { BytecodeMode } from '../settings/slim-settings.js';

// unchecked-hash: /opt is read-only and immutable, so the source is never re-checked, and the
// .pyc holds a hash of its source rather than a timestamp: the same bytes on every build.
// Each .pyc names its source as it will be on Lambda (ddir: /opt/python, /var/task), not as it was
// on the build machine: tracebacks read right, and the bytes do not depend on the build folder.
// Sourceless modes write legacy .pyc beside each .py, then remove the .py it replaces; a legacy
// .pyc loads whatever the interpreter's -O level, so optimized (-OO) bytecode needs no runtime flag.
const COMPILE = `
import compileall, os, py_compile, sys
root, sourceless, optimize, deployed = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), sys.argv[4]
compileall.compile_dir(root, ddir=deployed, quiet=2, legacy=sourceless, optimize=optimize, workers=0,
    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
count = 0
for folder, _, files in os.walk(root):
    for name in files:
        if not name.endswith(".py"):
            continue
        source = os.path.join(folder, name)
        if sourceless:
            if os.path.exists(source + "c"):
                os.remove(source)
                count += 1
        elif os.path.exists(py_compile.importlib.util.cache_from_source(source)):
            count += 1
print(count)`;

/**
 * Precompiles a site folder with the runtime's own Python, naming sources as they will be deployed
 * (`deployedAt`); returns how many modules have bytecode.
 */
export async function compileBytecode(siteDir: string, mode: BytecodeMode, python: TargetPython, deployedAt: string): Promise<number> {
  if (mode === 'source') return 0;
  const sourceless = mode === 'bytecode' || mode === 'optimized';
  const optimize = mode === 'optimized' ? '2' : '0';
  const result = await runCommand(python.path, ['-I', '-S', '-c', COMPILE, siteDir, sourceless ? '1' : '0', optimize, deployedAt], {
    // Fixed, so compileall's output does not depend on the environment of the build.
    env: { ...inheritedEnv(), PYTHONHASHSEED: '0', SOURCE_DATE_EPOCH: '315532800' }
  });
  if (!result.ok) throw new Error(`compiling bytecode with ${python.path} failed: ${result.stderr.trim().split('\n').pop()}`);
  return Number(result.stdout.trim());
}
