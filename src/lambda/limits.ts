import { formatBytes, formatCount } from '../shared/units.js';

/** Lambda's quotas; each can be overridden in the config file. */
export interface Limits {
  /** Function code plus all its layers, extracted. */
  unzippedBytes: number;
  /** Largest zip for a direct (ZipFile) upload; larger goes through S3. */
  directUploadZippedBytes: number;
  maxLayers: number;
}

export const LAMBDA_LIMITS: Limits = {
  unzippedBytes: 262_144_000,
  directUploadZippedBytes: 52_428_800,
  maxLayers: 5
};

/** A function's MemorySize when its template sets none. */
export const DEFAULT_MEMORY_MB = 128;

export interface PackageSize {
  name: string;
  version: string;
  bytes: number;
}

/** One part of a function's unzipped total: its own code or one of its layers (size unknown for some external ones). */
export interface Component {
  label: string;
  unzippedBytes: number | undefined;
  packages: PackageSize[];
}

export interface FunctionCheck {
  totalUnzippedBytes: number;
  /** Components whose size is unknown: the total is then a lower bound. */
  unknown: string[];
  directUpload: boolean;
  violations: string[];
}

/** The largest packages across components, each with the component it is in (one package can be in two layers). */
export function largestPackages(components: Component[], count = 5): Array<PackageSize & { in: string }> {
  return components
    .flatMap((c) => c.packages.map((p) => ({ ...p, in: c.label })))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, count);
}

function describeLargest(components: Component[]): string {
  const label = components.length > 1;
  return (
    largestPackages(components)
      .map((p) => `${p.name} ${formatBytes(p.bytes)}${label ? ` (${p.in})` : ''}`)
      .join(', ') || 'none'
  );
}

function describeComponents(components: Component[]): string {
  return components.map((c) => `${c.label} ${c.unzippedBytes === undefined ? 'size unknown' : formatBytes(c.unzippedBytes)}`).join(', ');
}

function exact(bytes: number): string {
  return `${formatBytes(bytes)} (${formatCount(bytes)} bytes)`;
}

/** Checks one function against the limits. Pure: sizes in, verdict and messages out. */
export function checkFunction(
  name: string,
  components: Component[],
  zippedBytes: number,
  layerCount: number,
  limits: Limits
): FunctionCheck {
  const totalUnzippedBytes = components.reduce((sum, c) => sum + (c.unzippedBytes ?? 0), 0);
  const unknown = components.filter((c) => c.unzippedBytes === undefined).map((c) => c.label);
  const violations: string[] = [];
  if (totalUnzippedBytes > limits.unzippedBytes) {
    violations.push(
      `function ${name} is ${exact(totalUnzippedBytes)} unzipped, over the limit of ${exact(limits.unzippedBytes)} ` +
        `by ${exact(totalUnzippedBytes - limits.unzippedBytes)}. Components: ${describeComponents(components)}. ` +
        `Largest packages: ${describeLargest(components)}`
    );
  }
  if (layerCount > limits.maxLayers) {
    violations.push(`function ${name} uses ${layerCount} layers; Lambda allows at most ${limits.maxLayers}`);
  }
  return {
    totalUnzippedBytes,
    unknown,
    directUpload: zippedBytes <= limits.directUploadZippedBytes,
    violations
  };
}

/** A single layer over the unzipped limit cannot even be published. */
export function checkLayer(name: string, unzippedBytes: number, packages: PackageSize[], limits: Limits): string[] {
  if (unzippedBytes <= limits.unzippedBytes) return [];
  return [
    `layer ${name} alone is ${exact(unzippedBytes)} unzipped, over the limit of ${exact(limits.unzippedBytes)} ` +
      `by ${exact(unzippedBytes - limits.unzippedBytes)}. Largest packages: ${describeLargest([{ label: name, unzippedBytes, packages }])}`
  ];
}
