import { fileURLToPath } from 'node:url';
import { InputError, type SourceLocation } from '../shared/errors.js';
import { isObject, type Json } from '../shared/json.js';
import { describe, Unknowable } from './intrinsics.js';

const SERVERLESS_APPLICATION = 'AWS::Serverless::Application';
const CLOUDFORMATION_STACK = 'AWS::CloudFormation::Stack';

/** A nested application whose template is a local file: followed like SAM's SamLocalStackProvider. */
export interface ChildStack {
  /** The template's path as written (file:// URLs made paths), relative to the parent's folder. */
  location: string;
  property: string;
  /** The child's parameter values, resolved in the parent (unknowable ones are left to the child's Defaults). */
  parameters: Json;
}

/**
 * A nested application (`AWS::Serverless::Application` Location, `AWS::CloudFormation::Stack`
 * TemplateURL): the child to follow, a reason it is not followed (a Serverless Application Repository
 * app, a remote URL), or undefined for any other resource type.
 */
export function nestedStack(
  type: string,
  props: Json,
  resolved: (property: string, from?: Json) => unknown,
  where: SourceLocation
): ChildStack | string | undefined {
  if (type !== SERVERLESS_APPLICATION && type !== CLOUDFORMATION_STACK) return undefined;
  const property = type === SERVERLESS_APPLICATION ? 'Location' : 'TemplateURL';
  const location = resolved(property);
  if (isObject(location) && type === SERVERLESS_APPLICATION && location['ApplicationId'] !== undefined) {
    return 'a Serverless Application Repository app: its functions are built by their publisher, not here';
  }
  if (typeof location !== 'string' || location === '') {
    throw new InputError(
      `${property} must be a template path or URL, got ${location === undefined ? 'nothing' : describe(location)}`,
      where
    );
  }
  if (/^(s3|https?):\/\//.test(location)) return `its template is remote (${location}), so it is not followed`;
  const file = location.startsWith('file://') ? fileURLToPath(location) : location;
  const parameters: Json = {};
  const written = props['Parameters'];
  if (written !== undefined && !isObject(written)) throw new InputError(`Parameters must be a mapping, got ${describe(written)}`, where);
  for (const name of Object.keys(written ?? {})) {
    try {
      parameters[name] = resolved(name, written);
    } catch (error) {
      // Left unset, the child's own Default (or its "has no value" message) applies.
      if (!(error instanceof Unknowable)) throw error;
    }
  }
  return { location: file, property, parameters };
}
