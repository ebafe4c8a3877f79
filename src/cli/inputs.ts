import { parseNumber, splitLines, splitList, INPUT_DEFAULTS, type InputName, type InputSource } from '../settings/inputs.js';
import { InputError } from '../shared/errors.js';

/** A flag, and the action input it stands for. */
export interface CliOption {
  /** Without the dashes. */
  flag: string;
  /** The input it stands for; none for the CLI's own flags (--verbose, --help, --version). */
  input?: InputName;
  /** The value's placeholder in the usage (`<file>`); a flag without one is a switch. */
  arg?: string;
  /** A switch that sets its input to this: --no-slim sets slim to false, --print sets rollback-mode to print. */
  sets?: string | boolean;
  multiple?: boolean;
  short?: string;
  /** One line per usage line. */
  help: string[];
}

/** Arguments after the command that stand for an input: merge's report files. */
export interface CliPositionals {
  input: InputName;
  /** How messages name them. */
  label: string;
  usage: string;
}

/** What parseArgs returns. */
export type ParsedValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/**
 * CLI flags as an input source: an input a flag stands for reads as the flag's value, else its default; an input
 * no flag stands for (publish-on, the GitHub inputs) reads as empty.
 */
export function cliInputs(
  values: ParsedValues,
  options: readonly CliOption[],
  positionals?: { spec: CliPositionals; values: string[] }
): InputSource {
  const raw = (name: InputName): string | boolean | string[] => {
    if (positionals?.spec.input === name) return positionals.values;
    const offered = options.filter((o) => o.input === name);
    if (!offered.length) return '';
    for (const option of offered) {
      const value = values[option.flag];
      if (value === undefined) continue;
      return option.sets ?? (Array.isArray(value) ? value.map(String) : value);
    }
    return INPUT_DEFAULTS[name];
  };
  const label = (name: InputName) => {
    if (positionals?.spec.input === name) return positionals.spec.label;
    const option = options.find((o) => o.input === name);
    return option ? `--${option.flag}` : `input ${name}`;
  };
  const string = (name: InputName): string => {
    const value = raw(name);
    return Array.isArray(value) ? value.join('\n') : String(value).trim();
  };
  return {
    string,
    list: (name, by = 'items') => {
      const value = raw(name);
      const split = by === 'lines' ? splitLines : splitList;
      return Array.isArray(value) ? value.flatMap((v) => split(v)) : split(String(value));
    },
    boolean: (name) => {
      const value = raw(name);
      if (typeof value === 'boolean') return value;
      // A default ('false') or nothing: switches have no other values.
      if (value === '') return undefined;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new InputError(`${label(name)} must be true or false, got "${String(value)}"`);
    },
    number: (name) => parseNumber(string(name), label(name)),
    label
  };
}
