import type { LayerSpec } from '../template/app-model.js';
import { BuildError, formatLocation, InputError } from '../shared/errors.js';
import type { LayerReport } from '../report/report.js';
import { TOOL_ID } from '../shared/tool.js';
import { formatBytes } from '../shared/units.js';

/** Lambda's caps that publishing checks itself (AWS would reject late, moto not at all). */
export interface PublishLimits {
  /** Largest zip sent inline as ZipFile; larger goes through S3. */
  directUploadBytes: number;
  /** One layer, extracted. */
  unzippedBytes: number;
}

export const PUBLISH_LIMITS: PublishLimits = { directUploadBytes: 52_428_800, unzippedBytes: 262_144_000 };

/** Lambda's limit on a layer version's description. */
const DESCRIPTION_MAX = 256;

export type Upload = { kind: 'zip' } | { kind: 's3'; bucket: string; key: string };

/** Everything one layer's publish call needs, settled before any call is made. */
export interface LayerPublishPlan {
  /** The template's logical ID. */
  id: string;
  layerName: string;
  /** Absolute path of the zip. */
  zipFile: string;
  /** Hex, as the report has it. */
  sha256: string;
  /** Base64, as Lambda reports CodeSha256. */
  codeSha256: string;
  upload: Upload;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  description: string;
  licenseInfo?: string;
}

export interface PlanInput {
  spec: LayerSpec;
  layerName: string;
  report: LayerReport;
  zipFile: string;
}

export interface PlanOptions {
  bucket?: string;
  commit: string | null;
  limits?: PublishLimits;
}

export function codeSha256(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** The S3 key of a layer's zip: the hash makes it immutable and safe to upload again. */
export function s3KeyFor(layerName: string, sha256: string): string {
  return `lambda-layers/${layerName}/${sha256}.zip`;
}

export function describeVersion(buildKey: string, commit: string | null): string {
  return `${TOOL_ID} build ${buildKey}${commit ? ` commit ${commit}` : ''}`.slice(0, DESCRIPTION_MAX);
}

/**
 * Plans every layer's publish, or fails for all of them: a layer over the unzipped limit, or over the
 * direct-upload cap without a bucket, stops the run before any call, so no layer is published then.
 */
export function planPublish(layers: PlanInput[], options: PlanOptions): LayerPublishPlan[] {
  const limits = options.limits ?? PUBLISH_LIMITS;
  const overLimit: string[] = [];
  const needBucket: string[] = [];
  const plans = layers.map(({ spec, layerName, report, zipFile }): LayerPublishPlan => {
    const at = formatLocation(spec.location);
    if (report.unzippedBytes > limits.unzippedBytes) {
      overLimit.push(
        `${at}: layer ${spec.name} is ${formatBytes(report.unzippedBytes)} (${report.unzippedBytes} bytes) unzipped, ` +
          `over Lambda's ${limits.unzippedBytes} bytes`
      );
    }
    const large = report.zippedBytes > limits.directUploadBytes;
    if (large && !options.bucket) {
      needBucket.push(
        `${at}: layer ${spec.name}'s zip is ${report.zippedBytes} bytes, over the ${limits.directUploadBytes}-byte direct upload: ` +
          'set the s3-bucket input (--s3-bucket) to publish it through S3'
      );
    }
    return {
      id: spec.name,
      layerName,
      zipFile,
      sha256: report.sha256,
      codeSha256: codeSha256(report.sha256),
      upload: large && options.bucket ? { kind: 's3', bucket: options.bucket, key: s3KeyFor(layerName, report.sha256) } : { kind: 'zip' },
      compatibleRuntimes: spec.compatibleRuntimes.length ? spec.compatibleRuntimes : [spec.runtime],
      compatibleArchitectures: spec.compatibleArchitectures.length ? spec.compatibleArchitectures : [spec.architecture],
      description: describeVersion(report.buildKey, options.commit),
      ...(spec.licenseInfo !== undefined ? { licenseInfo: spec.licenseInfo } : {})
    };
  });
  const names = new Map<string, string>();
  for (const plan of plans) {
    const other = names.get(plan.layerName);
    if (other)
      throw new InputError(
        `layers ${other} and ${plan.id} both publish to the layer name "${plan.layerName}"`,
        layers.find((l) => l.spec.name === plan.id)?.spec.location
      );
    names.set(plan.layerName, plan.id);
  }
  if (needBucket.length) throw new InputError(`nothing published: ${[...needBucket, ...overLimit].join('; ')}`);
  if (overLimit.length) throw new BuildError(`nothing published: ${overLimit.join('; ')}`);
  return plans;
}
