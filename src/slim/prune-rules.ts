import picomatch from 'picomatch';
import { InputError } from '../shared/errors.js';

/**
 * A prune rule: what never runs on Lambda. Either file globs, or folder names matched below a
 * top-level package (so a top-level package named "test" is not a test suite).
 */
export interface PruneRule {
  name: string;
  description: string;
  globs?: string[];
  folders?: string[];
  /** Folder rules only: leave the folder when it is itself a Python package (botocore/docs is code). */
  notPackages?: boolean;
}

export const DEFAULT_RULES: readonly PruneRule[] = [
  {
    name: 'tests',
    description: 'test suites inside packages (tests/, test/, conftest.py)',
    folders: ['tests', 'test'],
    globs: ['**/conftest.py']
  },
  { name: 'type-stubs', description: 'type stubs (.pyi)', globs: ['**/*.pyi'] },
  {
    name: 'c-sources',
    description: 'Cython and C/C++ sources, headers and their templates',
    globs: ['**/*.{c,cc,cpp,cxx,h,hh,hpp,pyx,pxd,pxi}', '**/*.{pyx,pxd,pxi}.{in,tp}']
  },
  { name: 'static-libs', description: 'static libraries (.a), only ever linked at build time', globs: ['**/*.a'] },
  {
    name: 'docs-examples',
    description: 'bundled docs and examples that are not Python packages',
    folders: ['doc', 'docs', 'example', 'examples'],
    notPackages: true
  },
  {
    name: 'pip-bookkeeping',
    description: "pip's INSTALLER, REQUESTED, direct_url.json",
    globs: ['*.dist-info/{INSTALLER,REQUESTED,direct_url.json}']
  },
  { name: 'scripts', description: 'console scripts pip wrote for the build host (bin/)', globs: ['bin/**'] },
  { name: 'pycache', description: 'stray __pycache__ folders', globs: ['**/__pycache__/**'] }
];

/** What code reads at run time, and licenses (redistribution): never removed, whatever matches. */
export const ALWAYS_KEEP: readonly string[] = [
  '*.dist-info/{METADATA,RECORD,entry_points.txt,top_level.txt,WHEEL}',
  '*.dist-info/licenses/**',
  '**/{LICENSE,LICENCE,COPYING,NOTICE,AUTHORS}*',
  '**/*.pem',
  '**/zoneinfo/**',
  '**/tzdata/**'
];

/** Distributions the Lambda Python runtime already ships (with its own versions). */
export const RUNTIME_PROVIDED = ['boto3', 'botocore', 's3transfer', 'jmespath'];

export interface RuleSet {
  rules: PruneRule[];
  keep: string[];
}

/** The rules in force: the defaults less the disabled ones, plus the user's globs. */
export function ruleSet(disable: readonly string[], remove: readonly string[], keep: readonly string[]): RuleSet {
  const unknown = disable.filter((name) => !DEFAULT_RULES.some((r) => r.name === name));
  if (unknown.length) {
    throw new InputError(
      `slim.disable: unknown prune rule ${unknown.join(', ')}: the rules are ${DEFAULT_RULES.map((r) => r.name).join(', ')}`
    );
  }
  return {
    rules: [
      ...DEFAULT_RULES.filter((r) => !disable.includes(r.name)),
      ...remove.map((glob): PruneRule => ({ name: `remove:${glob}`, description: `your rule ${glob}`, globs: [glob] }))
    ],
    keep: [...ALWAYS_KEEP, ...keep]
  };
}

export type Classifier = (path: string) => string | undefined;

/**
 * Compiles a rule set into a function from a site-relative POSIX path to the name of the rule that
 * removes it (undefined: keep). `isPackage(folder)` says whether a folder holds an __init__.py.
 */
export function classifier(set: RuleSet, isPackage: (folder: string) => boolean): Classifier {
  const options = { dot: true };
  const kept = picomatch(set.keep, options);
  const compiled = set.rules.map((rule) => ({ rule, glob: rule.globs ? picomatch(rule.globs, options) : undefined }));
  return (file) => {
    if (kept(file)) return undefined;
    const segments = file.split('/');
    for (const { rule, glob } of compiled) {
      if (glob?.(file)) return rule.name;
      if (!rule.folders) continue;
      // Folders below a top-level package, never the file name itself.
      for (let i = 1; i < segments.length - 1; i++) {
        if (!rule.folders.includes(segments[i] ?? '')) continue;
        if (rule.notPackages && isPackage(segments.slice(0, i + 1).join('/'))) continue;
        return rule.name;
      }
    }
    return undefined;
  };
}
