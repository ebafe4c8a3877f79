import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../shared/atomic.js';
import path from 'node:path';
import { InputError, errorMessage } from '../shared/errors.js';
import { parseLayerVersionArn } from '../aws/layer-arn.js';
import { isObject, type Json } from '../shared/json.js';
import { AWS_REGION, FUNCTION_NAME, LAYER_NAME, LOGICAL_ID } from '../lambda/names.js';

/**
 * The rollback manifest: what a publish run changed, per layer and per function, so that
 * `rollback` can put the functions back. Written by publishing, read (and validated) by rollback.
 */
export const MANIFEST_VERSION = 1;

export const LAYER_STATUSES = ['published', 'unchanged', 'failed'] as const;
export type LayerStatus = (typeof LAYER_STATUSES)[number];

export interface ManifestLayer {
  layerName: string;
  status: LayerStatus;
  /** The version ARN live after this run; null when the layer failed and no version existed. */
  arn: string | null;
  /** The version ARN that was latest before this run; null on a first publish; equals arn when unchanged. */
  previousArn: string | null;
  /** Hex SHA-256 of the zip. */
  sha256: string;
  /** Only when failed. */
  error?: string;
}

export interface ManifestFunction {
  /** The physical name, or null when the template does not fix it. */
  functionName: string | null;
  /** Layer version ARNs in order, before and after this run. */
  before: string[];
  after: string[];
}

export interface RollbackManifest {
  version: typeof MANIFEST_VERSION;
  region: string;
  createdAt: string;
  commit: string | null;
  ref: string | null;
  /** By the layer's logical ID. */
  layers: Record<string, ManifestLayer>;
  /** By the function's logical ID. */
  functions: Record<string, ManifestFunction>;
}

export async function writeManifest(file: string, manifest: RollbackManifest): Promise<void> {
  await writeFileAtomically(file, JSON.stringify(manifest, null, 2) + '\n');
}

/** Reads and validates a manifest; `region` (the client's), when given, must be the manifest's. */
export async function readManifest(file: string, region?: string): Promise<RollbackManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the manifest: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`, { file });
  }
  return parseManifest(text, file, region);
}

/** Pure: text in, a valid manifest out, or an InputError naming the file and the field. */
export function parseManifest(text: string, file: string, region?: string): RollbackManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not JSON: ${errorMessage(error)}`, { file });
  }
  return validateManifest(value, file, region);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function validateManifest(value: unknown, file: string, region?: string): RollbackManifest {
  const fail = (field: string, problem: string): never => {
    throw new InputError(field ? `${field}: ${problem}` : problem, { file });
  };
  const object = (v: unknown, field: string): Json => (isObject(v) ? v : fail(field, 'expected an object'));
  const string = (v: unknown, field: string): string =>
    typeof v === 'string' && v !== '' ? v : fail(field, 'expected a non-empty string');
  const nullableString = (v: unknown, field: string): string | null => (v === null ? null : string(v, field));

  const root = object(value, '');
  if (root['version'] !== MANIFEST_VERSION) fail('version', `expected ${MANIFEST_VERSION}, got ${JSON.stringify(root['version'])}`);
  const manifestRegion = string(root['region'], 'region');
  if (!AWS_REGION.test(manifestRegion)) fail('region', `not an AWS region: "${manifestRegion}"`);
  if (region && region !== manifestRegion) fail('region', `the manifest is for ${manifestRegion}, but the region is ${region}`);
  const createdAt = string(root['createdAt'], 'createdAt');
  if (Number.isNaN(Date.parse(createdAt))) fail('createdAt', `not a date: "${createdAt}"`);
  const knownOrNull = (field: 'commit' | 'ref'): string | null =>
    field in root ? nullableString(root[field], field) : fail(field, 'missing (null when unknown)');
  const commit = knownOrNull('commit');
  const ref = knownOrNull('ref');

  /** A layer version ARN in the manifest's region (a function can only use layers of its own region). */
  const versionArn = (v: unknown, field: string): string => {
    const arn = string(v, field);
    const parsed = parseLayerVersionArn(arn) ?? fail(field, `not a layer version ARN: "${arn}"`);
    if (parsed.region !== manifestRegion) fail(field, `ARN of region ${parsed.region}, but the manifest is for ${manifestRegion}`);
    return arn;
  };
  const nullableArn = (v: unknown, field: string): string | null => (v === null ? null : versionArn(v, field));
  const arnList = (v: unknown, field: string): string[] =>
    Array.isArray(v) ? v.map((item, i) => versionArn(item, `${field}[${i}]`)) : fail(field, 'expected a list of layer version ARNs');

  /** Keys become `--parameter-overrides` names and log lines: CloudFormation logical IDs only. */
  const entries = (field: 'layers' | 'functions'): Array<[string, unknown]> =>
    Object.entries(object(root[field], field)).map(([id, raw]) =>
      LOGICAL_ID.test(id) ? [id, raw] : fail(field, `not a logical ID (letters and digits): ${JSON.stringify(id)}`)
    );

  const layers: Record<string, ManifestLayer> = {};
  for (const [id, raw] of entries('layers')) {
    const at = `layers.${id}`;
    const entry = object(raw, at);
    const layerName = string(entry['layerName'], `${at}.layerName`);
    if (!LAYER_NAME.test(layerName)) fail(`${at}.layerName`, `not a Lambda layer name: "${layerName}"`);
    const status = entry['status'];
    if (!LAYER_STATUSES.includes(status as LayerStatus))
      fail(`${at}.status`, `expected one of ${LAYER_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    const arn = nullableArn(entry['arn'], `${at}.arn`);
    const previousArn = nullableArn(entry['previousArn'], `${at}.previousArn`);
    for (const [field, versionArnValue] of [
      ['arn', arn],
      ['previousArn', previousArn]
    ] as const) {
      const name = versionArnValue && parseLayerVersionArn(versionArnValue)?.layerName;
      if (name && name !== layerName) fail(`${at}.${field}`, `names layer ${name}, not ${layerName}`);
    }
    if (arn === null && status !== 'failed') fail(`${at}.arn`, `null, but the layer is ${String(status)}`);
    if (status === 'unchanged' && previousArn !== arn) fail(`${at}.previousArn`, 'must equal arn when the layer is unchanged');
    const sha256 = string(entry['sha256'], `${at}.sha256`);
    if (!SHA256_HEX.test(sha256)) fail(`${at}.sha256`, 'expected 64 lowercase hex digits');
    const layer: ManifestLayer = { layerName, status: status as LayerStatus, arn, previousArn, sha256 };
    if (status === 'failed') layer.error = string(entry['error'], `${at}.error`);
    layers[id] = layer;
  }

  const functions: Record<string, ManifestFunction> = {};
  for (const [id, raw] of entries('functions')) {
    const at = `functions.${id}`;
    const entry = object(raw, at);
    const functionName = nullableString(entry['functionName'], `${at}.functionName`);
    if (functionName !== null && !FUNCTION_NAME.test(functionName))
      fail(`${at}.functionName`, `not a Lambda function name: ${JSON.stringify(functionName)}`);
    functions[id] = {
      functionName,
      before: arnList(entry['before'], `${at}.before`),
      after: arnList(entry['after'], `${at}.after`)
    };
  }

  return {
    version: MANIFEST_VERSION,
    region: manifestRegion,
    createdAt,
    commit,
    ref,
    layers,
    functions
  };
}

/** The manifest's file name in the output folder, unless an input names another file. */
const MANIFEST_FILE_NAME = 'rollback-manifest.json';

/** The manifest input or flag (relative to the working directory), else `<out>/rollback-manifest.json`. */
export function manifestFileFor(given: string | undefined, dirs: { workingDirectory: string; outDir: string }): string {
  return given ? path.resolve(dirs.workingDirectory, given) : path.join(dirs.outDir, MANIFEST_FILE_NAME);
}
