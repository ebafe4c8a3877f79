import { LineCounter, parseDocument, isMap, isScalar, visit, YAMLMap, type Alias, type Document, type YAMLSeq, type Tags } from 'yaml';
import { InputError } from '../shared/errors.js';

/** CloudFormation short-form intrinsics and the long form each one stands for. */
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  Transform: 'Fn::Transform',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
  ForEach: 'Fn::ForEach'
};

/** Each short tag may be written as a scalar, a sequence or a mapping; all become their long form. */
const cfnTags: Tags = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  {
    tag: `!${short}`,
    resolve: (value: string) => ({ [long]: short === 'GetAtt' ? splitGetAtt(value) : value })
  },
  ...(['seq', 'map'] as const).map((collection) => ({
    tag: `!${short}`,
    collection,
    // Kept as a node, so doc.toJS() resolves aliases inside it with the whole document.
    resolve: (node: YAMLSeq | YAMLMap) => {
      const wrapper = new YAMLMap();
      wrapper.set(long, node);
      return wrapper;
    }
  }))
]);

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

export interface ParsedTemplate {
  /** The template as plain data, intrinsics in their long form. */
  data: Record<string, unknown>;
  /** 1-based line of each resource's logical ID, for messages and annotations. */
  resourceLines: Map<string, number>;
}

/** Parses a CloudFormation/SAM template (YAML or JSON). Errors name the file and line. */
export function parseTemplate(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: cfnTags, lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new InputError(`malformed template: ${first.message.split('\n')[0]}`, { file, line });
  }
  if (!isMap(doc.contents)) {
    throw new InputError('malformed template: the top level is not a mapping', { file });
  }
  const resourceLines = new Map<string, number>();
  const resources = doc.contents.get('Resources', true);
  if (isMap(resources)) {
    for (const pair of resources.items) {
      if (isScalar(pair.key) && pair.key.range) {
        resourceLines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
      }
    }
  }
  return { data: toData(doc, file, lineCounter), resourceLines };
}

/** Aliases a template may expand: far above any real template, far below a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = 1000;

/** The document as plain data; an undefined alias or an alias bomb is a located one-line error. */
function toData(doc: Document, file: string, lineCounter: LineCounter): Record<string, unknown> {
  let firstAlias: Alias | undefined;
  visit(doc, {
    Alias(_key, alias) {
      firstAlias ??= alias;
      if (alias.resolve(doc) === undefined) {
        throw new InputError(`malformed template: alias *${alias.source} has no anchor &${alias.source} before it`, {
          file,
          line: alias.range ? lineCounter.linePos(alias.range[0]).line : undefined
        });
      }
    }
  });
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const line = firstAlias?.range ? lineCounter.linePos(firstAlias.range[0]).line : undefined;
    throw new InputError(`malformed template: its YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?)`, {
      file,
      line
    });
  }
}
