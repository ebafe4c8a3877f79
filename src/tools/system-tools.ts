import { systemPip } from './pip.js';
import { findTargetPython } from './python-finder.js';
import { systemStrip } from './strip.js';
import { systemMake } from './make.js';
import type { Tools } from './tools.js';
import { findUv } from './uv.js';

/** The real programs, found and run in the given environment: the front doors pass process.env. */
export function systemTools(env: NodeJS.ProcessEnv): Tools {
  return {
    pip: (python) => systemPip(python, env),
    findPython: (platform, configured) => findTargetPython(platform, configured, env),
    strip: (architecture) => systemStrip(architecture, env),
    make: systemMake(env),
    uv: (python) => findUv(python, env)
  };
}
