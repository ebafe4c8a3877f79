import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Distribution } from '../artifact/distributions.js';
import { listTree } from '../artifact/file-tree.js';
import type { TargetPython } from '../tools/python-finder.js';
import { runCommand } from '../tools/run-command.js';
import { withScratchDir } from '../shared/scratch.js';

/** The top-level modules a distribution ships, from its RECORD. Pure. */
export function topLevelModules(dist: Distribution): string[] {
  const names = new Set<string>();
  for (const file of dist.files) {
    const [first = '', ...rest] = file.split('/');
    if (/\.(dist-info|data|libs)$/.test(first) || first === '__pycache__' || first === 'bin' || first === '..') continue;
    if (rest.length) names.add(first);
    else {
      const module = /^([A-Za-z_]\w*)(\.[\w-]+)*\.(py|pyc|so)$/.exec(first)?.[1];
      if (module) names.add(module);
    }
  }
  return [...names].filter((n) => /^[A-Za-z_]\w*$/.test(n)).sort();
}

export interface ImportFailure {
  module: string;
  error: string;
  /** The prune rule that removed the missing file, when one did. */
  rule?: string;
}

export interface VerifyResult {
  failures: ImportFailure[];
  /** Cold import of the handler module, in a fresh interpreter that cannot write bytecode. */
  handlerImportMs: number;
  modules: number;
}

// Lambda's order: the function, then /opt; the runtime's own site (boto3) last, when it is given.
const SCRIPT = `
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

/** Lays out the function's layers as Lambda extracts them into /opt (hard links: later layers over earlier ones). */
async function materializeOpt(layerRoots: readonly string[], opt: string): Promise<void> {
  for (const root of layerRoots) {
    for (const entry of await listTree(root)) {
      const target = path.join(opt, entry.path);
      await mkdir(path.dirname(target), { recursive: true });
      await rm(target, { force: true });
      await link(path.join(root, entry.path), target);
    }
  }
}

export interface VerifyRequest {
  python: TargetPython;
  functionDir: string;
  /** The function's layer folders, in its order. */
  layerRoots: readonly string[];
  handlerModule: string;
  modules: readonly string[];
  /** Distributions whose metadata importlib.metadata must find. */
  distributions: readonly string[];
  /** A folder holding what the runtime itself provides (boto3), or none. */
  runtimeSite?: string;
  /** Removed paths (site-relative) and their rules, over the function's layers. */
  removed: ReadonlyMap<string, string>;
}

/** The removed file an import error points at: a missing module, or a missing file under a site folder. */
export function ruleBehind(error: string, removed: ReadonlyMap<string, string>): string | undefined {
  const fromName = /cannot import name '(\w+)' from (?:partially initialized module )?'([\w.]+)'/.exec(error);
  const module = /No module named '([\w.]+)'/.exec(error)?.[1] ?? (fromName ? `${fromName[2]}.${fromName[1]}` : undefined);
  const file = /\/opt\/python\/(?:lib\/python3\.\d+\/site-packages\/)?([^'"\s]+)/.exec(error)?.[1];
  const prefixes = [module?.replaceAll('.', '/'), file].filter((p): p is string => Boolean(p));
  for (const [removedPath, rule] of removed) {
    // Stubs never decide an import.
    if (removedPath.endsWith('.pyi')) continue;
    if (prefixes.some((p) => removedPath === p || removedPath.startsWith(`${p}.`) || removedPath.startsWith(`${p}/`))) return rule;
  }
  return undefined;
}

/**
 * Imports the handler and every shipped top-level module with the runtime's Python and nothing
 * of the host: -I -S, sys.path set to the function and its layers in Lambda's order.
 */
export async function verifyImports(request: VerifyRequest): Promise<VerifyResult> {
  return withScratchDir(os.tmpdir(), 'lambda-layers-verify-', async (scratch) => {
    const opt = path.join(scratch, 'opt');
    await mkdir(opt);
    await materializeOpt(request.layerRoots, opt);
    const site = `python/lib/python${request.python.version.split('.').slice(0, 2).join('.')}/site-packages`;
    const spec = path.join(scratch, 'spec.json');
    await writeFile(
      spec,
      JSON.stringify({
        path: [request.functionDir, path.join(opt, site), path.join(opt, 'python'), ...(request.runtimeSite ? [request.runtimeSite] : [])],
        handler: request.handlerModule,
        modules: request.modules,
        distributions: request.distributions
      })
    );
    const result = await runCommand(request.python.path, ['-I', '-S', '-B', '-c', SCRIPT, spec], {
      cwd: scratch,
      env: {
        PATH: process.env['PATH'] ?? '',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        LAMBDA_TASK_ROOT: request.functionDir
      }
    });
    if (!result.ok) throw new Error(`verification could not run: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { failures: ImportFailure[]; handlerImportMs: number };
    return {
      failures: parsed.failures.map((f) => ({ ...f, rule: ruleBehind(f.error, request.removed) })),
      handlerImportMs: Math.round(parsed.handlerImportMs),
      modules: request.modules.length + 1
    };
  });
}
