import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { resolveDirs } from '../settings/settings.js';
import type { InputSource } from '../settings/inputs.js';
import { checkCredentials, closeAwsClients, makeAwsClients, resolveAwsSettings } from '../aws/aws-clients.js';
import { manifestFileFor, readManifest, type RollbackManifest } from './manifest.js';
import { firstPublishedWarnings, parameterOverrides, parseParameterNames } from './rollback-plan.js';
import { rollbackFunctions, type RollbackOutcome } from './rollback.js';

/** What rollback needs, parsed from action inputs or CLI flags. */
export interface RollbackSettings {
  manifestFile: string;
  /** The region asked for; the manifest's region when none is set anywhere. */
  region?: string;
  /** Only print the previous ARNs as `sam deploy --parameter-overrides` pairs; change nothing. */
  print: boolean;
  /** Logical ID → template parameter name, for the printed pairs. */
  parameterNames: Record<string, string>;
  /** The input or flag that gave parameterNames, for error messages. */
  parameterNamesInput: string;
}

/** Rollback settings from action inputs or CLI flags (the CLI's --print stands for rollback-mode print). */
export function resolveRollbackSettings(inputs: InputSource, cwd: string, env: NodeJS.ProcessEnv): RollbackSettings {
  const mode = inputs.string('rollback-mode');
  if (mode !== 'update' && mode !== 'print')
    throw new InputError(`${inputs.label('rollback-mode')} must be update or print, got "${mode}"`);
  const dirs = resolveDirs(inputs, cwd);
  const parameterNamesInput = inputs.label('parameter-names');
  const pairs = inputs.list('parameter-names');
  if (pairs.length && mode !== 'print') throw new InputError(`${parameterNamesInput} only applies to print mode`);
  return {
    manifestFile: manifestFileFor(inputs.string('manifest'), dirs),
    region: inputs.string('region') || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || undefined,
    print: mode === 'print',
    parameterNames: parseParameterNames(pairs, parameterNamesInput),
    parameterNamesInput
  };
}

export type RollbackResult =
  | { mode: 'print'; manifest: RollbackManifest; overrides: string[] }
  | { mode: 'update'; manifest: RollbackManifest; outcome: RollbackOutcome };

/**
 * Rollback for both front doors: reads and validates the manifest (its region must be the client's),
 * then either prints the previous ARNs or points the functions back at them.
 */
export async function runRollback(settings: RollbackSettings, env: NodeJS.ProcessEnv, logger: Logger): Promise<RollbackResult> {
  const manifest = await readManifest(settings.manifestFile, settings.region);
  if (settings.print) {
    for (const warning of firstPublishedWarnings(manifest)) logger.warning(warning);
    return { mode: 'print', manifest, overrides: parameterOverrides(manifest, settings.parameterNames, settings.parameterNamesInput) };
  }
  const clients = makeAwsClients(resolveAwsSettings(manifest.region, env));
  try {
    await checkCredentials(clients);
    return { mode: 'update', manifest, outcome: await rollbackFunctions(clients.lambda, manifest, logger) };
  } finally {
    closeAwsClients(clients);
  }
}
