import type { Architecture, Platform } from '../lambda/platform.js';
import type { SlimSettings } from '../settings/slim-settings.js';
import type { Strip, TargetPython, Tools } from '../tools/tools.js';

/** What slimming needs from this machine: the runtimes' interpreters and strip. Found once per run. */
export interface SlimContext {
  slim: SlimSettings;
  pythonFor: (platform: Platform) => TargetPython | undefined;
  /** A strip for the platform's architecture, when slimming strips and one is installed. */
  stripFor: (platform: Platform) => Strip | undefined;
  /** Everything besides the requirements that decides the bytes slimming produces: part of every key. */
  processing: (platform: Platform) => Record<string, unknown>;
}

const platformId = (p: Platform) => `${p.runtime}/${p.architecture}`;

export async function prepareSlimContext(
  platforms: readonly Platform[],
  slim: SlimSettings,
  configured: Readonly<Record<string, string>>,
  tools: Tools
): Promise<SlimContext> {
  const pythons = new Map<string, TargetPython | undefined>();
  const strips = new Map<Architecture, { strip: Strip; version: string }>();
  for (const platform of platforms) {
    if (!pythons.has(platformId(platform))) pythons.set(platformId(platform), await tools.findPython(platform, configured));
    if (slim.enabled && slim.strip && !strips.has(platform.architecture)) {
      const strip = tools.strip(platform.architecture);
      const version = await strip.version();
      if (version !== undefined) strips.set(platform.architecture, { strip, version });
    }
  }
  const pythonFor = (platform: Platform) => pythons.get(platformId(platform));
  return {
    slim,
    pythonFor,
    stripFor: (platform) => strips.get(platform.architecture)?.strip,
    processing: (platform) => {
      const python = pythonFor(platform);
      // One on another CPU strips differently (no load check); keys of the usual case stay as they were.
      const otherCpu = python && !python.runsTarget ? { otherCpu: python.machine } : {};
      return { slim, python: python?.version ?? null, ...otherCpu, strip: strips.get(platform.architecture)?.version ?? null };
    }
  };
}
