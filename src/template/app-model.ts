import type { SourceLocation } from '../shared/errors.js';
import type { Architecture } from '../lambda/platform.js';
import type { ArtifactSource } from './artifact-source.js';
import type { BudgetSpec } from '../settings/budget-settings.js';

/** A layer the template builds from a local folder of requirements. */
export interface LayerSpec {
  /** The template's logical ID: stable, unique, what functions `!Ref`. */
  name: string;
  /** LayerName as written when it is a plain string or a `!Sub` of one (resolved at publish time). */
  layerName?: string;
  /** LicenseInfo as written (an SPDX identifier, a URL or text), set on published versions. */
  licenseInfo?: string;
  /** The ContentUri: a folder, or a .zip file when source is zip. */
  contentDir: string;
  requirementsFile: string;
  /** Set when the layer is not its folder plus requirements.txt installed by pip. */
  source?: ArtifactSource;
  runtime: string;
  architecture: Architecture;
  compatibleRuntimes: string[];
  compatibleArchitectures: Architecture[];
  /** Metadata.LambdaLayers.Budget, when the template sets one. */
  budget?: BudgetSpec;
  location: SourceLocation;
}

/** A function layer: one the template builds, or one it only references (an ARN, a parameter). */
export type LayerRef = { kind: 'template'; name: string } | { kind: 'external'; ref: string };

export interface FunctionSpec {
  name: string;
  /** FunctionName as written (plain or `!Sub`), when the template fixes the physical name. */
  functionName?: string;
  /** The CodeUri: a folder, or a .zip file when source is zip. */
  codeDir: string;
  /** Set when the function is not its folder plus requirements.txt installed by pip. */
  source?: ArtifactSource;
  handler: string;
  runtime: string;
  architecture: Architecture;
  /** In the order Lambda extracts them into /opt. */
  layers: LayerRef[];
  requirementsFile?: string;
  /** MemorySize in MB and Timeout in seconds, when the template sets them (Lambda's defaults: 128 and 3). */
  memorySize?: number;
  timeout?: number;
  /** Environment.Variables as far as they resolve; `unresolved` names the rest and why. */
  environment?: { variables: Record<string, string>; unresolved: string[] };
  /** Metadata.LambdaLayers.Budget, when the template sets one. */
  budget?: BudgetSpec;
  location: SourceLocation;
}

export interface App {
  templateFile: string;
  rootDir: string;
  layers: LayerSpec[];
  functions: FunctionSpec[];
  /** Resources left alone (S3 content, images, other languages), with the reason. */
  skipped: string[];
}
