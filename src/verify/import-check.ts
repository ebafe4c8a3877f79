import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Distribution } from '../artifact/distributions.js';
import { linkTrees } from '../artifact/file-tree.js';
import type { TargetPython } from '../tools/tools.js';
import { withScratchDir } from '../shared/scratch.js';
import type { ImportFailure } from '../report/report.js';

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

export interface VerifyResult {
  failures: ImportFailure[];
  /** Cold import of the handler module, in a fresh interpreter that cannot write bytecode. */
  handlerImportMs: number;
  modules: number;
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
    await linkTrees(request.layerRoots, opt);
    const site = `python/lib/python${request.python.version.split('.').slice(0, 2).join('.')}/site-packages`;
    const parsed = await request.python.importModules({
      // Lambda's order: the function, then /opt; the runtime's own site (boto3) last, when it is given.
      sysPath: [request.functionDir, path.join(opt, site), path.join(opt, 'python'), ...(request.runtimeSite ? [request.runtimeSite] : [])],
      handler: request.handlerModule,
      modules: request.modules,
      distributions: request.distributions,
      taskRoot: request.functionDir,
      workDir: scratch
    });
    return {
      failures: parsed.failures.map((f) => ({ ...f, rule: ruleBehind(f.error, request.removed) })),
      handlerImportMs: Math.round(parsed.handlerImportMs),
      modules: request.modules.length + 1
    };
  });
}
