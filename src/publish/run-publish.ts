import picomatch from 'picomatch';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { App } from '../template/app-model.js';
import type { InputSource } from '../settings/inputs.js';
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

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
/** S3's rule for bucket names (general purpose buckets). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Publish settings from action inputs or CLI flags, checked before the build. */
export function resolvePublishSettings(
  inputs: InputSource,
  settings: Pick<Settings, 'workingDirectory' | 'outDir'>,
  env: NodeJS.ProcessEnv
): PublishSettings {
  const aws = resolveAwsSettings(inputs.string('region'), env);
  const stackName = inputs.string('stack-name');
  const s3Bucket = inputs.string('s3-bucket');
  if (stackName && !STACK_NAME.test(stackName)) {
    throw new InputError(
      `${inputs.label('stack-name')} must be a CloudFormation stack name (a letter, then letters, digits and -, at most 128), got "${stackName}"`
    );
  }
  if (s3Bucket && !BUCKET.test(s3Bucket)) {
    throw new InputError(
      `${inputs.label('s3-bucket')} must be an S3 bucket name (3-63 lowercase letters, digits, . and -), got "${s3Bucket}"`
    );
  }
  const updateFunctions = inputs.boolean('update-functions') ?? false;
  const sharing = parseSharing(inputs.string('share-with-accounts'), inputs.string('share-with-organization'), {
    accounts: inputs.label('share-with-accounts'),
    organization: inputs.label('share-with-organization')
  });
  const keepVersions = parseKeepVersions(inputs.string('keep-versions'), inputs.label('keep-versions'));
  const sharesOrKeeps = sharing.accounts.length > 0 || sharing.organization !== undefined || keepVersions !== undefined;
  return {
    aws,
    ...(stackName ? { stackName } : {}),
    ...(s3Bucket ? { s3Bucket } : {}),
    manifestFile: manifestFileFor(inputs.string('manifest'), settings),
    updateFunctions,
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
export function checkPublishNames(app: App, publish: PublishSettings): void {
  for (const layer of app.layers) layerNameFor(layer, publish.stackName);
  for (const fn of app.functions) functionNameFor(fn, publish.stackName);
}

/** Publishes the layers of a build that passed (the command decides that), then updates functions and writes the manifest. */
export async function runPublish(
  app: App,
  settings: Pick<Settings, 'workingDirectory' | 'outDir'>,
  publish: PublishSettings,
  report: Report,
  env: NodeJS.ProcessEnv,
  now: Date,
  logger: Logger
): Promise<PublishResult> {
  const clients = makeAwsClients(publish.aws);
  try {
    return await publishLayers(
      clients,
      {
        app,
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
