import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { InputError } from '../shared/errors.js';
import { AWS_REGION } from '../lambda/names.js';

/** How to reach AWS: the region is ours to settle; credentials and the endpoint come from the SDK's own chain. */
export interface AwsSettings {
  region: string;
  /** Attempts per call, retries included (throttling, 5xx, dropped connections). */
  maxAttempts: number;
  /** An endpoint override is set (a local server): S3 then needs path-style addressing. */
  customEndpoint: boolean;
}

export interface AwsClients {
  region: string;
  lambda: LambdaClient;
  s3: S3Client;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/** The region from the input or flag, else the environment the runner (or configure-aws-credentials) set. */
export function resolveAwsSettings(region: string | undefined, env: NodeJS.ProcessEnv): AwsSettings {
  const chosen = region || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'];
  if (!chosen) {
    throw new InputError('no AWS region: set the region input (--region), or AWS_REGION as aws-actions/configure-aws-credentials does');
  }
  if (!AWS_REGION.test(chosen)) throw new InputError(`region must look like us-east-1, got "${chosen}"`);
  const attempts = Number(env['AWS_MAX_ATTEMPTS'] || DEFAULT_MAX_ATTEMPTS);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new InputError(`AWS_MAX_ATTEMPTS must be a positive integer, got "${env['AWS_MAX_ATTEMPTS']}"`);
  }
  return { region: chosen, maxAttempts: attempts, customEndpoint: Boolean(env['AWS_ENDPOINT_URL'] || env['AWS_ENDPOINT_URL_S3']) };
}

/**
 * Lambda and S3 clients. Credentials: the SDK's default chain (environment, web identity from OIDC, profiles,
 * container and instance roles). Endpoint: AWS_ENDPOINT_URL(_LAMBDA/_S3) when set, which the SDK reads itself.
 * Retries: the SDK's standard strategy, exponential backoff with jitter on throttling, 5xx and network errors.
 */
export function makeAwsClients(settings: AwsSettings): AwsClients {
  const common = {
    region: settings.region,
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard',
    // A stalled connection fails (and is retried) instead of hanging the job.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 120_000 })
  };
  return {
    region: settings.region,
    lambda: new LambdaClient(common),
    // Local servers (moto, MinIO) have no bucket subdomains; AWS itself gets virtual-hosted addressing.
    s3: new S3Client({ ...common, forcePathStyle: settings.customEndpoint })
  };
}

/** Fails early, before anything is published, when the default chain finds no credentials. */
export async function checkCredentials(clients: AwsClients): Promise<void> {
  try {
    await clients.lambda.config.credentials();
  } catch {
    // The provider's message is generic; ours says what to do. Nothing secret is echoed.
    throw new InputError(
      'no AWS credentials found: use aws-actions/configure-aws-credentials (OIDC) in the workflow, ' +
        'or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE'
    );
  }
}

export function closeAwsClients(clients: AwsClients): void {
  clients.lambda.destroy();
  clients.s3.destroy();
}
