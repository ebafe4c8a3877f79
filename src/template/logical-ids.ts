import { InputError, type SourceLocation } from '../shared/errors.js';

/** CloudFormation's rule for logical IDs: alphanumeric (A-Za-z0-9), at most 255 characters. */
export const MAX_LOGICAL_ID_LENGTH = 255;

/**
 * Logical IDs become folder and file names under the output folder, so anything CloudFormation
 * would refuse (`..`, `a/b`, an empty or 300-character ID) is refused here first.
 */
export function checkLogicalId(id: string, where: SourceLocation): void {
  if (!/^[A-Za-z0-9]+$/.test(id)) {
    throw new InputError(`logical ID ${JSON.stringify(id)} is not alphanumeric: CloudFormation allows only A-Z, a-z and 0-9`, where);
  }
  if (id.length > MAX_LOGICAL_ID_LENGTH) {
    throw new InputError(
      `logical ID ${id.slice(0, 20)}... is ${id.length} characters long: CloudFormation allows at most ${MAX_LOGICAL_ID_LENGTH}`,
      where
    );
  }
}
