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

/**
 * Wall-clock milliseconds a layer or function spent in each phase of this build (a phase that did not run
 * is absent). Measured on the build machine; they explain a build's time, they are never compared as sizes.
 */
export type Timings = Partial<Record<Phase, number>>;
/**
 * In the order a build runs them. `install` is pip resolving, downloading and installing in one process;
 * `prune` also lists the folder and rewrites the RECORD files; `strip` includes loading each stripped file once.
 */
export const PHASES = [
  'cacheRestore',
  'resolve',
  'install',
  'prune',
  'strip',
  'link',
  'bytecode',
  'zip',
  'verify',
  'invoke',
  'cacheSave'
] as const;
export type Phase = (typeof PHASES)[number];

/** An unzipped-size (or cold-start) budget from the config file or the resource's Metadata, and how the build stands against it. */
export interface Budget {
  /** Bytes for a size budget, milliseconds for a cold-start one. */
  limit: number;
  measured: number;
  /** measured / limit, in percent, rounded to one decimal. */
  percent: number;
  over: boolean;
  /** What being over does: a warning, or a failed build. */
  onOver: 'warn' | 'fail';
}

/** One event run through the built function with Lambda's runtime interface client, in a fresh process. */
export interface InvocationResult {
  /** The event file, relative to the working directory. */
  event: string;
  /** passed: it answered (or failed, when marked expected to fail); failed: anything else. */
  status: 'passed' | 'failed';
  expectedToFail?: boolean;
  /** Lambda's REPORT figures, measured on the build machine. */
  initDurationMs?: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Lambda's error shape when the function failed (Runtime.ImportModuleError, Sandbox.Timedout, ...). */
  errorType?: string;
  errorMessage?: string;
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
  timings?: Timings;
  /** The layer's unzipped size against its budget, when one is set. */
  budget?: Budget;
  violations: string[];
  warnings: string[];
}

export type VerificationLevel = 'target-cpu' | 'elf-only' | 'none';
export const VERIFICATION_LEVELS: readonly VerificationLevel[] = ['target-cpu', 'elf-only', 'none'];

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
    /**
     * How far the function was verified: imports run on the target CPU (natively or emulated), its shared
     * objects checked at the ELF level only (no interpreter here runs that CPU), or not at all.
     */
    level?: VerificationLevel;
    /** Every shared object of the stack read as ELF: its CPU, the glibc it needs, the libraries it needs. */
    elf?: { files: number; problems: string[] };
  };
  /** What slimming did to the function's own dependencies, when it has any. */
  slimming?: Omit<SlimLog, 'removedPaths' | 'notes'>;
  /** The function's events run as Lambda runs them; absent when invoking was not asked for or not possible. */
  invocations?: {
    status: 'ran' | 'none' | 'skipped';
    /** Why nothing ran (no events found, verification failed, no runtime client for this CPU). */
    reason?: string;
    results: InvocationResult[];
    /** True when these results were reused: nothing they depend on changed since a run in which all passed. */
    cached?: boolean;
  };
  /** The template's MemorySize (MB, 128 when unset); absent when known only at deploy time. */
  memorySizeMB?: number;
  budgets?: {
    /** Code plus layers, unzipped, against the function's size budget. */
    unzippedBytes?: Budget;
    /** The slowest event's Init Duration against the function's cold-start budget. */
    coldStartMs?: Budget;
  };
  timings?: Timings;
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
  /** What installed the requirements: "pip 23.2.1 (python 3.11)", "uv 0.13.9" (absent in reports before it was recorded). */
  installer?: string;
  /** An event's Max Memory Used at or above this share of MemorySize is warned about (the config file's memoryWarnPercent). */
  memoryWarnPercent?: number;
  /** The whole build's wall-clock milliseconds (the per-phase split is on each layer and function). */
  totalMs?: number;
}
