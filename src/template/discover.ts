import path from 'node:path';
import type { App, FunctionSpec, LayerRef, LayerSpec } from './app-model.js';
import type { ParsedTemplate } from './cfn-yaml.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { checkRuntime, isArchitecture, type Architecture } from '../lambda/platform.js';
import { isObject, type Json } from '../shared/json.js';
import { isInside } from '../shared/paths.js';
import { describe, NO_VALUE, resolveValue, Unknowable, type StackContext } from './intrinsics.js';
import { parameterValues, pseudoParameters } from './parameters.js';
import { expandForEach } from './for-each.js';
import { checkLogicalId } from './logical-ids.js';
import { nestedStack } from './nested.js';
import { artifactSource } from './artifact-source.js';
import { handlerModule } from '../lambda/handler.js';
import { METADATA_KEYS, parseBudget, type BudgetSpec } from '../settings/budget-settings.js';

const SERVERLESS_LAYER = 'AWS::Serverless::LayerVersion';
const LAMBDA_LAYER = 'AWS::Lambda::LayerVersion';
const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';
const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
const LAYER_TYPES = [SERVERLESS_LAYER, LAMBDA_LAYER];
// Runtimes of other languages are not ours to build; anything else that is not a known Python runtime is a mistake.
const OTHER_LANGUAGES = /^(nodejs|java|dotnet|ruby|go|provided)/;
/** Nested applications deeper than this are a loop, not an app. */
const MAX_STACK_DEPTH = 10;

/** A path the template wrote, resolved against the template's folder and kept inside the root. */
export function resolveInside(rootDir: string, templateDir: string, written: string, where: SourceLocation, what: string): string {
  const resolved = path.resolve(templateDir, written);
  if (!isInside(rootDir, resolved)) {
    throw new InputError(`${what} "${written}" points outside the repository (${rootDir})`, where);
  }
  return resolved;
}

/** SAM Globals: scalars are overridden by the resource, lists are prepended, maps merged recursively. */
export function applyGlobals(globals: Json, props: Json): Json {
  const merged: Json = { ...globals };
  for (const [key, value] of Object.entries(props)) {
    const global = globals[key];
    if (Array.isArray(global) && Array.isArray(value)) merged[key] = [...(global as unknown[]), ...(value as unknown[])];
    else if (isObject(global) && isObject(value)) merged[key] = applyGlobals(global, value);
    else merged[key] = value;
  }
  return merged;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Architectures and CompatibleArchitectures: a list of known values (a scalar is a mistake, not x86_64). */
function architectures(value: unknown, property: string, where: SourceLocation): Architecture[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError(`${property} must be a list (e.g. [arm64]), got ${describe(value)}`, where);
  for (const arch of value) {
    if (!isArchitecture(arch)) throw new InputError(`unknown architecture ${JSON.stringify(arch)}: expected x86_64 or arm64`, where);
  }
  return value as Architecture[];
}

/** `${AWS::StackName}-x` style names (LayerName, FunctionName) stay as written; publishing resolves them. */
function physicalNameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  }
  return undefined;
}

/** Where a resource's code is, from the property forms each type allows. */
type CodeSource = { kind: 'local'; path: string } | { kind: 's3' | 'inline' | 'image' };

function codeSource(value: unknown, property: string, type: string, where: SourceLocation): CodeSource {
  if (typeof value === 'string' && value !== '') return value.startsWith('s3://') ? { kind: 's3' } : { kind: 'local', path: value };
  const lambda = type === LAMBDA_FUNCTION || type === LAMBDA_LAYER;
  if (isObject(value)) {
    const has = (key: string) => typeof value[key] === 'string';
    if (lambda ? has('S3Bucket') && has('S3Key') : has('Bucket') && has('Key')) return { kind: 's3' };
    if (type === LAMBDA_FUNCTION && value['ZipFile'] !== undefined) return { kind: 'inline' };
    if (type === LAMBDA_FUNCTION && value['ImageUri'] !== undefined) return { kind: 'image' };
  }
  const forms = lambda ? '{S3Bucket, S3Key}' : '{Bucket, Key}';
  const what = value === undefined ? 'is missing' : `got ${describe(value)}`;
  throw new InputError(`${property} must be a local path, an s3:// URI or an S3 location ${forms}: ${what}`, where);
}

const SKIP_REASONS = {
  s3: 'its code is in S3, so it is not built',
  inline: 'inline code, so nothing is built',
  image: 'an image function (PackageType Image), not built here'
};

interface DraftLayer extends Omit<LayerSpec, 'runtime' | 'architecture'> {
  runtime?: string;
  architecture?: Architecture;
}

/** A function layer before every stack is read: a resource reference is classified once all layers are known. */
type DraftLayerRef = LayerRef | { kind: 'resource'; name: string };

interface DraftFunction extends Omit<FunctionSpec, 'layers'> {
  layers: DraftLayerRef[];
}

/** What the stacks of an app add up to, before layer references are classified. */
interface Discovered {
  layers: DraftLayer[];
  functions: DraftFunction[];
  skipped: string[];
  /** Every resource of every stack by its path (`Child/Id`), with its type. */
  types: Map<string, string>;
}

export interface DiscoverOptions {
  /** Parameter values given for the root template (--parameter-overrides, samconfig.toml). */
  overrides?: Readonly<Record<string, unknown>>;
  /** Pseudo-parameters (AWS::Region, ...); by default those of pseudoParameters without overrides. */
  pseudo?: ReadonlyMap<string, string>;
  /** Reads a nested application's template (the only side effect, so it is passed in). */
  readChild?: (file: string, where: SourceLocation) => ParsedTemplate;
}

interface StackInput {
  parsed: ParsedTemplate;
  templateFile: string;
  rootDir: string;
  /** '' for the root, 'Child/' for a nested application's resources. */
  prefix: string;
  overrides: Readonly<Record<string, unknown>>;
  pseudo: ReadonlyMap<string, string>;
  readChild: (file: string, where: SourceLocation) => ParsedTemplate;
  /** Template files from the root down to this one, to refuse a template that includes itself. */
  ancestors: readonly string[];
}

/**
 * Finds the layers and functions of a parsed SAM template and of its nested applications, with
 * their properties resolved (parameters, conditions, intrinsics, Fn::ForEach). Pure: paths are
 * resolved, not read; nested templates come from `readChild`.
 */
export function discoverApp(parsed: ParsedTemplate, templateFile: string, rootDir: string, options: DiscoverOptions = {}): App {
  const overrides = options.overrides ?? {};
  const found: Discovered = { layers: [], functions: [], skipped: [], types: new Map() };
  discoverStack(
    {
      parsed,
      templateFile,
      rootDir,
      prefix: '',
      overrides,
      pseudo: options.pseudo ?? pseudoParameters({ overrides }, {}),
      readChild:
        options.readChild ??
        ((file, where) => {
          throw new InputError(`nested template ${file} cannot be read here`, where);
        }),
      ancestors: []
    },
    found
  );
  const built = new Set(found.layers.map((l) => l.name));
  const functions = found.functions.map((fn) => ({
    ...fn,
    layers: fn.layers.map((ref) => classifyLayer(ref, built, found.types, fn.location))
  }));
  const layers = found.layers.map((draft) => settleLayerTarget(draft, functions));
  return { templateFile, rootDir, layers, functions, skipped: found.skipped };
}

function discoverStack(input: StackInput, found: Discovered): void {
  const { parsed, templateFile, prefix } = input;
  const lineOf = (key: string) => parsed.resourceLines.get(key);
  const rawResources = parsed.data['Resources'];
  if (!isObject(rawResources)) throw new InputError('the template has no Resources section', { file: templateFile });
  const parameters = parsed.data['Parameters'];
  const base: StackContext = {
    parameters: parameterValues(parameters, input.overrides, { file: templateFile }),
    declared: new Set(isObject(parameters) ? Object.keys(parameters) : []),
    resources: new Set(Object.keys(rawResources)),
    prefix,
    conditions: {},
    mappings: isObject(parsed.data['Mappings']) ? parsed.data['Mappings'] : {},
    pseudo: input.pseudo
  };
  const conditionsSection = parsed.data['Conditions'];
  const conditions = isObject(conditionsSection) ? expandForEach(conditionsSection, base, () => ({ file: templateFile })).section : {};
  const { section: resources, origins } = expandForEach(rawResources, { ...base, conditions }, (key) => ({
    file: templateFile,
    line: lineOf(key)
  }));
  const ctx: StackContext = { ...base, conditions, resources: new Set(Object.keys(resources)) };
  const at = (id: string): SourceLocation => ({ file: templateFile, line: lineOf(origins.get(id) ?? id) });
  for (const id of Object.keys(resources)) checkLogicalId(id, at(id));
  const globalsSection = parsed.data['Globals'];
  const functionGlobals = isObject(globalsSection) && isObject(globalsSection['Function']) ? globalsSection['Function'] : {};

  for (const [id, resource] of Object.entries(resources)) {
    const name = prefix + id;
    const type = isObject(resource) ? String(resource['Type']) : '';
    found.types.set(name, type);
    if (!isObject(resource)) continue;
    const where = at(id);
    const props = isObject(resource['Properties']) ? resource['Properties'] : {};
    const metadata = isObject(resource['Metadata']) ? resource['Metadata'] : {};
    const resolve = (property: string, raw: unknown): unknown => {
      try {
        return resolveValue(raw, ctx, where);
      } catch (error) {
        throw error instanceof Unknowable ? new Unknowable(`${property}: ${describe(raw)}: ${error.message}`) : error;
      }
    };
    const resolved = (property: string, from: Json = props) => {
      const value = resolve(property, from[property]);
      return value === NO_VALUE ? undefined : value;
    };
    try {
      if (LAYER_TYPES.includes(type)) {
        const layer = layerOf(name, type, props, metadata, resolved, input, where);
        if (typeof layer === 'string') found.skipped.push(`${name}: ${layer}`);
        else found.layers.push(layer);
      } else if (type === SERVERLESS_FUNCTION || type === LAMBDA_FUNCTION) {
        const merged = type === SERVERLESS_FUNCTION ? applyGlobals(functionGlobals, props) : props;
        const fn = functionOf(name, type, merged, metadata, (property, from = merged) => resolved(property, from), ctx, input, where);
        if (typeof fn === 'string') found.skipped.push(`${name}: ${fn}`);
        else found.functions.push(fn);
      } else {
        const child = nestedStack(type, props, resolved, where);
        if (typeof child === 'string') found.skipped.push(`${name}: ${child}`);
        else if (child) {
          const file = resolveInside(input.rootDir, path.dirname(templateFile), child.location, where, child.property);
          followChild(id, file, child.parameters, input, found, where);
        }
      }
    } catch (error) {
      if (!(error instanceof Unknowable)) throw error;
      found.skipped.push(`${name}: ${error.message}`);
    }
  }
}

function followChild(id: string, file: string, parameters: Json, parent: StackInput, found: Discovered, where: SourceLocation): void {
  if (parent.ancestors.includes(file) || parent.ancestors.length >= MAX_STACK_DEPTH) {
    throw new InputError(`nested application ${id}: ${file} includes itself (or nests more than ${MAX_STACK_DEPTH} deep)`, where);
  }
  // A nested stack gets its own generated name; the other pseudo-parameters are the parent's.
  const pseudo = new Map(parent.pseudo);
  pseudo.delete('AWS::StackName');
  discoverStack(
    {
      ...parent,
      parsed: parent.readChild(file, where),
      templateFile: file,
      prefix: `${parent.prefix}${id}/`,
      overrides: parameters,
      pseudo,
      ancestors: [...parent.ancestors, parent.templateFile]
    },
    found
  );
}

type Resolved = (property: string, from?: Json) => unknown;

/** Metadata.LambdaLayers.Budget, resolved (a parameter may set it). */
function budgetOf(metadata: Json, kind: 'layer' | 'function', resolved: Resolved, where: SourceLocation): BudgetSpec | undefined {
  const ours = resolved('LambdaLayers', metadata);
  if (ours === undefined) return undefined;
  if (!isObject(ours)) throw new InputError(`Metadata.LambdaLayers must be a mapping, got ${describe(ours)}`, where);
  for (const key of Object.keys(ours)) {
    if (key !== 'Budget') throw new InputError(`unknown key "Metadata.LambdaLayers.${key}" (expected Budget)`, where);
  }
  return ours['Budget'] === undefined
    ? undefined
    : parseBudget(ours['Budget'], kind, METADATA_KEYS, 'Metadata.LambdaLayers.Budget', () => where);
}

/** Metadata.BuildMethod, resolved: a runtime (python3.12), makefile, python-uv, or another language's builder. */
function buildMethodOf(metadata: Json, resolved: Resolved, where: SourceLocation): string | undefined {
  const buildMethod = resolved('BuildMethod', metadata);
  if (buildMethod !== undefined && typeof buildMethod !== 'string') {
    throw new InputError(`Metadata.BuildMethod must be a string, got ${describe(buildMethod)}`, where);
  }
  return buildMethod;
}

function layerOf(
  name: string,
  type: string,
  props: Json,
  metadata: Json,
  resolved: Resolved,
  input: StackInput,
  where: SourceLocation
): DraftLayer | string {
  const property = type === SERVERLESS_LAYER ? 'ContentUri' : 'Content';
  const source = codeSource(resolved(property), property, type, where);
  if (source.kind !== 'local') return SKIP_REASONS[source.kind];
  const contentDir = resolveInside(input.rootDir, path.dirname(input.templateFile), source.path, where, property);
  const compatibleRuntimes = stringList(resolved('CompatibleRuntimes'));
  const buildMethod = buildMethodOf(metadata, resolved, where);
  const declared = [...(buildMethod && buildMethod !== 'makefile' ? [buildMethod] : []), ...compatibleRuntimes];
  if (declared.length && declared.every((r) => OTHER_LANGUAGES.test(r))) return `a ${declared[0]} layer is not Python, so it is not built`;
  const compatibleArchitectures = architectures(resolved('CompatibleArchitectures'), 'CompatibleArchitectures', where);
  const buildArch = resolved('BuildArchitecture', metadata);
  if (buildArch !== undefined && !isArchitecture(buildArch)) {
    throw new InputError(`unknown BuildArchitecture ${describe(buildArch)}: expected x86_64 or arm64`, where);
  }
  // BuildMethod names the runtime, except for makefile and python-uv.
  const runtime = buildMethod?.startsWith('python3') ? buildMethod : compatibleRuntimes.length === 1 ? compatibleRuntimes[0] : undefined;
  if (runtime) checkRuntime(runtime, where);
  const artifact = artifactSource(source.path, { buildMethod, skipBuild: resolved('SkipBuild', metadata) });
  const licenseInfo = resolved('LicenseInfo');
  const budget = budgetOf(metadata, 'layer', resolved, where);
  return {
    name,
    layerName: physicalNameOf(props['LayerName']),
    ...(typeof licenseInfo === 'string' ? { licenseInfo } : {}),
    contentDir,
    requirementsFile: path.join(contentDir, 'requirements.txt'),
    ...(artifact ? { source: artifact } : {}),
    runtime,
    architecture: buildArch ?? (compatibleArchitectures.length === 1 ? compatibleArchitectures[0] : undefined),
    compatibleRuntimes,
    compatibleArchitectures,
    ...(budget && { budget }),
    location: where
  };
}

function functionOf(
  name: string,
  type: string,
  props: Json,
  metadata: Json,
  resolved: Resolved,
  ctx: StackContext,
  input: StackInput,
  where: SourceLocation
): DraftFunction | string {
  if (resolved('PackageType') === 'Image') return SKIP_REASONS.image;
  if (type === SERVERLESS_FUNCTION && props['InlineCode'] !== undefined) return SKIP_REASONS.inline;
  const property = type === SERVERLESS_FUNCTION ? 'CodeUri' : 'Code';
  // Where the code is decides first: a function that is not built is not checked further.
  const source = codeSource(resolved(property), property, type, where);
  if (source.kind !== 'local') return SKIP_REASONS[source.kind];
  const runtime = resolved('Runtime');
  if (runtime === undefined) throw new InputError('the function has no Runtime (nor a Globals.Function Runtime)', where);
  if (typeof runtime !== 'string') throw new InputError(`Runtime must be a string, got ${describe(runtime)}`, where);
  if (OTHER_LANGUAGES.test(runtime)) return `runtime ${runtime} is not Python`;
  checkRuntime(runtime, where);
  const handler = resolved('Handler');
  if (typeof handler !== 'string' || !/^[\w./-]+\.\w+$/.test(handler)) {
    throw new InputError(
      `Handler must look like "module.function", got ${handler === undefined ? 'no Handler' : describe(handler)}`,
      where
    );
  }
  if (!handlerModule(handler)) {
    throw new InputError(`Handler ${describe(handler)} names no module Lambda can import: a part of its module path is empty`, where);
  }
  const archs = architectures(resolved('Architectures'), 'Architectures', where);
  if (archs.length > 1 || (props['Architectures'] !== undefined && archs.length === 0)) {
    throw new InputError('a function has exactly one architecture: Architectures must list one of x86_64, arm64', where);
  }
  const codeDir = resolveInside(input.rootDir, path.dirname(input.templateFile), source.path, where, property);
  const artifact = artifactSource(source.path, {
    buildMethod: buildMethodOf(metadata, resolved, where),
    skipBuild: resolved('SkipBuild', metadata)
  });
  const functionName = physicalNameOf(props['FunctionName']);
  const memorySize = whole(resolved, 'MemorySize', 128, 10240, where);
  const timeout = whole(resolved, 'Timeout', 1, 900, where);
  const environment = environmentOf(props['Environment'], ctx, where);
  const budget = budgetOf(metadata, 'function', resolved, where);
  return {
    name,
    ...(functionName !== undefined ? { functionName } : {}),
    codeDir,
    ...(artifact ? { source: artifact } : {}),
    handler,
    runtime,
    architecture: archs[0] ?? 'x86_64',
    layers: layerRefs(props['Layers'], ctx, where),
    requirementsFile: path.join(codeDir, 'requirements.txt'),
    ...(memorySize !== undefined && { memorySize }),
    ...(timeout !== undefined && { timeout }),
    ...(environment && { environment }),
    ...(budget && { budget }),
    location: where
  };
}

/** MemorySize or Timeout: a whole number in Lambda's range; one known only when deploying is left to Lambda's default. */
function whole(resolved: Resolved, property: string, min: number, max: number, where: SourceLocation): number | undefined {
  let value: unknown;
  try {
    value = resolved(property);
  } catch (error) {
    if (error instanceof Unknowable) return undefined;
    throw error;
  }
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new InputError(`${property} must be a whole number from ${min} to ${max}, got ${describe(value)}`, where);
  }
  return number;
}

/** Environment.Variables, each resolved on its own: one that needs a deployed resource or an unset parameter is named, not fatal. */
function environmentOf(raw: unknown, ctx: StackContext, where: SourceLocation): FunctionSpec['environment'] {
  const variables = isObject(raw) ? raw['Variables'] : undefined;
  if (variables === undefined) return undefined;
  if (!isObject(variables)) throw new InputError(`Environment.Variables must be a mapping, got ${describe(variables)}`, where);
  const resolvedVariables: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    let resolvedValue: unknown;
    try {
      resolvedValue = resolveValue(value, ctx, where);
    } catch (error) {
      if (!(error instanceof Unknowable)) throw error;
      unresolved.push(`${name} (${describe(value)}: ${error.message})`);
      continue;
    }
    if (resolvedValue === NO_VALUE) continue;
    if (['string', 'number', 'boolean'].includes(typeof resolvedValue)) resolvedVariables[name] = String(resolvedValue);
    else unresolved.push(`${name} (${describe(value)}: known only once deployed)`);
  }
  return { variables: resolvedVariables, unresolved };
}

/**
 * Layers: a list of layer references. A `!Ref`/`!GetAtt` of a resource is classified later (a layer
 * built here or not); an ARN (literal, or from a parameter) is external; an entry whose value is
 * known only when deploying (a parameter without a value, an import) is external as written.
 */
function layerRefs(raw: unknown, ctx: StackContext, where: SourceLocation): DraftLayerRef[] {
  if (raw === undefined) return [];
  let list: unknown = raw;
  try {
    if (!Array.isArray(raw)) list = resolveValue(raw, ctx, where);
  } catch (error) {
    throw error instanceof Unknowable ? new Unknowable(`Layers: ${describe(raw)}: ${error.message}`) : error;
  }
  if (!Array.isArray(list))
    throw new InputError(`Layers must be a list of layer references (!Ref MyLayer or ARNs), got ${describe(raw)}`, where);
  return list.flatMap((item): DraftLayerRef[] => {
    let value: unknown;
    try {
      value = Array.isArray(raw) ? resolveValue(item, ctx, where) : item;
    } catch (error) {
      if (!(error instanceof Unknowable)) throw error;
      if (isObject(item) && typeof item['Ref'] === 'string') return [{ kind: 'external', ref: `parameter ${item['Ref']}` }];
      return [{ kind: 'external', ref: physicalNameOf(item) ?? describe(item) }];
    }
    if (value === NO_VALUE) return [];
    if (isObject(value) && typeof value['Ref'] === 'string') return [{ kind: 'resource', name: value['Ref'] }];
    const getAtt = isObject(value) ? value['Fn::GetAtt'] : undefined;
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [{ kind: 'resource', name: getAtt[0] }];
    if (typeof value === 'string' && value.startsWith('arn:')) return [{ kind: 'external', ref: value }];
    if (typeof value === 'string') {
      throw new InputError(`Layers: "${value}" is not a layer ARN; a layer of the template is written !Ref ${value}`, where);
    }
    throw new InputError(`Layers entries must be !Ref to a layer or layer ARNs, got ${describe(item)}`, where);
  });
}

function classifyLayer(
  ref: DraftLayerRef,
  built: ReadonlySet<string>,
  types: ReadonlyMap<string, string>,
  where: SourceLocation
): LayerRef {
  if (ref.kind !== 'resource') return ref;
  if (built.has(ref.name)) return { kind: 'template', name: ref.name };
  if (LAYER_TYPES.includes(types.get(ref.name) ?? '')) return { kind: 'external', ref: ref.name };
  throw new InputError(`Layers: "${ref.name}" is a resource that is not a layer`, where);
}

/**
 * A layer is built once, for one Python version and one architecture: from its Metadata or
 * a single compatible value, else from the functions that use it, which must then agree.
 */
function settleLayerTarget(draft: DraftLayer, functions: FunctionSpec[]): LayerSpec {
  const users = functions.filter((f) => f.layers.some((l) => l.kind === 'template' && l.name === draft.name));
  const runtime = draft.runtime ?? users[0]?.runtime;
  const architecture = draft.architecture ?? users[0]?.architecture ?? 'x86_64';
  if (!runtime) {
    throw new InputError(
      'cannot tell which Python to build the layer for: set Metadata.BuildMethod (e.g. python3.12) or a single CompatibleRuntimes entry',
      draft.location
    );
  }
  for (const fn of users) {
    if (fn.runtime !== runtime || fn.architecture !== architecture) {
      throw new InputError(
        `function ${fn.name} (${fn.runtime}, ${fn.architecture}) uses layer ${draft.name}, which is built for ${runtime}, ${architecture}: ` +
          'compiled packages load only on the Python version and architecture they were built for',
        fn.location
      );
    }
  }
  return { ...draft, runtime, architecture };
}
