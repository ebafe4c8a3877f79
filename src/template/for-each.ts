import { InputError, type SourceLocation } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';
import { describe, resolveValue, type StackContext } from './intrinsics.js';

const PREFIX = 'Fn::ForEach::';
/** CloudFormation's limit on nested loops. */
const MAX_DEPTH = 5;

export const isForEachKey = (key: string): boolean => key.startsWith(PREFIX);

interface Loop {
  identifiers: string[];
  /** One list of values (as text) per item, one value per identifier. */
  items: string[][];
  body: Json;
}

/** Collection items become text as AWS::LanguageExtensions does: booleans lower case. */
function itemText(value: unknown, key: string, where: SourceLocation): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InputError(`${key}: a collection item must be a string, got ${describe(value)}`, where);
}

function readLoop(key: string, value: unknown, ctx: StackContext, outer: readonly string[], where: SourceLocation): Loop {
  const layout = `${key} must be [Identifier, Collection, {OutputKey: OutputValue}]`;
  if (!Array.isArray(value) || value.length !== 3 || !isObject(value[2])) throw new InputError(layout, where);
  const [identifier, collection, body] = value as [unknown, unknown, Json];
  const identifiers = typeof identifier === 'string' ? [identifier] : identifier;
  if (
    !Array.isArray(identifiers) ||
    !identifiers.length ||
    !identifiers.every((i): i is string => typeof i === 'string' && /^\w+$/.test(i))
  ) {
    throw new InputError(`${layout}: the identifier must be a name or a list of names, got ${describe(identifier)}`, where);
  }
  for (const id of identifiers) {
    if (ctx.declared.has(id)) throw new InputError(`${key}: identifier ${id} is also a parameter name`, where);
    if (outer.includes(id)) throw new InputError(`${key}: identifier ${id} is already used by an enclosing loop`, where);
  }
  let resolved = resolveValue(collection, ctx, where);
  // A CommaDelimitedList default or override is split already; a String parameter with commas is split as SAM does.
  if (typeof resolved === 'string' && isObject(collection)) resolved = resolved.split(',').map((s) => s.trim());
  if (!Array.isArray(resolved)) throw new InputError(`${key}: the collection must be a list, got ${describe(collection)}`, where);
  const items = resolved.map((item) => {
    if (identifiers.length === 1) return [itemText(item, key, where)];
    if (!Array.isArray(item) || item.length !== identifiers.length) {
      throw new InputError(
        `${key}: each collection item must be a list of ${identifiers.length} values (${identifiers.join(', ')})`,
        where
      );
    }
    return item.map((v) => itemText(v, key, where));
  });
  return { identifiers, items, body };
}

/** `${Id}` becomes the value, `&{Id}` the value without its non-alphanumeric characters, `{Ref: Id}` the value. */
function substitute(node: unknown, id: string, value: string): unknown {
  if (typeof node === 'string') return node.replaceAll(`\${${id}}`, value).replaceAll(`&{${id}}`, value.replace(/[^A-Za-z0-9]/g, ''));
  if (Array.isArray(node)) return node.map((n) => substitute(n, id, value));
  if (!isObject(node)) return node;
  if (Object.keys(node).length === 1 && node['Ref'] === id) return value;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [substitute(k, id, value) as string, substitute(v, id, value)]));
}

function expandMap(
  map: Json,
  ctx: StackContext,
  outer: readonly string[],
  where: SourceLocation,
  onKey?: (key: string, loop: string) => void
): Json {
  const result: Json = {};
  const put = (key: string, value: unknown, loop: string) => {
    if (key in result) throw new InputError(`${loop} makes ${key}, which is already defined`, where);
    result[key] = value;
    onKey?.(key, loop);
  };
  for (const [key, value] of Object.entries(map)) {
    if (!isForEachKey(key)) {
      put(key, expandNested(value, ctx, outer, where), key);
      continue;
    }
    if (outer.length >= MAX_DEPTH) throw new InputError(`${key}: Fn::ForEach loops nest at most ${MAX_DEPTH} deep`, where);
    const loop = readLoop(key, value, ctx, outer, where);
    for (const item of loop.items) {
      const body = loop.identifiers.reduce<unknown>((node, id, i) => substitute(node, id, item[i] ?? ''), loop.body) as Json;
      const expanded = expandMap(body, ctx, [...outer, ...loop.identifiers], where);
      for (const [k, v] of Object.entries(expanded)) put(k, v, key);
    }
  }
  return result;
}

function expandNested(node: unknown, ctx: StackContext, outer: readonly string[], where: SourceLocation): unknown {
  if (Array.isArray(node)) return node.map((n) => expandNested(n, ctx, outer, where));
  return isObject(node) ? expandMap(node, ctx, outer, where) : node;
}

export interface ExpandedSection {
  section: Json;
  /** The loop each generated key came from (its line locates messages about the key). */
  origins: Map<string, string>;
}

/**
 * Expands every `Fn::ForEach::Name` of a template section (Resources, Conditions) the way the
 * AWS::LanguageExtensions transform does: in keys and values, in resource properties, nested up to
 * five deep; the collection is a list or resolves to one (a CommaDelimitedList or List<...>
 * parameter). `at` locates a loop by its key.
 */
export function expandForEach(section: Json, ctx: StackContext, at: (loopKey: string) => SourceLocation): ExpandedSection {
  const origins = new Map<string, string>();
  const result: Json = {};
  for (const [key, value] of Object.entries(section)) {
    const expanded = expandMap({ [key]: value }, ctx, [], at(key), (k, loop) => {
      if (isForEachKey(loop)) origins.set(k, loop);
    });
    for (const [k, v] of Object.entries(expanded)) {
      if (k in result) throw new InputError(`${key} makes ${k}, which is already defined`, at(key));
      result[k] = v;
    }
  }
  return { section: result, origins };
}
