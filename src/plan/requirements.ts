import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { normalizeName } from '../shared/package-names.js';

export interface Requirement {
  /** PEP 503 normalized project name. */
  name: string;
  /** The line as pip will read it, whitespace-normalized. */
  line: string;
  pinned: boolean;
  lineNumber: number;
  /** The environment marker after ";", when there is one: evaluated for the target, not the host. */
  marker?: string;
}

export interface RequirementsFile {
  requirements: Requirement[];
  /** Option lines (--index-url, --find-links, ...) passed through to pip in order. */
  options: string[];
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(.*)$/;
// Attached forms count too: pip reads "-rother.txt" as an include.
const INCLUDE = /^(-[rce]|--requirement|--constraint|--editable)/;
// A project name never holds these: what does is a URL, a path or a direct reference.
const NOT_A_NAME = /[/@:\\]|\.(whl|zip|tar\.gz)$/;
// Exactly one version: ==X or ===X, no wildcard, no second clause.
const PINNED = /^(\[[^\]]*\])?===?[^=<>!~,*\s]+$/;

/** Parses a requirements.txt as pip does for what decides the build; includes are refused so the key sees everything. */
export function parseRequirements(text: string, file: string, settings: { allowEmpty?: boolean } = {}): RequirementsFile {
  const requirements: Requirement[] = [];
  const options: string[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const lineNumber = i + 1;
    let line = physical[i] ?? '';
    while (line.endsWith('\\') && i + 1 < physical.length) line = line.slice(0, -1) + ' ' + (physical[++i] ?? '');
    line = line
      .replace(/(^|\s)#.*$/, '')
      .trim()
      .replace(/\s+/g, ' ');
    if (!line) continue;
    const where = { file, line: lineNumber };
    if (INCLUDE.test(line)) {
      throw new InputError(`"${line}" is not supported: list every requirement in this file, so the build key covers it`, where);
    }
    if (line.startsWith('-')) {
      options.push(line);
      continue;
    }
    // "name[extras] spec ; marker --hash=..." : per-requirement options follow the requirement.
    const [requirement = '', ...perRequirement] = line.split(/ (?=--)/);
    const [spec = '', marker] = requirement.split(/;(.*)/, 2);
    const match = NAME.exec(spec.trim());
    if (!match || NOT_A_NAME.test(spec)) {
      throw new InputError(`"${line}" is not a requirement by project name (paths and URLs are not supported)`, where);
    }
    const [, rawName = '', rest = ''] = match;
    const version = rest.replace(/\s+/g, '');
    requirements.push({
      name: normalizeName(rawName),
      line: [`${normalizeName(rawName)}${version}`, ...(marker?.trim() ? [`; ${marker.trim()}`] : []), ...perRequirement].join(' '),
      pinned: PINNED.test(version),
      lineNumber,
      ...(marker?.trim() ? { marker: marker.trim() } : {})
    });
  }
  if (requirements.length === 0 && !settings.allowEmpty) throw new InputError('lists no requirement', { file });
  return { requirements, options };
}

/** The normalized project name of a requirement string such as "Foo[x]>=1; python_version>'3'". */
export function projectOf(requirement: string): string {
  return normalizeName(requirement.split(/[<>=!~;[ ]/)[0] ?? '');
}

/** Each marker's verdict per target platform (see platformKey), evaluated before planning. */
export type MarkerVerdicts = ReadonlyMap<string, ReadonlyMap<string, boolean>>;

/** The requirements whose markers hold on the target (key from platformKey). Pure. */
export function forTarget(file: RequirementsFile, verdicts: MarkerVerdicts, target: string): RequirementsFile {
  const applies = (r: Requirement) => {
    if (r.marker === undefined) return true;
    const verdict = verdicts.get(r.marker)?.get(target);
    if (verdict === undefined) throw new Error(`marker "${r.marker}" was not evaluated for ${target}`);
    return verdict;
  };
  return { ...file, requirements: file.requirements.filter(applies) };
}

/** The line pip is given: the marker is left out, since it was evaluated for the target already. */
export function pipLine(requirement: Requirement): string {
  return requirement.marker === undefined ? requirement.line : requirement.line.replace(` ; ${requirement.marker}`, '');
}

// pip resolves a relative --find-links in a requirements file against the file's folder.
const FIND_LINKS = /^(-f|--find-links)(\s+|=)(\S+)$/;

/** The requirements file pip is given: options (relative find-links made absolute), then the lines for the target. Pure. */
export function targetRequirementsText(file: RequirementsFile, fileDir: string): string {
  const options = file.options.map((option) => {
    const match = FIND_LINKS.exec(option);
    const value = match?.[3];
    if (!match || !value || value.includes('://') || path.isAbsolute(value)) return option;
    return `${match[1]} ${path.resolve(fileDir, value)}`;
  });
  return [...options, ...file.requirements.map(pipLine)].map((line) => `${line}\n`).join('');
}
