import { InputError, type SourceLocation } from '../shared/errors.js';

export type Architecture = 'x86_64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/** What a Lambda runtime + architecture means for pip: which wheels will load there. */
export interface Platform {
  runtime: string;
  architecture: Architecture;
  pythonVersion: string; // "3.12"
  abi: string; // "cp312"
  /** glibc of the runtime's OS, as [major, minor]. */
  glibc: readonly [number, number];
  /** Every wheel platform tag that loads there, newest first: passed to pip as --platform. */
  platformTags: string[];
  /** The date Lambda deprecated (or will deprecate) the runtime, ISO. */
  deprecatedOn: string;
}

interface RuntimeFacts {
  glibc: readonly [number, number];
  deprecatedOn: string;
}

// Amazon Linux 2 has glibc 2.26, Amazon Linux 2023 glibc 2.34 (Lambda runtimes page).
const AL2 = [2, 26] as const;
const AL2023 = [2, 34] as const;
const RUNTIMES: Record<string, RuntimeFacts> = {
  'python3.8': { glibc: AL2, deprecatedOn: '2024-10-14' },
  'python3.9': { glibc: AL2, deprecatedOn: '2025-12-15' },
  'python3.10': { glibc: AL2, deprecatedOn: '2026-10-31' },
  'python3.11': { glibc: AL2, deprecatedOn: '2027-06-30' },
  'python3.12': { glibc: AL2023, deprecatedOn: '2028-10-31' },
  'python3.13': { glibc: AL2023, deprecatedOn: '2029-06-30' },
  'python3.14': { glibc: AL2023, deprecatedOn: '2029-06-30' }
};

export const SUPPORTED_RUNTIMES = Object.keys(RUNTIMES);

const MACHINE: Record<Architecture, { tag: string; oldestGlibcMinor: number }> = {
  // manylinux1 (glibc 2.5) is the oldest x86_64 policy; aarch64 starts at manylinux2014 (2.17).
  x86_64: { tag: 'x86_64', oldestGlibcMinor: 5 },
  arm64: { tag: 'aarch64', oldestGlibcMinor: 17 }
};

// pip does not expand PEP 600 tags given with --platform, so every tag is listed; legacy aliases too.
const LEGACY_ALIASES: Record<number, string> = { 17: 'manylinux2014', 12: 'manylinux2010', 5: 'manylinux1' };

export function manylinuxTags(glibc: readonly [number, number], architecture: Architecture): string[] {
  const { tag, oldestGlibcMinor } = MACHINE[architecture];
  const tags: string[] = [];
  for (let minor = glibc[1]; minor >= oldestGlibcMinor; minor--) {
    tags.push(`manylinux_${glibc[0]}_${minor}_${tag}`);
    const alias = LEGACY_ALIASES[minor];
    if (alias) tags.push(`${alias}_${tag}`);
  }
  return tags;
}

export function isArchitecture(value: unknown): value is Architecture {
  return ARCHITECTURES.includes(value as Architecture);
}

/** Unknown runtimes are bad input, named with the ones we build. */
export function checkRuntime(runtime: string, where?: SourceLocation): RuntimeFacts {
  const facts = RUNTIMES[runtime];
  if (!facts) throw new InputError(`unknown or unsupported runtime "${runtime}": expected one of ${SUPPORTED_RUNTIMES.join(', ')}`, where);
  return facts;
}

/** Maps a runtime + architecture to the platform pip must target. */
export function platformFor(runtime: string, architecture: Architecture, where?: SourceLocation): Platform {
  const facts = checkRuntime(runtime, where);
  const pythonVersion = runtime.slice('python'.length);
  return {
    runtime,
    architecture,
    pythonVersion,
    abi: `cp${pythonVersion.replace('.', '')}`,
    glibc: facts.glibc,
    platformTags: manylinuxTags(facts.glibc, architecture),
    deprecatedOn: facts.deprecatedOn
  };
}

/** A warning when the runtime is deprecated at `today`, else undefined. */
export function deprecationWarning(platform: Platform, today: Date): string | undefined {
  if (today.toISOString().slice(0, 10) < platform.deprecatedOn) return undefined;
  return (
    `runtime ${platform.runtime} is deprecated by AWS Lambda since ${platform.deprecatedOn}: ` +
    `functions on it can stop being updated; move to ${SUPPORTED_RUNTIMES.at(-1)} or another supported runtime`
  );
}
