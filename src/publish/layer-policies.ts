import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Logger } from '../shared/logger.js';
import { parseLayerVersionArn } from '../aws/layer-arn.js';
import { applyRetention } from './retention.js';
import { shareLayerVersion, type Sharing } from './sharing.js';
import { errorMessage } from '../shared/errors.js';

/** What happens to a layer's versions after a publish: who may use the live one, how many old ones stay. */
export interface LayerPolicies {
  sharing: Sharing;
  /** Keep the newest N versions (never fewer than the current and the previous); undefined: delete nothing. */
  keepVersions?: number;
}

export interface PolicyTarget {
  layerName: string;
  /** The version live after the run (new or unchanged: a re-run finishes what an interrupted run left). */
  arn: string;
  previousArn: string | null;
}

/** Shares the live version, then applies retention. Returns what failed instead of throwing, so other layers still run. */
export async function applyLayerPolicies(
  lambda: LambdaClient,
  target: PolicyTarget,
  policies: LayerPolicies,
  logger: Logger
): Promise<string[]> {
  const current = parseLayerVersionArn(target.arn)!.version;
  const previous = target.previousArn ? parseLayerVersionArn(target.previousArn)?.version : undefined;
  const failures: string[] = [];
  const attempt = async (what: string, step: () => Promise<unknown>) => {
    try {
      await step();
    } catch (error) {
      const message = `layer ${target.layerName}: ${what} failed: ${errorMessage(error)}`;
      logger.error(message);
      failures.push(message);
    }
  };
  await attempt('sharing', () => shareLayerVersion(lambda, target.layerName, current, policies.sharing, logger));
  if (policies.keepVersions !== undefined) {
    const keep = policies.keepVersions;
    await attempt('retention', () => applyRetention(lambda, { layerName: target.layerName, current, previous }, keep, logger));
  }
  return failures;
}
