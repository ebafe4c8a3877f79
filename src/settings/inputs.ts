import { InputError } from '../shared/errors.js';

/**
 * Every input, by its action.yml name, with action.yml's default: the one place defaults live. The action
 * reads them with core.getInput, the CLI from the flags that stand for them; a unit test checks this table
 * against action.yml. github-token's default is the runner's `${{ github.token }}`, which only the runner knows.
 */
export const INPUT_DEFAULTS = {
  command: 'build',
  template: 'template.yaml',
  'working-directory': '.',
  out: '.lambda-layers',
  report: '',
  config: '',
  'cache-dir': '',
  python: 'python3',
  installer: 'auto',
  'allow-sdist': '',
  slim: '',
  bytecode: '',
  strip: '',
  'slim-remove': '',
  'slim-keep': '',
  region: '',
  manifest: '',
  'stack-name': '',
  's3-bucket': '',
  'update-functions': 'false',
  'keep-versions': '',
  'share-with-accounts': '',
  'share-with-organization': '',
  'publish-on': '',
  'rollback-mode': 'update',
  'parameter-names': '',
  layers: '',
  'parameter-overrides': '',
  reports: '',
  comment: 'always',
  'comment-key': 'lambda-layers',
  'min-change-bytes': '1',
  'min-change-percent': '0',
  'fail-on-increase': 'false',
  'warn-at-limit-percent': '',
  'min-cold-start-change-ms': '100',
  'min-cold-start-change-percent': '20',
  'github-token': '',
  'base-report': '',
  'pr-number': '',
  'head-sha': '',
  function: '',
  event: ''
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

/**
 * Where settings come from: action inputs or CLI flags. An input a front door does not offer reads as empty
 * (the CLI has no publish-on, so a CLI build never publishes on its own); one it offers but was not given
 * reads as its default.
 */
export interface InputSource {
  /** The value, trimmed; '' when empty. */
  string(name: InputName): string;
  /** Items separated by commas or whitespace ('lines': by newlines only, for globs that may hold commas). */
  list(name: InputName, by?: 'items' | 'lines'): string[];
  /** true or false; undefined when empty (the config file, else the built-in default, decides). */
  boolean(name: InputName): boolean | undefined;
  /** A finite number; undefined when empty. */
  number(name: InputName): number | undefined;
  /** How a message names the input: `input slim` in the action, `--no-slim` in the CLI. */
  label(name: InputName): string;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function splitLines(value: string): string[] {
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** A finite number from a non-empty string, for both sources. */
export function parseNumber(value: string, label: string): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InputError(`${label} must be a number, got "${value}"`);
  return n;
}
