import { resolvePublishSettings } from '../publish/run-publish.js';
import { resolveSettings } from '../settings/settings.js';
import type { Command } from './command.js';
import { measure } from './measure.js';

/** `publish`: build, then publish a new version of each layer whose zip changed, if the build passed. */
export const publish: Command = async (inputs, deps) => {
  const settings = resolveSettings(inputs, deps.cwd, deps.env);
  // Bad publish input (region, bucket, names) fails before the build.
  const publish = resolvePublishSettings(inputs, settings, deps.env);
  return measure(settings, inputs, deps, { mode: 'build', publish, storeAsBase: false });
};
