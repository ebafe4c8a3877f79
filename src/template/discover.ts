import path from 'node:path';
import type { App, FunctionSpec, LayerRef, LayerSpec } from './app-model.js';
import type { ParsedTemplate } from './cfn-yaml.js';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { checkRuntime, isArchitecture, type Architecture } from '../lambda/platform.js';
import { isObject, type Json } from '../shared/json.js';
import { isInside } from '../shared/paths.js';

const LAYER_TYPES = ['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion'];
const FUNCTION_TYPE = 'AWS::Serverless::Function';
// Runtimes of other languages are not ours to build; anything else that is not a known Python runtime is a mistake.
const OTHER_LANGUAGES = /^(nodejs|java|dotnet|ruby|go|provided)/;

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

function architectures(value: unknown, where: SourceLocation): Architecture[] {
  const list = stringList(value);
  for (const arch of list) {
    if (!isArchitecture(arch)) throw new InputError(`unknown architecture "${arch}": expected x86_64 or arm64`, where);
  }
  return list as Architecture[];
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

interface DraftLayer extends Omit<LayerSpec, 'runtime' | 'architecture'> {
  runtime?: string;
  architecture?: Architecture;
}

/** Finds the layers and functions of a parsed SAM template. Pure: paths are resolved, not read. */
export function discoverApp(parsed: ParsedTemplate, templateFile: string, rootDir: string): App {
  const resources = parsed.data['Resources'];
  const at = (id?: string): SourceLocation => ({ file: templateFile, line: id ? parsed.resourceLines.get(id) : undefined });
  if (!isObject(resources)) throw new InputError('the template has no Resources section', at());
  const templateDir = path.dirname(templateFile);
  const globalsSection = parsed.data['Globals'];
  const functionGlobals = isObject(globalsSection) && isObject(globalsSection['Function']) ? globalsSection['Function'] : {};
  const skipped: string[] = [];

  const drafts: DraftLayer[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || !LAYER_TYPES.includes(String(resource['Type']))) continue;
    const props = isObject(resource['Properties']) ? resource['Properties'] : {};
    const metadata = isObject(resource['Metadata']) ? resource['Metadata'] : {};
    const where = at(id);
    const content = resource['Type'] === LAYER_TYPES[0] ? props['ContentUri'] : props['Content'];
    if (typeof content !== 'string' || content.startsWith('s3://')) {
      skipped.push(`${id}: its content is not a local folder, so it is not built`);
      continue;
    }
    const contentDir = resolveInside(rootDir, templateDir, content, where, resource['Type'] === LAYER_TYPES[0] ? 'ContentUri' : 'Content');
    const compatibleRuntimes = stringList(props['CompatibleRuntimes']);
    const buildMethod = typeof metadata['BuildMethod'] === 'string' ? metadata['BuildMethod'] : undefined;
    const declared = [...(buildMethod ? [buildMethod] : []), ...compatibleRuntimes];
    if (declared.length && declared.every((r) => OTHER_LANGUAGES.test(r))) {
      skipped.push(`${id}: a ${declared[0]} layer is not Python, so it is not built`);
      continue;
    }
    const compatibleArchitectures = architectures(props['CompatibleArchitectures'], where);
    const buildArch = metadata['BuildArchitecture'];
    if (buildArch !== undefined && !isArchitecture(buildArch)) {
      throw new InputError(`unknown BuildArchitecture ${JSON.stringify(buildArch)}: expected x86_64 or arm64`, where);
    }
    const runtime = buildMethod?.startsWith('python') ? buildMethod : compatibleRuntimes.length === 1 ? compatibleRuntimes[0] : undefined;
    if (runtime) checkRuntime(runtime, where);
    drafts.push({
      name: id,
      layerName: physicalNameOf(props['LayerName']),
      ...(typeof props['LicenseInfo'] === 'string' ? { licenseInfo: props['LicenseInfo'] } : {}),
      contentDir,
      requirementsFile: path.join(contentDir, 'requirements.txt'),
      runtime,
      architecture: buildArch ?? (compatibleArchitectures.length === 1 ? compatibleArchitectures[0] : undefined),
      compatibleRuntimes,
      compatibleArchitectures,
      location: where
    });
  }
  if (drafts.length === 0) throw new InputError('the template defines no layer built from a local folder', at());
  const layerIds = new Set(drafts.map((d) => d.name));
  const parameters = new Set(isObject(parsed.data['Parameters']) ? Object.keys(parsed.data['Parameters']) : []);

  const functions: FunctionSpec[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource['Type'] !== FUNCTION_TYPE) continue;
    const props = applyGlobals(functionGlobals, isObject(resource['Properties']) ? resource['Properties'] : {});
    const where = at(id);
    const runtime = props['Runtime'];
    if (props['PackageType'] === 'Image' || props['InlineCode'] !== undefined) {
      skipped.push(`${id}: an image or inline function, not packaged here`);
      continue;
    }
    if (typeof runtime !== 'string') throw new InputError('the function has no Runtime (nor a Globals.Function Runtime)', where);
    if (OTHER_LANGUAGES.test(runtime)) {
      skipped.push(`${id}: runtime ${runtime} is not Python`);
      continue;
    }
    checkRuntime(runtime, where);
    const codeUri = props['CodeUri'];
    if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
      skipped.push(`${id}: its code is not a local folder, so it is not packaged`);
      continue;
    }
    const handler = props['Handler'];
    if (typeof handler !== 'string' || !/^[\w./-]+\.\w+$/.test(handler)) {
      throw new InputError(`Handler must look like "module.function", got ${JSON.stringify(handler)}`, where);
    }
    const archs = architectures(props['Architectures'], where);
    if (archs.length > 1) throw new InputError('a function has exactly one architecture', where);
    const codeDir = resolveInside(rootDir, templateDir, codeUri, where, 'CodeUri');
    const layers = (Array.isArray(props['Layers']) ? props['Layers'] : []).map((ref) =>
      layerRef(ref, layerIds, resources, parameters, where)
    );
    const functionName = physicalNameOf(props['FunctionName']);
    functions.push({
      name: id,
      ...(functionName !== undefined ? { functionName } : {}),
      codeDir,
      handler,
      runtime,
      architecture: archs[0] ?? 'x86_64',
      layers,
      requirementsFile: path.join(codeDir, 'requirements.txt'),
      location: where
    });
  }

  const layers = drafts.map((draft) => settleLayerTarget(draft, functions));
  return { templateFile, rootDir, layers, functions, skipped };
}

function layerRef(ref: unknown, layerIds: Set<string>, resources: Json, parameters: Set<string>, where: SourceLocation): LayerRef {
  if (typeof ref === 'string') return { kind: 'external', ref };
  if (isObject(ref) && typeof ref['Ref'] === 'string') {
    const target = ref['Ref'];
    if (layerIds.has(target)) return { kind: 'template', name: target };
    const resource = resources[target];
    if (isObject(resource) && LAYER_TYPES.includes(String(resource['Type']))) return { kind: 'external', ref: target };
    if (resource !== undefined) throw new InputError(`Layers: "${target}" is a resource that is not a layer`, where);
    if (parameters.has(target)) return { kind: 'external', ref: `parameter ${target}` };
    throw new InputError(`Layers: "${target}" is not a layer, resource or parameter of the template`, where);
  }
  if (isObject(ref) && typeof ref['Fn::Sub'] === 'string') return { kind: 'external', ref: ref['Fn::Sub'] };
  if (isObject(ref) && Array.isArray(ref['Fn::GetAtt']) && layerIds.has(String(ref['Fn::GetAtt'][0]))) {
    return { kind: 'template', name: String(ref['Fn::GetAtt'][0]) };
  }
  return { kind: 'external', ref: JSON.stringify(ref) };
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
