import {
  AddLayerVersionPermissionCommand,
  GetLayerVersionPolicyCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { splitList } from '../settings/inputs.js';

/** Who may use the published layer versions (`lambda:GetLayerVersion`). */
export interface Sharing {
  accounts: string[];
  organization?: string;
}

/** `names` are the input or flag names for messages (the action and the CLI spell them differently). */
export function parseSharing(
  accounts: string | undefined,
  organization: string | undefined,
  names: { accounts: string; organization: string }
): Sharing {
  const ids = splitList(accounts);
  for (const id of ids) {
    if (!/^\d{12}$/.test(id)) throw new InputError(`${names.accounts}: "${id}" is not an AWS account ID (12 digits)`);
  }
  const org = organization?.trim();
  if (org && !/^o-[a-z0-9]{10,32}$/.test(org)) {
    throw new InputError(`${names.organization}: "${org}" is not an organization ID (o- and 10 to 32 lowercase letters or digits)`);
  }
  return org ? { accounts: [...new Set(ids)], organization: org } : { accounts: [...new Set(ids)] };
}

export interface PermissionStatement {
  /** Stable per principal, so a re-run finds the statement it added before. */
  StatementId: string;
  Principal: string;
  OrganizationId?: string;
}

/** Pure: one statement per account, and one for the organization (principal `*` limited to it). */
export function permissionStatements(sharing: Sharing): PermissionStatement[] {
  const statements: PermissionStatement[] = sharing.accounts.map((account) => ({
    StatementId: `lambda-layers-account-${account}`,
    Principal: account
  }));
  if (sharing.organization) {
    statements.push({ StatementId: `lambda-layers-org-${sharing.organization}`, Principal: '*', OrganizationId: sharing.organization });
  }
  return statements;
}

/** Statement IDs already on a layer version's policy (none when it has no policy). */
async function existingStatementIds(lambda: LambdaClient, layerName: string, version: number): Promise<Set<string>> {
  try {
    const { Policy } = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }));
    const statements = (JSON.parse(Policy ?? '{}') as { Statement?: Array<{ Sid?: string }> }).Statement ?? [];
    return new Set(statements.flatMap((s) => (s.Sid ? [s.Sid] : [])));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return new Set();
    throw error;
  }
}

/** Grants `lambda:GetLayerVersion` on one version; statements already there are left alone (re-runs add nothing). */
export async function shareLayerVersion(
  lambda: LambdaClient,
  layerName: string,
  version: number,
  sharing: Sharing,
  logger: Logger
): Promise<void> {
  const statements = permissionStatements(sharing);
  if (!statements.length) return;
  const existing = await existingStatementIds(lambda, layerName, version);
  for (const statement of statements) {
    if (existing.has(statement.StatementId)) continue;
    try {
      await lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: layerName,
          VersionNumber: version,
          Action: 'lambda:GetLayerVersion',
          ...statement
        })
      );
    } catch (error) {
      // Added by a concurrent run between the read and the add: the grant is there, which is all we want.
      if (!(error instanceof ResourceConflictException)) throw error;
    }
    logger.info(`${layerName}:${version}: shared with ${statement.OrganizationId ?? statement.Principal}`);
  }
}
