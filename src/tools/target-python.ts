import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inheritedEnv, runCommand } from './run-command.js';
import type { ImportOutcome, TargetPython } from './tools.js';

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

// dlopen with RTLD_NOW, as an import would: an ELF the loader rejects fails here.
const LOAD_CHECK = `
import ctypes, json, sys
failed = {}
for path in json.load(open(sys.argv[1])):
    try:
        ctypes.CDLL(path)
    except OSError as error:
        failed[path] = str(error)
print(json.dumps(failed))`;

// One fresh interpreter per function, not per module: the handler is imported first, cold and alone (its time is
// what a cold start pays), then every shipped top-level module in the same process, as Lambda's one process would
// hold them. An interpreter per module would re-import numpy and its kind for each of dozens of modules (seconds
// each) to catch only a module that imports solely after another one's side effect (a sys.modules patch).
const IMPORT_CHECK = `
import importlib, json, sys, time, traceback
spec = json.load(open(sys.argv[1]))
sys.path[:0] = spec["path"]
failures, started = [], time.perf_counter()
handler_ms = None
for name in [spec["handler"]] + spec["modules"]:
    try:
        importlib.import_module(name)
    except BaseException as error:
        failures.append({"module": name, "error": "".join(traceback.format_exception_only(type(error), error)).strip()})
    if handler_ms is None:
        handler_ms = (time.perf_counter() - started) * 1000
import importlib.metadata
for name in spec["distributions"]:
    try:
        importlib.metadata.version(name)
    except Exception as error:
        failures.append({"module": "metadata of " + name, "error": repr(error)})
print(json.dumps({"failures": failures, "handlerImportMs": handler_ms}))`;

const lastLines = (text: string, count: number) => text.trim().split('\n').slice(-count).join(' ');

/** What probing an interpreter told: its full version, its CPU, its bytecode's magic number (hex). */
export interface PythonIdentity {
  version: string;
  machine: string;
  magic: string;
}

/** The real interpreter at `exe`, run with nothing of the host (-I -S) but the given environment. */
export function systemPython(exe: string, identity: PythonIdentity, runsTarget: boolean, env: NodeJS.ProcessEnv): TargetPython {
  return {
    path: exe,
    ...identity,
    runsTarget,
    compile: async (siteDir, { sourceless, optimize, deployedAt }) => {
      const result = await runCommand(exe, ['-I', '-S', '-c', COMPILE, siteDir, sourceless ? '1' : '0', String(optimize), deployedAt], {
        // Fixed, so compileall's output does not depend on the environment of the build.
        env: { ...inheritedEnv(env), PYTHONHASHSEED: '0', SOURCE_DATE_EPOCH: '315532800' }
      });
      if (!result.ok) throw new Error(`compiling bytecode with ${exe} failed: ${lastLines(result.stderr, 1)}`);
      return Number(result.stdout.trim());
    },
    loadFailures: async (files, workDir) => {
      const list = path.join(workDir, 'files.json');
      await writeFile(list, JSON.stringify(files));
      const result = await runCommand(exe, ['-I', '-S', '-c', LOAD_CHECK, list], { env: inheritedEnv(env) });
      if (!result.ok) throw new Error(`load check failed: ${lastLines(result.stderr, 1)}`);
      return JSON.parse(result.stdout) as Record<string, string>;
    },
    importModules: async (request) => {
      const spec = path.join(request.workDir, 'spec.json');
      await writeFile(
        spec,
        JSON.stringify({ path: request.sysPath, handler: request.handler, modules: request.modules, distributions: request.distributions })
      );
      const result = await runCommand(exe, ['-I', '-S', '-B', '-c', IMPORT_CHECK, spec], {
        cwd: request.workDir,
        env: {
          PATH: env['PATH'] ?? '',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
          LAMBDA_TASK_ROOT: request.taskRoot
        }
      });
      if (!result.ok) throw new Error(`verification could not run: ${lastLines(result.stderr, 3)}`);
      return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as ImportOutcome;
    }
  };
}
