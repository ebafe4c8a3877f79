import { isReleaseRun, resolvePublishSettings } from '../publish/run-publish.js';
import { resolveSettings } from '../settings/settings.js';
import type { Command } from './command.js';
import { measure } from './measure.js';

/** `build`: install, package, zip, check; on a run for a tag matching publish-on, also publish. */
export const build: Command = async (inputs, deps) => {
  const settings = resolveSettings(inputs, deps.cwd, deps.env);
  // Bad publish input fails before the build.
  const publish = isReleaseRun(inputs.string('publish-on'), deps.env) ? resolvePublishSettings(inputs, settings, deps.env) : undefined;
  // Only a whole report is a baseline: a matrix job's share is stored by the merge job.
  return measure(settings, inputs, deps, { mode: 'build', storeAsBase: settings.layers.length === 0, ...(publish && { publish }) });
};
