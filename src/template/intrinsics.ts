import { InputError, type SourceLocation } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';

/**
 * The value of a property depends on something this build cannot know (a parameter without a
 * value, a deployed resource's attribute). The message says what is missing and how to set it.
 */
export class Unknowable extends Error {
  override name = 'Unknowable';
}

/**
 * A parameter's value: a string, a list for CommaDelimitedList and List<...> types, or (for a nested
 * app's parameter) whatever the parent passed, e.g. a resource reference `{Ref: 'Layer'}`.
 */
export type ParameterValue = unknown;

/** Everything intrinsics of one stack resolve against. */
export interface StackContext {
  /** Parameters with a value (override, else Default). */
  parameters: ReadonlyMap<string, ParameterValue>;
  /** Declared parameter names (a declared parameter without a value is unknowable, not unknown). */
  declared: ReadonlySet<string>;
  /** Logical IDs of the stack's resources. */
  resources: ReadonlySet<string>;
  /** The stack's path before its logical IDs ('' for the root, 'Child/' in a nested app). */
  prefix: string;
  conditions: Json;
  mappings: Json;
  /** Known pseudo-parameter values (AWS::Region, ...); the others are unknowable. */
  pseudo: ReadonlyMap<string, string>;
}

/** `!Ref AWS::NoValue`: the property, list item or map entry is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');

const setIt = (name: string) => `set it with --parameter-overrides ${name}=<value> (or the parameter-overrides input, or samconfig.toml)`;

/** Intrinsics as written, for messages: `!Ref P`, `!Sub "..."`, else JSON (never [object Object]). */
export function describe(value: unknown): string {
  if (isObject(value) && Object.keys(value).length === 1) {
    const [key, arg] = Object.entries(value)[0] as [string, unknown];
    const short = key === 'Ref' ? 'Ref' : key.startsWith('Fn::') ? key.slice(4) : undefined;
    if (short && typeof arg === 'string') return `!${short} ${short === 'Sub' ? JSON.stringify(arg) : arg}`;
    if (short) return `!${short} ${JSON.stringify(arg)}`;
  }
  return JSON.stringify(value) ?? String(value);
}

function parameterValue(name: string, ctx: StackContext): ParameterValue {
  const value = ctx.parameters.get(name);
  if (value !== undefined) return value;
  if (name.startsWith('AWS::')) {
    const pseudo = ctx.pseudo.get(name);
    if (pseudo !== undefined) return pseudo;
    throw new Unknowable(`${name} is known only when deploying: ${setIt(name)}`);
  }
  throw new Unknowable(`parameter ${name} has no value: ${setIt(name)}`);
}

/** `Ref`: a parameter's value, or a resource reference `{Ref: <stack path>/<id>}` kept for the caller. */
function ref(target: unknown, ctx: StackContext, where: SourceLocation): unknown {
  if (typeof target !== 'string') throw new InputError(`Ref takes a parameter or resource name, got ${describe(target)}`, where);
  if (target === 'AWS::NoValue') return NO_VALUE;
  if (ctx.parameters.has(target) || ctx.declared.has(target) || target.startsWith('AWS::')) return parameterValue(target, ctx);
  if (ctx.resources.has(target)) return { Ref: ctx.prefix + target };
  throw new InputError(`!Ref ${target}: no parameter, resource or pseudo-parameter of that name in the template`, where);
}

function asString(value: unknown, what: string, where: SourceLocation): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) && typeof value['Ref'] === 'string') {
    throw new Unknowable(`${what}: the physical ID of resource ${value['Ref']} is known only after deploying`);
  }
  throw new InputError(`${what} must be a string, got ${describe(value)}`, where);
}

function asList(value: unknown, what: string, where: SourceLocation): unknown[] {
  if (!Array.isArray(value)) throw new InputError(`${what} must be a list, got ${describe(value)}`, where);
  return value;
}

function sub(args: unknown, ctx: StackContext, where: SourceLocation): string {
  const form: unknown[] = Array.isArray(args) ? args : [args];
  const [text, vars = {}] = form;
  if (typeof text !== 'string' || !isObject(vars)) {
    throw new InputError(`!Sub takes a string or [string, {variables}], got ${describe(args)}`, where);
  }
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return asString(resolveValue(vars[name], ctx, where), `!Sub variable ${name}`, where);
    if (name.includes('.') && !name.startsWith('AWS::')) {
      throw new Unknowable(`!Sub ${JSON.stringify(text)}: \${${name}} is known only after deploying`);
    }
    const value = ref(name, ctx, where);
    if (Array.isArray(value)) throw new InputError(`!Sub ${JSON.stringify(text)}: \${${name}} is a list, not a string`, where);
    return asString(value, `!Sub ${JSON.stringify(text)}`, where);
  });
}

/** Evaluates a named condition of the Conditions section (cycles are bad input). */
export function evaluateCondition(name: unknown, ctx: StackContext, where: SourceLocation, seen: ReadonlySet<string> = new Set()): boolean {
  if (typeof name !== 'string' || !(name in ctx.conditions)) {
    throw new InputError(`condition ${describe(name)} is not in the Conditions section`, where);
  }
  if (seen.has(name)) throw new InputError(`condition ${name} refers to itself`, where);
  return conditionValue(ctx.conditions[name], ctx, where, new Set([...seen, name]));
}

function conditionValue(value: unknown, ctx: StackContext, where: SourceLocation, seen: ReadonlySet<string>): boolean {
  if (!isObject(value) || Object.keys(value).length !== 1)
    throw new InputError(`a condition must be one function, got ${describe(value)}`, where);
  const [fn, args] = Object.entries(value)[0] as [string, unknown];
  const operands = () => asList(args, fn, where).map((c) => conditionValue(c, ctx, where, seen));
  switch (fn) {
    case 'Condition':
      return evaluateCondition(args, ctx, where, seen);
    case 'Fn::Equals': {
      const [a, b] = asList(args, fn, where).map((v) => asString(resolveValue(v, ctx, where), fn, where));
      return a === b;
    }
    case 'Fn::And':
      return operands().every(Boolean);
    case 'Fn::Or':
      return operands().some(Boolean);
    case 'Fn::Not':
      return !operands()[0];
    default:
      throw new InputError(`${fn} is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)`, where);
  }
}

function findInMap(args: unknown, ctx: StackContext, where: SourceLocation): unknown {
  const list = asList(args, 'Fn::FindInMap', where);
  const [map, top, second] = list.slice(0, 3).map((v) => asString(resolveValue(v, ctx, where), 'Fn::FindInMap', where));
  const options = list[3];
  const mapping = ctx.mappings[map ?? ''];
  const found = isObject(mapping) ? mapping[top ?? ''] : undefined;
  const value = isObject(found) ? found[second ?? ''] : undefined;
  if (value !== undefined) return value;
  if (isObject(options) && 'DefaultValue' in options) return resolveValue(options['DefaultValue'], ctx, where);
  throw new InputError(`!FindInMap [${map}, ${top}, ${second}]: no such entry in Mappings`, where);
}

function select(args: unknown, ctx: StackContext, where: SourceLocation): unknown {
  const [rawIndex, rawList] = asList(args, 'Fn::Select', where);
  const index = Number(asString(resolveValue(rawIndex, ctx, where), 'Fn::Select index', where));
  const list = asList(resolveValue(rawList, ctx, where), 'Fn::Select list', where);
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new InputError(`!Select index ${describe(rawIndex)} is not in a list of ${list.length}`, where);
  }
  return list[index];
}

/** Functions whose value exists only in a deployed stack: kept as written for the callers that accept them. */
const DEPLOY_TIME = new Set(['Fn::GetAtt', 'Fn::ImportValue', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::Base64', 'Fn::Transform', 'Fn::ToJsonString']);

/**
 * Resolves the intrinsics of a property value as CloudFormation would, where the value is knowable.
 * Resource references stay `{Ref: id}`; deploy-time functions throw Unknowable when resolved as a
 * value; malformed intrinsics are bad input at `where`.
 */
export function resolveValue(value: unknown, ctx: StackContext, where: SourceLocation): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx, where)).filter((v) => v !== NO_VALUE);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const [fn] = keys;
  if (keys.length === 1 && fn !== undefined && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) {
    const args = value[fn];
    switch (fn) {
      case 'Ref':
        return ref(args, ctx, where);
      case 'Fn::Sub':
        return sub(args, ctx, where);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = asList(args, 'Fn::If', where);
        return resolveValue(evaluateCondition(condition, ctx, where) ? whenTrue : whenFalse, ctx, where);
      }
      case 'Fn::FindInMap':
        return findInMap(args, ctx, where);
      case 'Fn::Join': {
        const [delimiter, list] = asList(args, 'Fn::Join', where);
        const items = asList(resolveValue(list, ctx, where), 'Fn::Join list', where);
        return items.map((item) => asString(item, '!Join', where)).join(asString(delimiter, 'Fn::Join delimiter', where));
      }
      case 'Fn::Select':
        return select(args, ctx, where);
      case 'Fn::Split': {
        const [delimiter, text] = asList(args, 'Fn::Split', where);
        return asString(resolveValue(text, ctx, where), '!Split', where).split(asString(delimiter, 'Fn::Split delimiter', where));
      }
      case 'Fn::Length':
        return asList(resolveValue(args, ctx, where), 'Fn::Length', where).length;
      case 'Fn::GetAtt': {
        const parts: unknown[] = typeof args === 'string' ? args.split('.') : Array.isArray(args) ? args : [];
        const [id, ...attribute] = parts;
        if (typeof id !== 'string' || !ctx.resources.has(id))
          throw new InputError(`${describe(value)}: no resource ${String(id)} in the template`, where);
        return { 'Fn::GetAtt': [ctx.prefix + id, attribute.join('.')] };
      }
      default:
        if (DEPLOY_TIME.has(fn)) throw new Unknowable(`${describe(value)} is known only after deploying`);
    }
  }
  const resolved: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const r = resolveValue(v, ctx, where);
    if (r !== NO_VALUE) resolved[key] = r;
  }
  return resolved;
}
