import { resolveSettings } from '../settings/settings.js';
import type { Command } from './command.js';
import { measure } from './measure.js';

/** `check`: re-measure what an earlier build left in the output folder, against the limits. */
export const check: Command = async (inputs, deps) =>
  measure(resolveSettings(inputs, deps.cwd, deps.env), inputs, deps, { mode: 'check', storeAsBase: false });
