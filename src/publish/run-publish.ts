import picomatch from 'picomatch';
import { BuildError, InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { readTemplateApp } from '../build/pipeline.js';
import type { Report } from '../report/report.js';
import { inheritedEnv, runCommand } from '../tools/run-command.js';
import type { Settings } from '../settings/settings.js';
import { closeAwsClients, makeAwsClients, resolveAwsSettings, type AwsSettings } from '../aws/aws-clients.js';
import type { LayerPolicies } from './layer-policies.js';
import { manifestFileFor } from '../rollback/manifest.js';
import { functionNameFor, layerNameFor } from './physical-names.js';
import { publishLayers, type PublishResult } from './publish-layers.js';
import { parseKeepVersions } from './retention.js';
import { parseSharing } from './sharing.js';

/** What publishing needs on top of the build's settings, from action inputs or CLI flags. */
export interface PublishSettings {
  /** The region (input, else AWS_REGION / AWS_DEFAULT_REGION) and retries, settled before the build. */
  aws: AwsSettings;
  /** Resolves `${AWS::StackName}` in LayerName and FunctionName. */
  stackName?: string;
  /** Where zips over the direct-upload cap go. */
  s3Bucket?: string;
  manifestFile: string;
  updateFunctions: boolean;
  /** Sharing and retention after each layer's publish; absent when neither is asked for. */
  policies?: LayerPolicies;
}

export interface RawPublishSettings {
  region?: string;
  stackName?: string;
  s3Bucket?: string;
  manifest?: string;
  updateFunctions?: string;
  keepVersions?: string;
  shareWithAccounts?: string;
  shareWithOrganization?: string;
}

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
/** S3's rule for bucket names (general purpose buckets). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `names` are the input or flag names for messages (the action and the CLI spell them differently). */
export function resolvePublishSettings(
  raw: RawPublishSettings,
  settings: Pick<Settings, 'workingDirectory' | 'outDir'>,
  env: NodeJS.ProcessEnv,
  names: Record<keyof RawPublishSettings, string>
): PublishSettings {
  const aws = resolveAwsSettings(raw.region, env);
  if (raw.stackName && !STACK_NAME.test(raw.stackName)) {
    throw new InputError(
      `${names.stackName} must be a CloudFormation stack name (a letter, then letters, digits and -, at most 128), got "${raw.stackName}"`
    );
  }
  if (raw.s3Bucket && !BUCKET.test(raw.s3Bucket)) {
    throw new InputError(`${names.s3Bucket} must be an S3 bucket name (3-63 lowercase letters, digits, . and -), got "${raw.s3Bucket}"`);
  }
  if (raw.updateFunctions && raw.updateFunctions !== 'true' && raw.updateFunctions !== 'false') {
    throw new InputError(`${names.updateFunctions} must be true or false, got "${raw.updateFunctions}"`);
  }
  const sharing = parseSharing(raw.shareWithAccounts, raw.shareWithOrganization, {
    accounts: names.shareWithAccounts,
    organization: names.shareWithOrganization
  });
  const keepVersions = parseKeepVersions(raw.keepVersions, names.keepVersions);
  const sharesOrKeeps = sharing.accounts.length > 0 || sharing.organization !== undefined || keepVersions !== undefined;
  return {
    aws,
    ...(raw.stackName ? { stackName: raw.stackName } : {}),
    ...(raw.s3Bucket ? { s3Bucket: raw.s3Bucket } : {}),
    manifestFile: manifestFileFor(raw.manifest, settings),
    updateFunctions: raw.updateFunctions === 'true',
    ...(sharesOrKeeps ? { policies: keepVersions === undefined ? { sharing } : { sharing, keepVersions } } : {})
  };
}

/** Whether a run publishes on its own: a push of a tag matching `publishOn` (a glob; empty: never). */
export function isReleaseRun(publishOn: string, env: NodeJS.ProcessEnv): boolean {
  const ref = env['GITHUB_REF'] ?? '';
  if (!publishOn || !ref.startsWith('refs/tags/')) return false;
  return picomatch(publishOn)(ref.slice('refs/tags/'.length));
}

/** The commit being released: the runner's GITHUB_SHA, else the repository's HEAD, else unknown. */
async function releasedCommit(workingDirectory: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env['GITHUB_SHA']) return env['GITHUB_SHA'];
  const head = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: workingDirectory, env: inheritedEnv(env) });
  return head.ok ? head.stdout.trim() || null : null;
}

/** Settles every layer and function name before the build: a missing stack name or a bad name fails fast. */
export async function checkPublishNames(settings: Settings, publish: PublishSettings): Promise<void> {
  const app = await readTemplateApp(settings);
  for (const layer of app.layers) layerNameFor(layer, publish.stackName);
  for (const fn of app.functions) functionNameFor(fn, publish.stackName);
}

/** Publishing for both front doors, after a build: only a build within the limits that verified is published. */
export async function runPublish(
  settings: Settings,
  publish: PublishSettings,
  report: Report,
  env: NodeJS.ProcessEnv,
  now: Date,
  logger: Logger
): Promise<PublishResult> {
  if (!report.withinLimits || !report.verified) {
    throw new BuildError(`nothing published: the build is ${report.withinLimits ? 'not verified' : 'over the Lambda limits'} (see above)`);
  }
  const clients = makeAwsClients(publish.aws);
  try {
    return await publishLayers(
      clients,
      {
        app: await readTemplateApp(settings),
        report,
        outDir: settings.outDir,
        stackName: publish.stackName,
        s3Bucket: publish.s3Bucket,
        manifestFile: publish.manifestFile,
        updateFunctions: publish.updateFunctions,
        policies: publish.policies,
        commit: await releasedCommit(settings.workingDirectory, env),
        ref: env['GITHUB_REF'] || null,
        now
      },
      logger
    );
  } finally {
    closeAwsClients(clients);
  }
}
