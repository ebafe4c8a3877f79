import * as core from '@actions/core';
import { InputError } from '../shared/errors.js';
import { INPUT_DEFAULTS, parseNumber, splitLines, splitList, type InputName, type InputSource } from '../settings/inputs.js';

/**
 * Action inputs through core.getInput. The runner fills in action.yml's defaults; a runner that does not (or an
 * input set to '') gets the same defaults from INPUT_DEFAULTS. `getInput` is core's unless a test passes its own.
 */
export function actionInputs(getInput: (name: string) => string = (name) => core.getInput(name)): InputSource {
  const label = (name: InputName) => `input ${name}`;
  const string = (name: InputName) => getInput(name).trim() || INPUT_DEFAULTS[name];
  return {
    string,
    list: (name, by = 'items') => (by === 'lines' ? splitLines(string(name)) : splitList(string(name))),
    boolean: (name) => {
      // The YAML 1.2 core schema's words, as core.getBooleanInput accepts them; empty: not set.
      const value = string(name);
      if (!value) return undefined;
      if (['true', 'True', 'TRUE'].includes(value)) return true;
      if (['false', 'False', 'FALSE'].includes(value)) return false;
      throw new InputError(`${label(name)} must be true or false, got "${value}"`);
    },
    number: (name) => parseNumber(string(name), label(name)),
    label
  };
}
