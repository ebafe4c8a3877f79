import {
  PublishLayerVersionCommand,
  type Architecture,
  type LayerVersionContentInput,
  type LambdaClient,
  type Runtime
} from '@aws-sdk/client-lambda';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import type { LayerStatus } from '../rollback/manifest.js';
import { latestLayerVersion } from './latest-version.js';
import type { LayerPublishPlan } from './publish-plan.js';
import { errorMessage } from '../shared/errors.js';

export interface LayerOutcome {
  status: LayerStatus;
  /** Live after this step (null: failed and none existed). */
  arn: string | null;
  /** Latest before this step (null: none existed, or unknown because the lookup failed). */
  previousArn: string | null;
  error?: string;
}

/**
 * Publishes one layer unless its latest version already has the same zip (same SHA-256): re-running a
 * release publishes nothing. A failure becomes a `failed` outcome; it never throws.
 */
export async function publishLayer(clients: { lambda: LambdaClient; s3: S3Client }, plan: LayerPublishPlan): Promise<LayerOutcome> {
  let previousArn: string | null = null;
  try {
    const latest = await latestLayerVersion(clients.lambda, plan.layerName);
    previousArn = latest?.arn ?? null;
    if (latest?.codeSha256 === plan.codeSha256) return { status: 'unchanged', arn: latest.arn, previousArn: latest.arn };
    const zip = await readFile(plan.zipFile);
    const content = await uploadContent(clients.s3, plan, zip);
    const published = await clients.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: plan.layerName,
        Content: content,
        // As the template writes them; Lambda rejects an unknown one with a clear message.
        CompatibleRuntimes: plan.compatibleRuntimes as Runtime[],
        CompatibleArchitectures: plan.compatibleArchitectures as Architecture[],
        Description: plan.description,
        LicenseInfo: plan.licenseInfo
      })
    );
    if (!published.LayerVersionArn) throw new Error('PublishLayerVersion returned no LayerVersionArn');
    // Lambda hashes what it stored: a different hash means it did not get our zip (moto, for one, publishes a missing S3 key).
    if (published.Content?.CodeSha256 !== plan.codeSha256) {
      throw new Error(
        `published ${published.LayerVersionArn}, but Lambda's CodeSha256 ${published.Content?.CodeSha256 || '(none)'} is not the zip's ${plan.codeSha256}`
      );
    }
    return { status: 'published', arn: published.LayerVersionArn, previousArn };
  } catch (error) {
    return { status: 'failed', arn: previousArn, previousArn, error: errorMessage(error) };
  }
}

async function uploadContent(s3: S3Client, plan: LayerPublishPlan, zip: Buffer): Promise<LayerVersionContentInput> {
  if (plan.upload.kind === 'zip') return { ZipFile: zip };
  const { bucket, key } = plan.upload;
  // S3 checks the body against the hash, so a damaged upload fails here rather than as a broken layer.
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip, ChecksumSHA256: plan.codeSha256, ContentType: 'application/zip' })
  );
  return { S3Bucket: bucket, S3Key: key };
}
