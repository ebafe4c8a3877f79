import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { resolveSettings, splitList } from '../settings/settings.js';
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

export interface RawRollbackSettings {
  workingDirectory?: string;
  out?: string;
  manifest?: string;
  region?: string;
  print?: boolean;
  parameterNames?: string | string[];
}

export function resolveRollbackSettings(
  raw: RawRollbackSettings,
  cwd: string,
  env: NodeJS.ProcessEnv,
  parameterNamesInput: string
): RollbackSettings {
  const dirs = resolveSettings({ workingDirectory: raw.workingDirectory, out: raw.out }, cwd, env);
  const pairs = Array.isArray(raw.parameterNames) ? raw.parameterNames.flatMap((p) => splitList(p)) : splitList(raw.parameterNames);
  if (pairs.length && !raw.print) throw new InputError(`${parameterNamesInput} only applies to print mode`);
  return {
    manifestFile: manifestFileFor(raw.manifest, dirs),
    region: raw.region || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || undefined,
    print: raw.print ?? false,
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
