import type { Platform } from '../lambda/platform.js';
import type { SlimSettings } from '../settings/slim-settings.js';
import type { Strip, TargetPython, Tools } from '../tools/tools.js';

/** What slimming needs from this machine: the runtimes' interpreters and strip. Found once per run. */
export interface SlimContext {
  slim: SlimSettings;
  pythonFor: (platform: Platform) => TargetPython | undefined;
  /** strip, when slimming strips and it is installed. */
  strip?: Strip;
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
  for (const platform of platforms) {
    if (!pythons.has(platformId(platform))) pythons.set(platformId(platform), await tools.findPython(platform, configured));
  }
  const strip = slim.enabled && slim.strip ? await tools.strip.version() : undefined;
  const pythonFor = (platform: Platform) => pythons.get(platformId(platform));
  return {
    slim,
    pythonFor,
    ...(strip === undefined ? {} : { strip: tools.strip }),
    processing: (platform) => {
      const python = pythonFor(platform);
      // One on another CPU strips differently (no load check); keys of the usual case stay as they were.
      const otherCpu = python && !python.runsTarget ? { otherCpu: python.machine } : {};
      return { slim, python: python?.version ?? null, ...otherCpu, strip: strip ?? null };
    }
  };
}
