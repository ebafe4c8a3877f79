import { InputError, type SourceLocation } from '../shared/errors.js';
import { isObject } from '../shared/json.js';
import type { ParameterValue } from './intrinsics.js';

const isListType = (type: string) => type === 'CommaDelimitedList' || type.startsWith('List<');

/** One parameter's text as CloudFormation takes it: lists are comma-separated. */
function parameterText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(',');
  return undefined;
}

/**
 * The value of each parameter of a template: its override, else its Default. Lists split on commas
 * (spaces around items trimmed, as SAM does). SSM parameter types have no local value. Overrides
 * outside AllowedValues are bad input.
 */
export function parameterValues(
  declarations: unknown,
  overrides: Readonly<Record<string, unknown>>,
  where: SourceLocation
): Map<string, ParameterValue> {
  const values = new Map<string, ParameterValue>();
  if (declarations === undefined) return values;
  if (!isObject(declarations)) throw new InputError('Parameters must be a mapping of parameter names to their declarations', where);
  for (const [name, declaration] of Object.entries(declarations)) {
    if (!isObject(declaration) || typeof declaration['Type'] !== 'string') {
      throw new InputError(`parameter ${name} must be a mapping with a Type`, where);
    }
    const type = declaration['Type'];
    if (type.startsWith('AWS::SSM::Parameter::Value<')) continue;
    const written = name in overrides ? overrides[name] : declaration['Default'];
    if (written === undefined) continue;
    // A nested app's parent may pass a resource reference or an already split list: kept as they are.
    const text = parameterText(written);
    if (text === undefined) {
      values.set(name, written);
      continue;
    }
    const allowed = declaration['AllowedValues'];
    if (Array.isArray(allowed) && !allowed.map(parameterText).includes(text)) {
      throw new InputError(`parameter ${name}: ${JSON.stringify(text)} is not one of its AllowedValues (${allowed.join(', ')})`, where);
    }
    values.set(name, isListType(type) ? text.split(',').map((s) => s.trim()) : text);
  }
  return values;
}

/** Where the AWS::Region pseudo-parameter comes from when nothing sets it: SAM's local default. */
export const DEFAULT_REGION = 'us-east-1';

export interface PseudoSources {
  overrides: Readonly<Record<string, unknown>>;
  region?: string;
  stackName?: string;
}

/** Pseudo-parameters known before deploying: the region (and what follows from it), the stack name when given. */
export function pseudoParameters(sources: PseudoSources, env: NodeJS.ProcessEnv): Map<string, string> {
  const given = (name: string) => {
    const value = sources.overrides[name];
    return typeof value === 'string' ? value : undefined;
  };
  const region = given('AWS::Region') ?? sources.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION);
  const china = region.startsWith('cn-');
  const pseudo = new Map<string, string>([
    ['AWS::Region', region],
    ['AWS::Partition', given('AWS::Partition') ?? (china ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws')],
    ['AWS::URLSuffix', given('AWS::URLSuffix') ?? (china ? 'amazonaws.com.cn' : 'amazonaws.com')]
  ]);
  const stackName = given('AWS::StackName') ?? sources.stackName;
  if (stackName !== undefined) pseudo.set('AWS::StackName', stackName);
  const account = given('AWS::AccountId');
  if (account !== undefined) pseudo.set('AWS::AccountId', account);
  return pseudo;
}
