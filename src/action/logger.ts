import * as core from '@actions/core';
import path from 'node:path';
import type { SourceLocation } from '../shared/errors.js';
import { safeLogger } from '../shared/logger.js';

/** Annotations point at files relative to the workspace, where GitHub shows them. */
export function annotation(location?: SourceLocation): core.AnnotationProperties | undefined {
  if (!location) return undefined;
  const root = process.env['GITHUB_WORKSPACE'] || process.cwd();
  return { file: path.relative(root, location.file), startLine: location.line };
}

/**
 * The engine's log as workflow commands: annotations for warnings and errors, groups for details. Everything
 * logged may quote a template, requirements, pip or a report: no line of it may start a workflow command.
 */
export const actionsLogger = safeLogger({
  info: (message) => core.info(message),
  warning: (message, location) => core.warning(message, annotation(location)),
  error: (message, location) => core.error(message, annotation(location)),
  detail: (title, text) => {
    core.startGroup(title);
    core.info(text.trimEnd());
    core.endGroup();
  }
});
