import { createHash } from 'node:crypto';
import type { Platform } from '../lambda/platform.js';
import type { RequirementsFile } from './requirements.js';
import { TOOL_ID } from '../shared/tool.js';

/** Bump when the layout or processing of a build changes in a way the tool version does not capture. */
const KEY_FORMAT = 3;

/** Everything that decides the bytes of an installed set of requirements. */
export interface BuildInputs {
  tool: string; // name@version
  /** pip's version and the Python running it: they pick the releases, even with --python-version. */
  installer: string;
  platform: Platform;
  requirements: RequirementsFile;
  /** Versions fixed by the layers below (name==version), if any. */
  constraints: string[];
  /** Extra pip arguments from settings, and which sdists may be built. */
  pipArgs: string[];
  allowSdist: string[];
  /** Post-install processing (slimming, bytecode) once it exists; an opaque, stable object. */
  processing: Record<string, unknown>;
}

/** How this run installs: settled once from the config file and settings, shared by every install. */
export interface InstallOptions {
  installer: string;
  pipArgs: string[];
  allowSdist: string[];
}

/** The key of one pip install by this tool and what processes it afterwards (slimming). */
export function installKey(
  options: InstallOptions,
  platform: Platform,
  requirements: RequirementsFile,
  constraints: string[],
  processing: Record<string, unknown>
): string {
  const { installer, pipArgs, allowSdist } = options;
  return buildKey({ tool: TOOL_ID, installer, platform, requirements, constraints, pipArgs, allowSdist, processing });
}

/** A layer's key once the layers below it are built: their versions constrain and dedupe it. */
export function stackedKey(planKey: string, constraints: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([planKey, [...constraints].sort()]))
    .digest('hex')
    .slice(0, 32);
}

/** A layer's key with its own code's digest: unchanged for a layer with no code of its own. */
export function withCode(key: string, codeDigest: string | undefined): string {
  return codeDigest === undefined
    ? key
    : createHash('sha256')
        .update(JSON.stringify([key, codeDigest]))
        .digest('hex')
        .slice(0, 32);
}

/** Everything a verification depends on: the bytes it imports, in their order, and the Python importing them. */
export interface VerificationInputs {
  /** The target Python's path and full version. */
  python: { path: string; version: string };
  /** sha256 of the function's zip (its code and own dependencies). */
  functionZip: string;
  handler: string;
  /** The function's template layers in its order: build key and zip sha256 of each. */
  layers: Array<{ key: string; sha256: string }>;
  /** References of its external layers (never fetched, so only their names count). */
  external: string[];
}

/** The cache key of a function's verification. */
export function verificationKey(inputs: VerificationInputs): string {
  const canonical = {
    format: KEY_FORMAT,
    kind: 'verification',
    // The ELF check's outcome is kept with the imports' (an entry without it is another shape).
    checks: ['elf', 'imports'],
    tool: TOOL_ID,
    ...inputs,
    python: { path: inputs.python.path, version: inputs.python.version }
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

/** Everything a function's events' outcome depends on, besides what its verification depends on. */
export interface InvocationInputs {
  /** The function's verification key: its zip, handler, layers and the Python running it. */
  verification: string;
  /** awslambdaric's pinned version. */
  runtimeClient: string;
  /** The function as configured (memory, timeout, environment) and the region it is told. */
  fn: unknown;
  region: string;
  /** Whether its task root and /opt were read-only: a write there fails only then. */
  readOnly: boolean;
  /** Each event's label, expectation and sha256, in order. */
  events: Array<{ label: string; expectError: boolean; sha256: string }>;
}

/** The cache key of a function's events' outcome. */
export function invocationsKey(inputs: InvocationInputs): string {
  const canonical = { format: KEY_FORMAT, kind: 'invocations', tool: TOOL_ID, ...inputs, fn: sortKeys(inputs.fn) };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

/** A short, stable, order-insensitive hash: the cache key and the layer's identity in reports. */
export function buildKey(inputs: BuildInputs): string {
  const canonical = {
    format: KEY_FORMAT,
    tool: inputs.tool,
    installer: inputs.installer,
    runtime: inputs.platform.runtime,
    architecture: inputs.platform.architecture,
    python: inputs.platform.pythonVersion,
    abi: inputs.platform.abi,
    platformTags: inputs.platform.platformTags,
    requirements: inputs.requirements.requirements.map((r) => r.line).sort(),
    options: inputs.requirements.options,
    constraints: [...inputs.constraints].sort(),
    pipArgs: inputs.pipArgs,
    allowSdist: [...inputs.allowSdist].sort(),
    processing: sortKeys(inputs.processing)
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)])
    );
  }
  return value;
}
