import type { Limits, PackageSize } from '../lambda/limits.js';
import type { SlimLog } from '../slim/slim-log.js';
import type { ArtifactSizes } from '../artifact/measure.js';

/** Bump on any incompatible change to the JSON below; the README documents each field. */
export const REPORT_VERSION = 1;

/** The entry of a function's `packages` that sums the files no distribution installed: its own code. */
export const OWN_CODE = '(function code)';

export interface ImportFailure {
  module: string;
  error: string;
  /** The prune rule that removed the missing file, when one did. */
  rule?: string;
}

export interface LayerReport extends ArtifactSizes {
  name: string;
  layerName?: string;
  runtime: string;
  architecture: string;
  buildKey: string;
  cacheHit: boolean;
  /** What slimming did: bytes before and after, removed per rule and per package, stripping, bytecode. */
  slimming: Omit<SlimLog, 'removedPaths' | 'notes'>;
  violations: string[];
  warnings: string[];
}

export interface FunctionReport {
  name: string;
  runtime: string;
  architecture: string;
  /** Layer names (template layers) or references (external ones), in extraction order. */
  layers: string[];
  codeUnzippedBytes: number;
  totalUnzippedBytes: number;
  zippedBytes: number;
  fileCount: number;
  sha256: string;
  zipFile: string;
  packages: PackageSize[];
  /** False when the zip is over the direct-upload limit: deploy through S3 (sam deploy does). */
  directUpload: boolean;
  /** External layers whose size is unknown: totalUnzippedBytes is then a lower bound. */
  unknownLayers: string[];
  withinLimits: boolean;
  /** The handler and every shipped module imported with the runtime's Python, isolated from the host. */
  verification: {
    status: 'passed' | 'failed' | 'skipped';
    reason?: string;
    python?: string;
    modules: number;
    /** Cold import of the handler module, without writable bytecode (as on Lambda). */
    handlerImportMs?: number;
    failures: ImportFailure[];
    /** True when this result was reused: nothing it depends on changed since a check that passed. */
    cached?: boolean;
  };
  /** What slimming did to the function's own dependencies, when it has any. */
  slimming?: Omit<SlimLog, 'removedPaths' | 'notes'>;
  violations: string[];
  warnings: string[];
}

export interface Report {
  version: typeof REPORT_VERSION;
  tool: { name: string; version: string };
  /** Relative to the working directory. */
  template: string;
  limits: Limits;
  layers: LayerReport[];
  functions: FunctionReport[];
  withinLimits: boolean;
  /** No function failed verification (skipped ones do not fail). */
  verified: boolean;
  /** Resources the template has that were not built, with the reason. */
  skipped: string[];
}
