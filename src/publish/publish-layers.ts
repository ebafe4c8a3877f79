import path from 'node:path';
import type { App } from '../template/app-model.js';
import type { Logger } from '../shared/logger.js';
import type { Report } from '../report/report.js';
import { checkCredentials, type AwsClients } from '../aws/aws-clients.js';
import { currentFunctionLayers, setFunctionLayers } from '../aws/function-config.js';
import { functionLayerLists, usesOurLayers } from './function-layers.js';
import { applyLayerPolicies, type LayerPolicies } from './layer-policies.js';
import { MANIFEST_VERSION, writeManifest, type ManifestFunction, type ManifestLayer, type RollbackManifest } from '../rollback/manifest.js';
import { functionNameFor, layerNameFor } from './physical-names.js';
import { publishLayer } from './publish-layer.js';
import { planPublish, type PlanInput, type PublishLimits } from './publish-plan.js';
import { errorMessage } from '../shared/errors.js';

export interface PublishRequest {
  app: App;
  /** The build's report: per layer the zip (relative to outDir), its hash and sizes. */
  report: Report;
  outDir: string;
  stackName?: string;
  s3Bucket?: string;
  manifestFile: string;
  /** Point each function the template names at the new versions (UpdateFunctionConfiguration). */
  updateFunctions: boolean;
  /** Sharing and retention, applied to each layer that did not fail. */
  policies?: LayerPolicies;
  commit: string | null;
  ref: string | null;
  now: Date;
  limits?: PublishLimits;
}

export interface PublishResult {
  manifest: RollbackManifest;
  /** Layer name → version ARN live after the run (failed layers left out). */
  layerArns: Record<string, string>;
  /** Layer name → version ARN that was latest before the run (first publishes left out). */
  previousLayerArns: Record<string, string>;
  /** What failed (layers, function updates); empty when everything went through. */
  failures: string[];
}

/**
 * Publishes every layer of a build, skipping those whose latest version has the same zip. Everything that
 * can be checked is checked before the first call; after that one layer failing does not stop the others:
 * the manifest records exactly what happened and the caller fails at the end. A re-run publishes only
 * what is still missing.
 */
export async function publishLayers(clients: AwsClients, request: PublishRequest, logger: Logger): Promise<PublishResult> {
  const { app, report } = request;
  const inputs: PlanInput[] = report.layers.flatMap((layerReport) => {
    const spec = app.layers.find((l) => l.name === layerReport.name);
    return spec
      ? [
          {
            spec,
            layerName: layerNameFor(spec, request.stackName),
            report: layerReport,
            zipFile: path.resolve(request.outDir, layerReport.zipFile)
          }
        ]
      : [];
  });
  const plans = planPublish(inputs, { bucket: request.s3Bucket, commit: request.commit, limits: request.limits });
  const functionNames = new Map(app.functions.map((fn) => [fn.name, functionNameFor(fn, request.stackName)]));
  await checkCredentials(clients);

  const failures: string[] = [];
  const layers: Record<string, ManifestLayer> = {};
  for (const plan of plans) {
    const outcome = await publishLayer(clients, plan);
    layers[plan.id] = { layerName: plan.layerName, ...outcome, sha256: plan.sha256 };
    const via = plan.upload.kind === 's3' ? ` through s3://${plan.upload.bucket}/${plan.upload.key}` : '';
    if (outcome.status === 'published')
      logger.info(
        `layer ${plan.id}: published ${outcome.arn}${via}${outcome.previousArn ? ` (previous ${outcome.previousArn})` : ' (first version)'}`
      );
    else if (outcome.status === 'unchanged') logger.info(`layer ${plan.id}: unchanged, ${outcome.arn} has the same zip`);
    else {
      failures.push(`layer ${plan.id} (${plan.layerName}): ${outcome.error}`);
      logger.error(
        `layer ${plan.id} (${plan.layerName}): publish failed: ${outcome.error}`,
        app.layers.find((l) => l.name === plan.id)?.location
      );
    }
    if (request.policies && outcome.status !== 'failed' && outcome.arn) {
      failures.push(
        ...(await applyLayerPolicies(
          clients.lambda,
          { layerName: plan.layerName, arn: outcome.arn, previousArn: outcome.previousArn },
          request.policies,
          logger
        ))
      );
    }
  }

  const versions = new Map(Object.entries(layers));
  const functions: Record<string, ManifestFunction> = {};
  const live = new Map<string, string[]>();
  for (const fn of app.functions.filter((f) => usesOurLayers(f, versions))) {
    const functionName = functionNames.get(fn.name);
    let current: string[] | undefined;
    if (functionName) {
      try {
        current = await currentFunctionLayers(clients.lambda, functionName);
      } catch (error) {
        logger.warning(
          `function ${fn.name} (${functionName}): cannot read its configuration, its lists come from the template: ${errorMessage(error)}`,
          fn.location
        );
      }
    }
    const lists = functionLayerLists(fn, current, versions);
    if (lists.omitted.length)
      logger.warning(
        `function ${fn.name}: left out of the manifest's layer lists (not version ARNs): ${lists.omitted.join(', ')}`,
        fn.location
      );
    if (functionName && current) live.set(fn.name, current);
    functions[fn.name] = { functionName: functionName ?? null, before: lists.before, after: lists.after };
  }

  const manifest: RollbackManifest = {
    version: MANIFEST_VERSION,
    region: clients.region,
    createdAt: request.now.toISOString(),
    commit: request.commit,
    ref: request.ref,
    layers,
    functions
  };
  // Written before any function changes, so a failed update still leaves the way back on disk.
  await writeManifest(request.manifestFile, manifest);
  logger.info(`rollback manifest: ${request.manifestFile}`);

  if (request.updateFunctions) failures.push(...(await updateFunctions(clients, manifest, live, logger)));

  const layerArns: Record<string, string> = {};
  const previousLayerArns: Record<string, string> = {};
  for (const layer of Object.values(layers)) {
    if (layer.status !== 'failed' && layer.arn) layerArns[layer.layerName] = layer.arn;
    if (layer.previousArn) previousLayerArns[layer.layerName] = layer.previousArn;
  }
  return { manifest, layerArns, previousLayerArns, failures };
}

/** Applies each live function's `after` list; functions the run cannot name or find are left to the deploy. */
async function updateFunctions(
  clients: AwsClients,
  manifest: RollbackManifest,
  live: ReadonlyMap<string, string[]>,
  logger: Logger
): Promise<string[]> {
  const failures: string[] = [];
  for (const [id, entry] of Object.entries(manifest.functions)) {
    if (!entry.functionName || !live.has(id)) {
      logger.warning(
        `function ${id}: not updated, ${entry.functionName ? `no function ${entry.functionName} exists yet` : 'the template sets no FunctionName'}: deploy the stack to point it at the new versions`
      );
      continue;
    }
    if (entry.after.every((arn, i) => arn === entry.before[i]) && entry.after.length === entry.before.length) {
      logger.info(`function ${id} (${entry.functionName}): already on these layer versions`);
      continue;
    }
    try {
      await setFunctionLayers(clients.lambda, entry.functionName, entry.after);
      logger.info(`function ${id} (${entry.functionName}): now on ${entry.after.join(', ')}`);
    } catch (error) {
      failures.push(`function ${id} (${entry.functionName}): ${errorMessage(error)}`);
      logger.error(`function ${id} (${entry.functionName}): update failed: ${errorMessage(error)}`);
    }
  }
  return failures;
}
