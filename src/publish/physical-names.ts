import type { FunctionSpec, LayerSpec } from '../template/app-model.js';
import { InputError } from '../shared/errors.js';
import { FUNCTION_NAME, LAYER_NAME } from '../lambda/names.js';

const STACK_NAME = '${AWS::StackName}';

/** A name as the template writes it, with `${AWS::StackName}` resolved; other `${...}` cannot be. */
function resolveWritten(written: string, stackName: string | undefined, what: string, spec: { location: LayerSpec['location'] }): string {
  if (written.includes(STACK_NAME) && !stackName) {
    throw new InputError(`${what} "${written}" uses \${AWS::StackName}: set the stack-name input (--stack-name)`, spec.location);
  }
  const resolved = stackName ? written.split(STACK_NAME).join(stackName) : written;
  const unresolved = /\$\{[^}]*\}/.exec(resolved);
  if (unresolved) {
    throw new InputError(`${what} "${written}": ${unresolved[0]} cannot be resolved here (only \${AWS::StackName} can)`, spec.location);
  }
  return resolved;
}

/** The Lambda layer name a template layer publishes to: its LayerName resolved, else its logical ID. */
export function layerNameFor(layer: LayerSpec, stackName: string | undefined): string {
  const name = layer.layerName === undefined ? layer.name : resolveWritten(layer.layerName, stackName, 'LayerName', layer);
  if (!LAYER_NAME.test(name)) {
    throw new InputError(`layer name "${name}" is not valid for Lambda: letters, digits, - and _ only, at most 140`, layer.location);
  }
  return name;
}

/** The function's physical name when the template fixes it; undefined when CloudFormation generates it. */
export function functionNameFor(fn: FunctionSpec, stackName: string | undefined): string | undefined {
  if (fn.functionName === undefined) return undefined;
  const name = resolveWritten(fn.functionName, stackName, 'FunctionName', fn);
  if (!FUNCTION_NAME.test(name)) {
    throw new InputError(`function name "${name}" is not valid for Lambda: letters, digits, - and _ only, at most 64`, fn.location);
  }
  return name;
}
