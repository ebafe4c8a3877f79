import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '../shared/logger.js';
import { currentFunctionLayers, setFunctionLayers } from '../aws/function-config.js';
import type { RollbackManifest } from './manifest.js';
import { firstPublished, firstPublishedWarnings, layerRollbacks, planFunctionRollback, type LayerRollback } from './rollback-plan.js';
import { errorMessage } from '../shared/errors.js';

export type FunctionRollbackStatus = 'rolled-back' | 'already-rolled-back' | 'no-function-name' | 'failed';

export interface FunctionRollback {
  logicalId: string;
  functionName: string | null;
  status: FunctionRollbackStatus;
  /** Layer lists as found and as set (when the function was read). */
  before?: string[];
  after?: string[];
  /** Our layers left as they are because this run published their first version. */
  noPrevious: string[];
  error?: string;
}

export interface RollbackOutcome {
  functions: FunctionRollback[];
  /** Layers with no previous version: nothing to go back to. */
  firstPublished: string[];
  /** Every function with a name is on the previous versions of all our layers it uses. */
  ok: boolean;
}

/**
 * Points every function of the manifest whose physical name is known back at the previous versions
 * of our layers, keeping its other layers in order, and waits for each update. One function failing
 * does not stop the others; the outcome says what happened to each.
 */
export async function rollbackFunctions(lambda: LambdaClient, manifest: RollbackManifest, logger: Logger): Promise<RollbackOutcome> {
  const layers = layerRollbacks(manifest);
  for (const warning of firstPublishedWarnings(manifest)) logger.warning(warning);
  const functions: FunctionRollback[] = [];
  for (const [logicalId, entry] of Object.entries(manifest.functions)) {
    const { functionName } = entry;
    if (functionName === null) {
      logger.info(`${logicalId}: skipped, its physical name is not known (no FunctionName in the template): use print mode and sam deploy`);
      functions.push({ logicalId, functionName, status: 'no-function-name', noPrevious: [] });
      continue;
    }
    functions.push(await rollbackOne(lambda, logicalId, functionName, layers, logger));
  }
  const ok = functions.every((f) => f.status !== 'failed' && f.noPrevious.length === 0);
  return { functions, firstPublished: firstPublished(manifest), ok };
}

async function rollbackOne(
  lambda: LambdaClient,
  logicalId: string,
  functionName: string,
  layers: ReadonlyMap<string, LayerRollback>,
  logger: Logger
): Promise<FunctionRollback> {
  const result: FunctionRollback = { logicalId, functionName, status: 'failed', noPrevious: [] };
  try {
    const before = await currentFunctionLayers(lambda, functionName);
    if (!before) throw new Error(`no function named ${functionName} in ${await lambda.config.region()}`);
    const plan = planFunctionRollback(before, layers);
    Object.assign(result, { before, after: plan.target, noPrevious: plan.noPrevious.map((l) => l.logicalId) });
    for (const layer of plan.noPrevious) {
      logger.warning(`${logicalId} (${functionName}) keeps ${layer.logicalId}: it has no previous version`);
    }
    if (plan.unchanged) {
      logger.info(`${logicalId} (${functionName}): already on the previous layer versions, nothing to do`);
      result.status = 'already-rolled-back';
      return result;
    }
    await setFunctionLayers(lambda, functionName, plan.target);
    logger.info(`${logicalId} (${functionName}): rolled back to ${plan.target.join(', ')}`);
    result.status = 'rolled-back';
  } catch (error) {
    result.error = errorMessage(error);
    logger.error(`${logicalId} (${functionName}): rollback failed: ${result.error}`);
  }
  return result;
}
