import type { App, FunctionSpec, LayerSpec } from '../template/app-model.js';
import type { FileTexts } from '../template/app-files.js';
import { installKey, type InstallOptions } from './build-key.js';
import type { FileConfig } from '../settings/config-file.js';
import { deprecationWarning, platformFor, type Platform } from '../lambda/platform.js';
import { planStacking, type LayerStacking } from './layer-stacking.js';
import { DEFAULT_SLIM, mergeSlim, type SlimSettings } from '../settings/slim-settings.js';
import { forTarget, parseRequirements, type MarkerVerdicts, type RequirementsFile } from './requirements.js';
import { platformKey } from '../lambda/marker-environment.js';
import type { Settings } from '../settings/settings.js';

export interface LayerPlan {
  spec: LayerSpec;
  platform: Platform;
  requirements: RequirementsFile;
  key: string;
  warnings: string[];
}

export type FunctionLayerPlan = { kind: 'template'; layer: LayerPlan } | { kind: 'external'; ref: string; unzippedBytes?: number };

export interface FunctionPlan {
  spec: FunctionSpec;
  platform: Platform;
  requirements?: RequirementsFile;
  layers: FunctionLayerPlan[];
  warnings: string[];
}

/** The references of a function's layers not built here, in its order. */
export const externalLayerRefs = (plan: FunctionPlan): string[] => plan.layers.flatMap((l) => (l.kind === 'external' ? [l.ref] : []));

/** What to build, and how pip installs it (installer, pip arguments, allowed sdists). */
export interface BuildPlan extends InstallOptions {
  slim: SlimSettings;
  stacking: LayerStacking;
  layers: LayerPlan[];
  functions: FunctionPlan[];
}

function unpinnedWarning(file: RequirementsFile): string[] {
  const loose = file.requirements.filter((r) => !r.pinned).map((r) => r.line);
  return loose.length
    ? [
        `not pinned with ==: ${loose.join(', ')}; a cached build is reused until the requirements file changes, even when newer releases appear`
      ]
    : [];
}

/** Slimming as configured: the defaults, then the config file, then inputs or flags. */
export function slimSettings(config: FileConfig, settings: Settings): SlimSettings {
  return mergeSlim(mergeSlim(DEFAULT_SLIM, config.slim), settings.slim);
}

function layerNamed(byName: ReadonlyMap<string, LayerPlan>, name: string): LayerPlan {
  const layer = byName.get(name);
  if (!layer) throw new Error(`layer ${name} was discovered but not planned`);
  return layer;
}

/** Decides what to build for which platform and under which key. Pure: model and texts in, plan out. */
export function planBuild(
  app: App,
  texts: FileTexts,
  config: FileConfig,
  settings: Settings,
  installer: string,
  today: Date,
  /** What processes an install on this platform (slimming, its interpreter): part of the key. */
  processing: (platform: Platform) => Record<string, unknown> = () => ({}),
  /** Every marker of the requirements files, evaluated for each target (evaluateMarkers). */
  markers: MarkerVerdicts = new Map()
): BuildPlan {
  const install: InstallOptions = { installer, pipArgs: config.pipArgs, allowSdist: [...config.allowSdist, ...settings.allowSdist] };
  const layers = app.layers.map((spec): LayerPlan => {
    const platform = platformFor(spec.runtime, spec.architecture, spec.location);
    // Missing or empty: a layer of its own code only.
    const requirements = forTarget(
      parseRequirements(texts.get(spec.requirementsFile) ?? '', spec.requirementsFile, { allowEmpty: true }),
      markers,
      platformKey(platform)
    );
    const deprecated = deprecationWarning(platform, today);
    return {
      spec,
      platform,
      requirements,
      key: installKey(install, platform, requirements, [], processing(platform)),
      warnings: [...(deprecated ? [deprecated] : []), ...unpinnedWarning(requirements)]
    };
  });
  const byName = new Map(layers.map((l) => [l.spec.name, l]));
  const functions = app.functions.map((spec): FunctionPlan => {
    const platform = platformFor(spec.runtime, spec.architecture, spec.location);
    const text = spec.requirementsFile ? texts.get(spec.requirementsFile) : undefined;
    const parsed =
      text !== undefined && spec.requirementsFile
        ? forTarget(parseRequirements(text, spec.requirementsFile, { allowEmpty: true }), markers, platformKey(platform))
        : undefined;
    // An empty requirements.txt in a function folder (or one whose lines are all for other targets) means none of its own.
    const requirements = parsed?.requirements.length ? parsed : undefined;
    const deprecated = deprecationWarning(platform, today);
    return {
      spec,
      platform,
      requirements,
      layers: spec.layers.map((ref): FunctionLayerPlan =>
        ref.kind === 'template'
          ? { kind: 'template', layer: layerNamed(byName, ref.name) }
          : { kind: 'external', ref: ref.ref, unzippedBytes: config.externalLayers[ref.ref] }
      ),
      warnings: [...(deprecated ? [deprecated] : []), ...(requirements ? unpinnedWarning(requirements) : [])]
    };
  });
  const stacking = planStacking(
    layers.map((l) => l.spec.name),
    functions.map((f) => ({ name: f.spec.name, layers: f.layers.flatMap((l) => (l.kind === 'template' ? [l.layer.spec.name] : [])) }))
  );
  return { ...install, slim: slimSettings(config, settings), stacking, layers, functions };
}
